/* yaml_out.h: YAML documents written with libyaml (quoting and escaping right by construction, not by printf). */
#ifndef CERTIFY_YAML_OUT_H
#define CERTIFY_YAML_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

struct yout {
	yaml_emitter_t em;
	bool ok;	/* false after the first failure; later calls do nothing harmful */
};

/* Start one document on out; false (with a message) if libyaml cannot start. */
bool yout_begin(struct yout *y, FILE *out);
/* End the document; 0, or -1 with a message if anything failed. */
int yout_end(struct yout *y);

void y_str(struct yout *y, const char *s);	/* a string, quoted if YAML would read another type */
void y_int(struct yout *y, long v);
void y_kv(struct yout *y, const char *key, const char *value);
void y_map(struct yout *y);	/* block mapping: keys and values alternate until y_end_map */
void y_end_map(struct yout *y);
void y_seq(struct yout *y);	/* block sequence */
void y_end_seq(struct yout *y);

#endif

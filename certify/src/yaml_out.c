/* yaml_out.c: writing YAML through libyaml's emitter, block style, with strings quoted where YAML would retype them. */
#include "yaml_out.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

bool yout_begin(struct yout *y, FILE *out)
{
	y->ok = true;
	if (!yaml_emitter_initialize(&y->em)) {
		errorf("cannot start the YAML emitter");
		return false;
	}
	yaml_emitter_set_output_file(&y->em, out);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, -1); /* never fold a long line */
	yaml_event_t e;
	y->ok = yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING) && yaml_emitter_emit(&y->em, &e) &&
		yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1) && yaml_emitter_emit(&y->em, &e);
	return true;
}

int yout_end(struct yout *y)
{
	yaml_event_t e;
	if (y->ok)
		y->ok = yaml_document_end_event_initialize(&e, 1) && yaml_emitter_emit(&y->em, &e) &&
			yaml_stream_end_event_initialize(&e) && yaml_emitter_emit(&y->em, &e);
	if (!y->ok)
		errorf("writing YAML failed: %s", y->em.problem ? y->em.problem : "I/O error");
	yaml_emitter_delete(&y->em);
	return y->ok ? 0 : -1;
}

static void y_emit(struct yout *y, yaml_event_t *e, bool init_ok)
{
	if (!init_ok) {
		y->ok = false;
		return;
	}
	if (!y->ok) {
		yaml_event_delete(e); /* after a failure only free what comes */
		return;
	}
	if (!yaml_emitter_emit(&y->em, e)) /* frees e even when it fails */
		y->ok = false;
}

/* Strings that a YAML 1.1 reader would take as another type are quoted. */
static bool looks_typed(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~" };
	if (!*s)
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	char *end;
	(void)strtod(s, &end);
	if (!*end)
		return true; /* a number (or inf/nan) */
	(void)strtol(s, &end, 0);
	if (!*end)
		return true; /* 0x1f, 0755 */
	/* YAML 1.1 also reads 1_000 and 1:30 (base 60) as numbers. */
	bool digit = false;
	for (const char *p = s + (*s == '-' || *s == '+'); *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (*p != '_' && *p != ':' && *p != '.')
			return false;
	}
	return digit;
}

void y_str(struct yout *y, const char *s)
{
	yaml_event_t e;
	bool q = looks_typed(s);
	y_emit(y, &e, yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), !q, 1,
						   q ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE));
}

void y_int(struct yout *y, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	yaml_event_t e;
	y_emit(y, &e, yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)buf, (int)strlen(buf), 1, 0,
						   YAML_PLAIN_SCALAR_STYLE));
}

void y_map(struct yout *y)
{
	yaml_event_t e;
	y_emit(y, &e, yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

void y_seq(struct yout *y)
{
	yaml_event_t e;
	y_emit(y, &e, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
}

void y_end_map(struct yout *y)
{
	yaml_event_t e;
	y_emit(y, &e, yaml_mapping_end_event_initialize(&e));
}

void y_end_seq(struct yout *y)
{
	yaml_event_t e;
	y_emit(y, &e, yaml_sequence_end_event_initialize(&e));
}

void y_kv(struct yout *y, const char *k, const char *v)
{
	y_str(y, k);
	y_str(y, v);
}

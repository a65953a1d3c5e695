/* mustpass.h: the must-pass list of a suite release (docs/certification.md "Must-pass lists"). */
#ifndef CERTIFY_MUSTPASS_H
#define CERTIFY_MUSTPASS_H

#include <stdbool.h>

#include "store.h"

/* The cases a VMM must pass (or waive) to be called conformant under one
 * suite version: those passing on every bare-metal baseline it names. */
struct must_pass_case {
	char *kernel, *name;
};

struct must_pass {
	char *suite;		/* suite version the list is for */
	int n_baselines;	/* how many bare-metal baselines it rests on */
	str_vec baselines;	/* one "NAME (machine, identity)" per baseline, for people */
	VEC(struct must_pass_case) cases;
	char sha256[65];	/* of the file's bytes */
};

/* Parses list text; what names it in messages. -1 with a message. */
int must_pass_parse(const char *text, size_t n, const char *what, struct must_pass *out);
int must_pass_load(const char *path, struct must_pass *out, char **text, size_t *len);
bool must_pass_has(const struct must_pass *mp, const char *kernel, const char *name);
void must_pass_free(struct must_pass *mp);

/* The list for suite from the given baselines: every case that passes on
 * all of them. Refuses (-1, message) a baseline not recorded on bare metal
 * or recorded with another suite version. */
int must_pass_derive(struct baseline *const *bs, size_t n, const char *suite, struct strbuf *out);

#endif

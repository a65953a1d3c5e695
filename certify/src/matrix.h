/* matrix.h: the compliance matrix: baselines and VMM runs as columns, every case as a row. */
#ifndef CERTIFY_MATRIX_H
#define CERTIFY_MATRIX_H

#include <stdio.h>

#include "report.h"

struct matrix_col {
	char *title;		/* profile, or baseline name */
	char *subtitle;		/* VMM version and run, or provenance and machine */
	struct run *run;	/* VMM columns */
	struct baseline *base;	/* baseline columns */
	struct report diff;	/* VMM columns against the first baseline */
	bool has_diff;
	int compared, conformant, deviations, missing, not_run;
};

struct matrix_row {
	const char *kernel;
	const char *name;
};

struct matrix {
	VEC(struct matrix_col) cols;
	VEC(struct matrix_row) rows;
	size_t n_baselines;	/* the first n_baselines columns */
};

/* all_runs: one column per run instead of the newest per profile and VMM version. */
int matrix_build(struct matrix *m, struct store *s, const char *baseline, bool all_runs, const char *today);
void matrix_free(struct matrix *m);
/* A cell: verdict name ("pass", "flaky", "-" when absent) and detail (may be NULL). */
const char *matrix_cell(const struct matrix *m, size_t col, size_t row, const char **detail, char *buf, size_t n);

void matrix_render_md(const struct matrix *m, FILE *out);
void matrix_render_html(const struct matrix *m, FILE *out);

#endif

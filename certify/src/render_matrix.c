/* render_matrix.c: the compliance matrix as Markdown or one self-contained HTML page (no scripts). */
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "render.h"

extern const char certify_html_style[];

/* Without a baseline a VMM column is summarised against the manual: every
 * case asserts what the manual section it cites says, so a fail deviates
 * from the manual, whatever hardware will show. */
static void summary_against_manual(const struct matrix *m, size_t col, char *buf, size_t n)
{
	int pass = 0, fail = 0, skip = 0, not_run = 0;
	char cell[256];
	for (size_t r = 0; r < m->rows.n; r++) {
		const char *detail;
		const char *v = matrix_cell(m, col, r, &detail, cell, sizeof(cell));
		if (!strcmp(v, "pass"))
			pass++;
		else if (!strcmp(v, "fail") || !strcmp(v, "flaky"))
			fail++;
		else if (!strcmp(v, "skip"))
			skip++;
		else if (!strcmp(v, "not-run"))
			not_run++;
	}
	if (pass + fail + skip + not_run == 0) {
		snprintf(buf, n, "no results (every kernel ended without reporting: see the run)");
		return;
	}
	snprintf(buf, n, "%d pass, %d fail (deviate from the manual), %d skip, %d not run", pass, fail, skip,
		 not_run);
}

static void summary_text(const struct matrix *m, size_t col, char *buf, size_t n)
{
	const struct matrix_col *c = &m->cols.v[col];
	if (!c->has_diff) {
		if (c->base)
			snprintf(buf, n, "reference");
		else
			summary_against_manual(m, col, buf, n);
		return;
	}
	double pct = c->compared ? 100.0 * c->conformant / c->compared : 0.0;
	snprintf(buf, n, "%.1f%% conformant (%d of %d), %d deviation(s), %d missing feature(s), %d not run", pct,
		 c->conformant, c->compared, c->deviations, c->missing, c->not_run);
}

void matrix_render_md(const struct matrix *m, FILE *out)
{
	char buf[1024];
	fputs("# Compliance matrix\n\n", out);
	if (!m->n_baselines)
		fputs("No bare-metal baseline recorded yet (docs/bare-metal.md), so conformance to real hardware "
		      "cannot be computed. Each VMM column is summarised against the manual instead: every case "
		      "asserts what the manual section it cites says.\n\n", out);
	fputs("| column | what | summary |\n|---|---|---|\n", out);
	for (size_t i = 0; i < m->cols.n; i++) {
		const struct matrix_col *c = &m->cols.v[i];
		summary_text(m, i, buf, sizeof(buf));
		fputs("| ", out);
		esc_md(out, c->title);
		fputs(" | ", out);
		esc_md(out, c->subtitle);
		fputs(" | ", out);
		esc_md(out, buf);
		fputs(" |\n", out);
	}
	const char *kernel = NULL;
	for (size_t r = 0; r < m->rows.n; r++) {
		const struct matrix_row *row = &m->rows.v[r];
		if (!str_eq(kernel, row->kernel)) {
			kernel = row->kernel;
			fputs("\n## ", out);
			esc_md(out, kernel);
			fputs("\n\n| case |", out);
			for (size_t i = 0; i < m->cols.n; i++) {
				fputc(' ', out);
				esc_md(out, m->cols.v[i].title);
				fputs(" |", out);
			}
			fputs("\n|---|", out);
			for (size_t i = 0; i < m->cols.n; i++)
				fputs("---|", out);
			fputc('\n', out);
		}
		fputs("| ", out);
		esc_md(out, row->name);
		fputs(" |", out);
		for (size_t i = 0; i < m->cols.n; i++) {
			const char *detail;
			const char *v = matrix_cell(m, i, r, &detail, buf, sizeof(buf));
			bool bad = strcmp(v, "fail") == 0 || strcmp(v, "flaky") == 0 || strcmp(v, "not-run") == 0;
			fprintf(out, bad ? " **%s**" : " %s", v);
			if (detail && bad) {
				fputs(" (", out);
				esc_md(out, detail);
				fputc(')', out);
			}
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

void matrix_render_html(const struct matrix *m, FILE *out)
{
	char buf[1024];
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n"
		     "<title>Compliance matrix</title>\n<style>%s th.k{background:#ddd;text-align:left}</style>"
		     "</head><body>\n<h1>Compliance matrix</h1>\n",
		certify_html_style);
	if (!m->n_baselines)
		fputs("<p>No bare-metal baseline recorded yet (docs/bare-metal.md), so conformance to real hardware "
		      "cannot be computed. Each VMM column is summarised against the manual instead: every case "
		      "asserts what the manual section it cites says.</p>\n", out);
	fputs("<table>\n<tr><th>column</th><th>what</th><th>summary</th></tr>\n", out);
	for (size_t i = 0; i < m->cols.n; i++) {
		const struct matrix_col *c = &m->cols.v[i];
		summary_text(m, i, buf, sizeof(buf));
		fputs("<tr><td>", out);
		esc_xml(out, c->title);
		fputs("</td><td>", out);
		esc_xml(out, c->subtitle);
		fputs("</td><td>", out);
		esc_xml(out, buf);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<table>\n<tr><th>case</th>", out);
	for (size_t i = 0; i < m->cols.n; i++) {
		fputs("<th title=\"", out);
		esc_xml(out, m->cols.v[i].subtitle);
		fputs("\">", out);
		esc_xml(out, m->cols.v[i].title);
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	const char *kernel = NULL;
	for (size_t r = 0; r < m->rows.n; r++) {
		const struct matrix_row *row = &m->rows.v[r];
		if (!str_eq(kernel, row->kernel)) {
			kernel = row->kernel;
			fprintf(out, "<tr><th class=\"k\" colspan=\"%zu\">", m->cols.n + 1);
			esc_xml(out, kernel);
			fputs("</th></tr>\n", out);
		}
		fputs("<tr><td>", out);
		esc_xml(out, row->name);
		fputs("</td>", out);
		for (size_t i = 0; i < m->cols.n; i++) {
			const char *detail;
			const char *v = matrix_cell(m, i, r, &detail, buf, sizeof(buf));
			fprintf(out, "<td class=\"%s\"", v);
			if (detail) {
				/* Hover shows the failure detail; no script needed. */
				fputs(" title=\"", out);
				esc_xml(out, detail);
				fputc('"', out);
			}
			fprintf(out, ">%s</td>", v);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n</body></html>\n", out);
}

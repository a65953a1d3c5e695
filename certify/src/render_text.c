/* render_text.c: the report for a terminal: one line per case, failure details indented under it. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

static void indent(FILE *out, const char *text, const char *prefix)
{
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		fprintf(out, "%s%.*s\n", prefix, (int)n, p);
		p += n + (e ? 1 : 0);
	}
}

void render_text(const struct report *rep, FILE *out)
{
	fprintf(out, "%s\n", report_title(rep));
	for (size_t i = 0; i < rep->meta.n; i++)
		fprintf(out, "  %-20s %s\n", rep->meta.v[i].key, rep->meta.v[i].value);
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fprintf(out, "\nkernel %s", k->name);
		if (k->k && k->k->suite_version)
			fprintf(out, " %s", k->k->suite_version);
		fprintf(out, ": %s\n", kernel_state(k));
		if (k->k && k->k->detail)
			indent(out, k->k->detail, "    ");
		if (k->k && k->k->notes.len)
			indent(out, k->k->notes.buf, "    note: ");
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			char *why = row_explain(row);
			fprintf(out, "  %-24s %s", category_info(row->cat)->title, row->name);
			if (rep->kind != REPORT_RUN)
				fprintf(out, " (%s -> %s)", verdict_name(row->ref_verdict), verdict_name(row->verdict));
			if (*why)
				fprintf(out, ": %s", why);
			fputc('\n', out);
			free(why);
			if (row->res && row->res->detail && category_info(row->cat)->outcome == OUT_FAIL)
				indent(out, row->res->detail, "      ");
		}
	}
	if (rep->notes.n)
		fputc('\n', out);
	for (size_t i = 0; i < rep->notes.n; i++)
		fprintf(out, "note: %s\n", rep->notes.v[i]);
	char *sum = report_summary(rep);
	fprintf(out, "\nsummary: %s\nverdict: %s\n", sum, report_verdict(rep));
	free(sum);
}

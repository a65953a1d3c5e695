/* render_md.c: the report as a Markdown document with one table per kernel. */
#include "render.h"

#include <stdlib.h>

void render_md(const struct report *rep, FILE *out)
{
	fprintf(out, "# %s\n\n| | |\n|---|---|\n", report_title(rep));
	for (size_t i = 0; i < rep->meta.n; i++) {
		fprintf(out, "| %s | ", rep->meta.v[i].key);
		esc_md(out, rep->meta.v[i].value);
		fputs(" |\n", out);
	}
	char *sum = report_summary(rep);
	fprintf(out, "\n**Verdict: %s** (", report_verdict(rep));
	esc_md(out, sum);
	fputs(")\n", out);
	free(sum);
	for (size_t i = 0; i < rep->notes.n; i++) {
		fputs(i ? "" : "\n", out);
		fputs("* ", out);
		esc_md(out, rep->notes.v[i]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fputs("\n## ", out);
		esc_md(out, k->name);
		fprintf(out, " (%s)\n\n", kernel_state(k));
		if (k->k && k->k->detail) {
			esc_md(out, k->k->detail);
			fputs("\n\n", out);
		}
		if (rep->kind == REPORT_RUN)
			fputs("| case | result | ms | reference | detail |\n|---|---|---|---|---|\n", out);
		else
			fprintf(out, "| case | result | %s | run | reference | detail |\n|---|---|---|---|---|---|\n",
				rep->kind == REPORT_DIFF ? "baseline" : "A");
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			fputs("| ", out);
			esc_md(out, row->name);
			fprintf(out, " | %s | ", category_info(row->cat)->title);
			if (rep->kind == REPORT_RUN) {
				if (row->res && row->res->ms >= 0)
					fprintf(out, "%ld", row->res->ms);
			} else {
				fprintf(out, "%s | %s", verdict_name(row->ref_verdict), verdict_name(row->verdict));
			}
			fputs(" | ", out);
			const char *ref = row->res && row->res->ref ? row->res->ref : row->base ? row->base->ref : NULL;
			if (ref)
				esc_md(out, ref);
			fputs(" | ", out);
			char *why = row_explain(row);
			esc_md(out, why);
			free(why);
			fputs(" |\n", out);
		}
	}
}

/* render_tap.c: the report as TAP version 13: one test point per case, YAML diagnostics on failures. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* TAP descriptions end at '#' (a directive) and at the line end. */
static void tap_text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' ? '_' : *s == '\n' ? ' ' : *s, out);
}

void render_tap(const struct report *rep, FILE *out)
{
	fprintf(out, "TAP version 13\n1..%zu\n", rep->rows.n);
	for (size_t i = 0; i < rep->meta.n; i++)
		fprintf(out, "# %s: %s\n", rep->meta.v[i].key, rep->meta.v[i].value);
	size_t n = 0;
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fprintf(out, "# kernel %s: %s\n", k->name, kernel_state(k));
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			const struct category_info *ci = category_info(row->cat);
			bool ok = ci->outcome == OUT_OK || ci->outcome == OUT_SKIP;
			/* A waived failure is "not ok # TODO"; an unneeded waiver "ok # TODO". */
			if (ci->outcome == OUT_TODO)
				ok = false;
			fprintf(out, "%s %zu - %s/%s", ok ? "ok" : "not ok", ++n, k->name, row->name);
			char *why = row_explain(row);
			if (ci->outcome == OUT_SKIP) {
				fprintf(out, " # SKIP %s", ci->title);
				if (*why) {
					fputs(": ", out);
					tap_text(out, why);
				}
			} else if (ci->outcome == OUT_TODO || row->cat == CAT_WAIVER_UNNEEDED) {
				fprintf(out, " # TODO %s", ci->title);
				if (row->waiver) {
					char *w = waiver_text(row->waiver);
					fputs(": ", out);
					tap_text(out, w);
					free(w);
				}
			} else if (row->cat != CAT_PASS) {
				fprintf(out, " (%s)", ci->title);
			}
			fputc('\n', out);
			if (!ok && ci->outcome != OUT_TODO) {
				/* YAML block; JSON strings are valid YAML double-quoted scalars. */
				fputs("  ---\n  category: ", out);
				esc_json(out, ci->name);
				if (*why) {
					fputs("\n  message: ", out);
					esc_json(out, why);
				}
				if (row->res && row->res->detail) {
					fputs("\n  detail: ", out);
					esc_json(out, row->res->detail);
				}
				fputs("\n  ...\n", out);
			}
			free(why);
		}
	}
	char *sum = report_summary(rep);
	fprintf(out, "# %s: %s\n", report_verdict(rep), sum);
	free(sum);
}

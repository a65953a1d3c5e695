/* render_html.c: the report as one self-contained HTML page: inline CSS, no scripts, all text escaped. */
#include "render.h"

#include <stdlib.h>

/* Shared with the matrix page so both look alike. */
const char certify_html_style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0 1.5em}"
	"th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
	"th{background:#eee}"
	".pass,.conformant,.fixed,.waiver-unneeded{background:#d7f5d7}"
	".fail,.deviation,.regressed,.missing-feature,.waiver-expired,.flaky,.still-failing{background:#f8d0d0}"
	".skip,.extra,.baseline-untested,.baseline-fail,.skip-changed,.added,.removed{background:#eeeeee}"
	".not-run{background:#f8e3b0}.waived{background:#fff3c4}"
	"details pre{white-space:pre-wrap;margin:.2em 0}"
	"td[title]{cursor:help}";

void render_html(const struct report *rep, FILE *out)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<title>%s</title>\n"
		     "<style>%s</style></head><body>\n<h1>%s</h1>\n<table>\n",
		report_title(rep), certify_html_style, report_title(rep));
	for (size_t i = 0; i < rep->meta.n; i++) {
		fprintf(out, "<tr><th>%s</th><td>", rep->meta.v[i].key);
		esc_xml(out, rep->meta.v[i].value);
		fputs("</td></tr>\n", out);
	}
	char *sum = report_summary(rep);
	fprintf(out, "</table>\n<p><strong>Verdict: %s</strong> (", report_verdict(rep));
	esc_xml(out, sum);
	fputs(")</p>\n", out);
	free(sum);
	if (rep->notes.n) {
		fputs("<ul>\n", out);
		for (size_t i = 0; i < rep->notes.n; i++) {
			fputs("<li>", out);
			esc_xml(out, rep->notes.v[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fputs("<h2>", out);
		esc_xml(out, k->name);
		fprintf(out, " (%s)</h2>\n", kernel_state(k));
		if (k->k && k->k->detail) {
			fputs("<pre>", out);
			esc_xml(out, k->k->detail);
			fputs("</pre>\n", out);
		}
		fputs("<table>\n<tr><th>case</th><th>result</th>", out);
		if (rep->kind != REPORT_RUN)
			fprintf(out, "<th>%s</th><th>run</th>", rep->kind == REPORT_DIFF ? "baseline" : "A");
		fputs("<th>ms</th><th>reference</th><th>detail</th></tr>\n", out);
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			const struct category_info *ci = category_info(row->cat);
			fputs("<tr><td>", out);
			esc_xml(out, row->name);
			fprintf(out, "</td><td class=\"%s\">%s</td>", ci->name, ci->title);
			if (rep->kind != REPORT_RUN)
				fprintf(out, "<td>%s</td><td>%s</td>", verdict_name(row->ref_verdict),
					verdict_name(row->verdict));
			fputs("<td>", out);
			if (row->res && row->res->ms >= 0)
				fprintf(out, "%ld", row->res->ms);
			fputs("</td><td>", out);
			const char *ref = row->res && row->res->ref ? row->res->ref : row->base ? row->base->ref : NULL;
			if (ref)
				esc_xml(out, ref);
			fputs("</td><td>", out);
			char *why = row_explain(row);
			esc_xml(out, why);
			free(why);
			if (row->res && row->res->detail && ci->outcome == OUT_FAIL) {
				/* <details> expands without any script. */
				fputs("<details><summary>detail</summary><pre>", out);
				esc_xml(out, row->res->detail);
				fputs("</pre></details>", out);
			}
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
	fputs("</body></html>\n", out);
}

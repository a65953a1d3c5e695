/* render_junit.c: the report as JUnit XML (one testsuite per kernel), for CI dashboards. */
#include "render.h"

#include <stdlib.h>

static int count(const struct report *rep, const struct report_kernel *k, enum outcome o)
{
	int n = 0;
	for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
		enum outcome x = category_info(rep->rows.v[j].cat)->outcome;
		if (x == o || (o == OUT_SKIP && x == OUT_TODO))
			n++;
	}
	return n;
}

static double seconds(const struct report_kernel *k, const struct report *rep)
{
	long ms = 0;
	for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++)
		if (rep->rows.v[j].res && rep->rows.v[j].res->ms > 0)
			ms += rep->rows.v[j].res->ms;
	return ms / 1000.0;
}

void render_junit(const struct report *rep, FILE *out)
{
	int tests = 0, failures = 0, errors = 0, skipped = 0;
	double time = 0;
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		tests += (int)k->n_rows;
		failures += count(rep, k, OUT_FAIL);
		errors += count(rep, k, OUT_ERROR);
		skipped += count(rep, k, OUT_SKIP);
		time += seconds(k, rep);
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", out);
	esc_xml(out, report_title(rep));
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", tests, failures,
		errors, skipped, time);
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fputs("  <testsuite name=\"", out);
		esc_xml(out, k->name);
		fprintf(out, "\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\"",
			k->n_rows, count(rep, k, OUT_FAIL), count(rep, k, OUT_ERROR), count(rep, k, OUT_SKIP),
			seconds(k, rep));
		if (rep->run->started[0])
			fprintf(out, " timestamp=\"%.19s\"", rep->run->started);
		fputs(">\n    <properties>\n", out);
		for (size_t m = 0; m < rep->meta.n; m++) {
			fputs("      <property name=\"", out);
			esc_xml(out, rep->meta.v[m].key);
			fputs("\" value=\"", out);
			esc_xml(out, rep->meta.v[m].value);
			fputs("\"/>\n", out);
		}
		fprintf(out, "      <property name=\"kernel verdict\" value=\"%s\"/>\n    </properties>\n",
			kernel_state(k));
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			const struct category_info *ci = category_info(row->cat);
			fputs("    <testcase name=\"", out);
			esc_xml(out, row->name);
			fputs("\" classname=\"", out);
			esc_xml(out, k->name);
			fprintf(out, "\" time=\"%.3f\"", row->res && row->res->ms > 0 ? row->res->ms / 1000.0 : 0.0);
			if (ci->outcome == OUT_OK) {
				fputs("/>\n", out);
				continue;
			}
			static const char *const tags[] = { "", "failure", "skipped", "skipped", "error" };
			char *why = row_explain(row);
			fprintf(out, ">\n      <%s message=\"%s", tags[ci->outcome], ci->title);
			if (*why) {
				fputs(": ", out);
				esc_xml(out, why);
			}
			fputc('"', out);
			free(why);
			if (ci->outcome == OUT_FAIL || ci->outcome == OUT_ERROR)
				fprintf(out, " type=\"%s\"", ci->name);
			if (row->res && row->res->detail && ci->outcome == OUT_FAIL) {
				fputs(">", out);
				esc_xml(out, row->res->detail);
				fprintf(out, "</%s>\n", tags[ci->outcome]);
			} else {
				fputs("/>\n", out);
			}
			fputs("    </testcase>\n", out);
		}
		if (k->k && (k->k->detail || k->k->notes.len)) {
			fputs("    <system-out>", out);
			if (k->k->detail)
				esc_xml(out, k->k->detail);
			if (k->k->detail && k->k->notes.len)
				esc_xml(out, "\n");
			if (k->k->notes.len)
				esc_xml(out, k->k->notes.buf);
			fputs("</system-out>\n", out);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
}

/* render_json.c: the report as one JSON document, every field of the model included. */
#include "render.h"

#include <stdlib.h>

static void field(FILE *out, const char *key, const char *value, bool *first)
{
	if (!value)
		return;
	fputs(*first ? "" : ", ", out);
	*first = false;
	esc_json(out, key);
	fputs(": ", out);
	esc_json(out, value);
}

static void case_object(FILE *out, const char *key, const struct case_result *c)
{
	fprintf(out, ", \"%s\": {", key);
	bool first = true;
	field(out, "verdict", verdict_name(c->verdict), &first);
	field(out, "reason", c->reason, &first);
	field(out, "msg", c->msg, &first);
	field(out, "ref", c->ref, &first);
	field(out, "detail", c->detail, &first);
	if (c->ms >= 0)
		fprintf(out, ", \"ms\": %ld", c->ms);
	fprintf(out, ", \"flaky\": %s, \"attempts\": %d}", c->flaky ? "true" : "false", c->attempts);
}

void render_json(const struct report *rep, FILE *out)
{
	static const char *const kinds[] = { "run", "diff", "compare" };
	fprintf(out, "{\"kind\": \"%s\", \"verdict\": \"%s\", \"ok\": %s,\n \"meta\": {", kinds[rep->kind],
		report_verdict(rep), rep->bad ? "false" : "true");
	bool first = true;
	for (size_t i = 0; i < rep->meta.n; i++)
		field(out, rep->meta.v[i].key, rep->meta.v[i].value, &first);
	fputs("},\n \"summary\": {", out);
	first = true;
	for (int c = 0; c < CAT_COUNT; c++) {
		if (!rep->counts[c])
			continue;
		fprintf(out, "%s\"%s\": %d", first ? "" : ", ", category_info((enum category)c)->name, rep->counts[c]);
		first = false;
	}
	fputs("},\n \"notes\": [", out);
	for (size_t i = 0; i < rep->notes.n; i++) {
		fputs(i ? ", " : "", out);
		esc_json(out, rep->notes.v[i]);
	}
	fputs("],\n \"kernels\": [", out);
	for (size_t i = 0; i < rep->kernels.n; i++) {
		const struct report_kernel *k = &rep->kernels.v[i];
		fputs(i ? ",\n  {" : "\n  {", out);
		first = true;
		field(out, "name", k->name, &first);
		field(out, "state", kernel_state(k), &first);
		if (k->k) {
			field(out, "version", k->k->suite_version, &first);
			field(out, "detail", k->k->detail, &first);
			field(out, "notes", k->k->notes.len ? k->k->notes.buf : NULL, &first);
			field(out, "sha256", k->k->sha256, &first);
			field(out, "cmdline", k->k->cmdline, &first);
			field(out, "log", k->k->log_path, &first);
		}
		fputs(", \"cases\": [", out);
		for (size_t j = k->first_row; j < k->first_row + k->n_rows; j++) {
			const struct report_row *row = &rep->rows.v[j];
			fputs(j > k->first_row ? ",\n    {" : "\n    {", out);
			first = true;
			field(out, "name", row->name, &first);
			field(out, "category", category_info(row->cat)->name, &first);
			field(out, "note", row->note, &first);
			if (row->res)
				case_object(out, rep->kind == REPORT_COMPARE ? "b" : "result", row->res);
			if (row->ref_res)
				case_object(out, "a", row->ref_res);
			if (row->base) {
				fputs(", \"baseline\": {", out);
				first = true;
				field(out, "verdict", verdict_name(row->base->verdict), &first);
				field(out, "ref", row->base->ref, &first);
				fputs("}", out);
			}
			if (row->waiver) {
				fputs(", \"waiver\": {", out);
				first = true;
				field(out, "case", row->waiver->case_glob, &first);
				field(out, "reason", row->waiver->reason, &first);
				field(out, "ticket", row->waiver->ticket, &first);
				field(out, "expires", row->waiver->expires, &first);
				fputs("}", out);
			}
			fputs("}", out);
		}
		fputs("]}", out);
	}
	fputs("\n ]\n}\n", out);
}

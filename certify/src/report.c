/* report.c: the report model: categories, building rows, the plain per-run report, summaries. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const struct category_info categories[CAT_COUNT] = {
	[CAT_PASS] = { "pass", "pass", false, OUT_OK },
	[CAT_FAIL] = { "fail", "fail", true, OUT_FAIL },
	[CAT_SKIP] = { "skip", "skip", false, OUT_SKIP },
	[CAT_NOT_RUN] = { "not-run", "not run", true, OUT_ERROR },
	[CAT_FLAKY] = { "flaky", "flaky", true, OUT_FAIL },
	[CAT_CONFORMANT] = { "conformant", "conformant", false, OUT_OK },
	[CAT_DEVIATION] = { "deviation", "deviation", true, OUT_FAIL },
	[CAT_MISSING_FEATURE] = { "missing-feature", "missing feature", true, OUT_FAIL },
	[CAT_EXTRA] = { "extra", "extra (not run on baseline)", false, OUT_OK },
	[CAT_BASELINE_UNTESTED] = { "baseline-untested", "baseline untested", false, OUT_SKIP },
	[CAT_BASELINE_FAIL] = { "baseline-fail", "fails on baseline", false, OUT_SKIP },
	[CAT_WAIVED] = { "waived", "waived", false, OUT_TODO },
	[CAT_WAIVER_UNNEEDED] = { "waiver-unneeded", "waiver no longer needed", false, OUT_OK },
	[CAT_WAIVER_EXPIRED] = { "waiver-expired", "waiver expired", true, OUT_FAIL },
	[CAT_FIXED] = { "fixed", "fixed", false, OUT_OK },
	[CAT_REGRESSED] = { "regressed", "regressed", true, OUT_FAIL },
	[CAT_STILL_FAILING] = { "still-failing", "still failing", false, OUT_FAIL },
	[CAT_SKIP_CHANGED] = { "skip-changed", "skip state changed", false, OUT_OK },
	[CAT_UNCHANGED] = { "unchanged", "unchanged", false, OUT_OK },
	[CAT_ADDED] = { "added", "new case", false, OUT_OK },
	[CAT_REMOVED] = { "removed", "case gone", false, OUT_SKIP },
};

const struct category_info *category_info(enum category c)
{
	return &categories[c];
}

struct report_row *report_add_row(struct report *rep, const char *kernel, const char *name, enum category cat)
{
	struct report_row row = { 0 };
	row.kernel = kernel;
	row.name = name;
	row.cat = cat;
	row.verdict = row.ref_verdict = VERDICT_NONE;
	VEC_PUSH(rep->rows, row);
	return &rep->rows.v[rep->rows.n - 1];
}

void report_begin_kernel(struct report *rep, const char *name, const struct kresult *k)
{
	struct report_kernel rk = { name, k, rep->rows.n, 0 };
	VEC_PUSH(rep->kernels, rk);
}

void report_end_kernel(struct report *rep)
{
	struct report_kernel *rk = &rep->kernels.v[rep->kernels.n - 1];
	rk->n_rows = rep->rows.n - rk->first_row;
	for (size_t i = rk->first_row; i < rep->rows.n; i++) {
		rep->counts[rep->rows.v[i].cat]++;
		if (categories[rep->rows.v[i].cat].bad)
			rep->bad++;
	}
}

void report_add_meta(struct report *rep, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	struct report_meta m = { key, xstrdup(value) };
	VEC_PUSH(rep->meta, m);
}

void report_note(struct report *rep, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	str_vec_vpushf(&rep->notes, fmt, ap);
	va_end(ap);
}

void report_add_run_meta(struct report *rep, const struct run *run, const char *prefix)
{
	/* Keys are static strings: pick from fixed tables per prefix. */
	static const char *const keys[][8] = {
		{ "run", "provenance", "profile", "vmm", "machine", "label", "started", "suite" },
		{ "run A", "A provenance", "A profile", "A vmm", "A machine", "A label", "A started", "A suite" },
		{ "run B", "B provenance", "B profile", "B vmm", "B machine", "B label", "B started", "B suite" },
	};
	int t = !prefix ? 0 : prefix[0] == 'A' ? 1 : 2;
	report_add_meta(rep, keys[t][0], run->uuid);
	report_add_meta(rep, keys[t][1], provenance_name(run->provenance));
	report_add_meta(rep, keys[t][2], run->profile);
	report_add_meta(rep, keys[t][3], run->vmm_version);
	report_add_meta(rep, keys[t][4], run->machine);
	report_add_meta(rep, keys[t][5], run->label);
	report_add_meta(rep, keys[t][6], run->started);
	report_add_meta(rep, keys[t][7], run->suite_version);
}

static enum category plain_category(const struct case_result *c)
{
	if (c->flaky)
		return CAT_FLAKY;
	switch (c->verdict) {
	case VERDICT_PASS: return CAT_PASS;
	case VERDICT_FAIL: return CAT_FAIL;
	case VERDICT_SKIP: return CAT_SKIP;
	default: return CAT_NOT_RUN;
	}
}

void report_for_run(struct report *rep, const struct run *run)
{
	memset(rep, 0, sizeof(*rep));
	rep->kind = REPORT_RUN;
	rep->run = run;
	report_add_run_meta(rep, run, NULL);
	for (size_t i = 0; i < run->kernels.n; i++) {
		const struct kresult *k = run->kernels.v[i];
		report_begin_kernel(rep, k->kernel, k);
		for (size_t j = 0; j < k->cases.n; j++) {
			const struct case_result *c = &k->cases.v[j];
			struct report_row *row = report_add_row(rep, k->kernel, c->name, plain_category(c));
			row->verdict = c->verdict;
			row->res = c;
		}
		report_end_kernel(rep);
	}
}

void report_free(struct report *rep)
{
	free(rep->rows.v);
	free(rep->kernels.v);
	for (size_t i = 0; i < rep->meta.n; i++)
		free(rep->meta.v[i].value);
	free(rep->meta.v);
	str_vec_free(&rep->notes);
	memset(rep, 0, sizeof(*rep));
}

const char *report_title(const struct report *rep)
{
	switch (rep->kind) {
	case REPORT_DIFF: return "Conformance report";
	case REPORT_COMPARE: return "Comparison of two runs";
	default: return "Run report";
	}
}

char *report_summary(const struct report *rep)
{
	struct strbuf sb = STRBUF_INIT;
	for (int c = 0; c < CAT_COUNT; c++) {
		if (!rep->counts[c])
			continue;
		sb_addf(&sb, "%s%d %s", sb.len ? ", " : "", rep->counts[c], categories[c].title);
	}
	if (!sb.len)
		sb_adds(&sb, "no cases");
	return sb_steal(&sb);
}

const char *report_verdict(const struct report *rep)
{
	switch (rep->kind) {
	case REPORT_DIFF: return rep->bad ? "does not conform" : "conforms";
	case REPORT_COMPARE: return rep->bad ? "regressed" : "no regressions";
	default: return rep->bad ? "failures" : "all passed";
	}
}

/* compare.c: two runs side by side (e.g. two VMM versions): fixed, regressed, still failing, skips changed. */
#include "report.h"

#include <string.h>

static bool is_failing(const struct case_result *c)
{
	return c->verdict == VERDICT_FAIL || c->verdict == VERDICT_NOT_RUN || c->flaky;
}

static enum category change(const struct case_result *a, const struct case_result *b)
{
	if (!a)
		return CAT_ADDED;
	if (!b)
		return CAT_REMOVED;
	bool skip_a = a->verdict == VERDICT_SKIP, skip_b = b->verdict == VERDICT_SKIP;
	if (skip_a || skip_b) {
		if (skip_a && skip_b && str_eq(a->reason, b->reason))
			return CAT_UNCHANGED;
		return CAT_SKIP_CHANGED;
	}
	if (is_failing(a))
		return is_failing(b) ? CAT_STILL_FAILING : CAT_FIXED;
	return is_failing(b) ? CAT_REGRESSED : CAT_UNCHANGED;
}

static void add(struct report *rep, const char *kernel, const char *name, const struct case_result *a,
		const struct case_result *b)
{
	struct report_row *row = report_add_row(rep, kernel, name, change(a, b));
	row->ref_res = a;
	row->res = b;
	row->ref_verdict = a ? a->verdict : VERDICT_NONE;
	row->verdict = b ? b->verdict : VERDICT_NONE;
}

void report_compare(struct report *rep, const struct run *a, const struct run *b)
{
	memset(rep, 0, sizeof(*rep));
	rep->kind = REPORT_COMPARE;
	rep->run = b;
	rep->ref_run = a;
	report_add_run_meta(rep, a, "A");
	report_add_run_meta(rep, b, "B");
	/* B's kernels in B's order, then kernels only A booted. */
	for (size_t i = 0; i < b->kernels.n; i++) {
		struct kresult *kb = b->kernels.v[i];
		struct kresult *ka = run_kernel((struct run *)a, kb->kernel);
		report_begin_kernel(rep, kb->kernel, kb);
		for (size_t j = 0; j < kb->cases.n; j++) {
			const struct case_result *cb = &kb->cases.v[j];
			add(rep, kb->kernel, cb->name, ka ? kresult_case(ka, cb->name) : NULL, cb);
		}
		for (size_t j = 0; ka && j < ka->cases.n; j++)
			if (!kresult_case(kb, ka->cases.v[j].name))
				add(rep, kb->kernel, ka->cases.v[j].name, &ka->cases.v[j], NULL);
		report_end_kernel(rep);
	}
	for (size_t i = 0; i < a->kernels.n; i++) {
		struct kresult *ka = a->kernels.v[i];
		if (run_kernel((struct run *)b, ka->kernel))
			continue;
		report_note(rep, "kernel %s ran in A only", ka->kernel);
	}
}

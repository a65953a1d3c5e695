/* diff.c: the conformance report: a run's verdicts against a baseline, with waivers applied. */
#include "report.h"

#include <fnmatch.h>
#include <string.h>

bool waiver_matches(const struct waiver *w, const struct run *run, const char *kernel, const char *name)
{
	if (!str_eq(w->profile, run->profile))
		return false;
	if (w->vmm_glob && strcmp(w->vmm_glob, "*") != 0 &&
	    fnmatch(w->vmm_glob, run->vmm_version ? run->vmm_version : "", 0) != 0)
		return false;
	/* "kernel/case" globs pin the kernel; bare ones match the case in any kernel. */
	if (strchr(w->case_glob, '/')) {
		char full[512];
		snprintf(full, sizeof(full), "%s/%s", kernel, name);
		return fnmatch(w->case_glob, full, 0) == 0;
	}
	return fnmatch(w->case_glob, name, 0) == 0;
}

static const struct waiver *find_waiver(const waiver_vec *ws, const struct run *run, const char *kernel,
					const char *name)
{
	if (!ws)
		return NULL;
	for (size_t i = 0; i < ws->n; i++)
		if (waiver_matches(&ws->v[i], run, kernel, name))
			return &ws->v[i];
	return NULL;
}

/* The category before waivers, with a note on why. */
static enum category classify(enum verdict b, const struct case_result *c, const char **note)
{
	enum verdict r = c ? c->verdict : VERDICT_NONE;
	*note = NULL;
	if (b == VERDICT_NONE) {
		*note = "the baseline has no result for this case (newer than the baseline)";
		return CAT_BASELINE_UNTESTED;
	}
	if (b == VERDICT_NOT_RUN) {
		*note = "the case did not run on the baseline";
		return CAT_BASELINE_UNTESTED;
	}
	if (b == VERDICT_FAIL) {
		*note = "the case fails on the baseline: a bug in the case, not in the VMM";
		return CAT_BASELINE_FAIL;
	}
	if (r == VERDICT_NONE || r == VERDICT_NOT_RUN) {
		*note = r == VERDICT_NONE ? "the run has no result for this case" : NULL;
		return CAT_NOT_RUN;
	}
	if (b == VERDICT_SKIP) {
		if (r == VERDICT_SKIP)
			return CAT_CONFORMANT;
		*note = "skipped on the baseline, run here";
		return CAT_EXTRA;
	}
	/* Passed on the baseline. */
	if (r == VERDICT_PASS)
		return CAT_CONFORMANT;
	if (r == VERDICT_FAIL) {
		if (c->flaky) {
			*note = "failed, then passed when rerun";
			return CAT_FLAKY;
		}
		return CAT_DEVIATION;
	}
	if (str_eq(c->reason, "cmdline")) {
		*note = "disabled on the kernel command line";
		return CAT_NOT_RUN;
	}
	*note = "runs on the baseline, skipped here (its condition is not met)";
	return CAT_MISSING_FEATURE;
}

static void diff_row(struct report *rep, const struct run *run, const char *kernel, const char *name,
		     const struct baseline_case *bc, const struct case_result *c, const waiver_vec *ws,
		     const char *today)
{
	const char *note;
	enum category cat = classify(bc ? bc->verdict : VERDICT_NONE, c, &note);
	const struct waiver *w = NULL;
	bool waivable = cat == CAT_DEVIATION || cat == CAT_MISSING_FEATURE || cat == CAT_NOT_RUN ||
			cat == CAT_FLAKY;
	if (waivable || cat == CAT_CONFORMANT)
		w = find_waiver(ws, run, kernel, name);
	if (w && waivable) {
		if (w->expires && strcmp(w->expires, today) < 0) {
			cat = CAT_WAIVER_EXPIRED;
			note = "the waiver expired: counts as a deviation";
		} else {
			cat = CAT_WAIVED;
			note = NULL;
		}
	} else if (w && cat == CAT_CONFORMANT) {
		cat = CAT_WAIVER_UNNEEDED;
		note = "passes now: remove the waiver";
	}
	struct report_row *row = report_add_row(rep, kernel, name, cat);
	row->verdict = c ? c->verdict : VERDICT_NONE;
	row->ref_verdict = bc ? bc->verdict : VERDICT_NONE;
	row->res = c;
	row->base = bc;
	row->waiver = w && (cat == CAT_WAIVED || cat == CAT_WAIVER_EXPIRED || cat == CAT_WAIVER_UNNEEDED) ? w : NULL;
	row->note = note;
}

void report_diff(struct report *rep, const struct run *run, const struct baseline *b,
		 const waiver_vec *waivers, const char *today)
{
	memset(rep, 0, sizeof(*rep));
	rep->kind = REPORT_DIFF;
	rep->run = run;
	rep->baseline = b;
	report_add_run_meta(rep, run, NULL);
	report_add_meta(rep, "baseline", b->name);
	report_add_meta(rep, "baseline provenance", provenance_name(b->provenance));
	report_add_meta(rep, "baseline machine", b->machine);
	report_add_meta(rep, "baseline identity", b->identity);
	report_add_meta(rep, "date", today);
	if (run->provenance == PROV_VMM && b->provenance == PROV_VMM)
		report_note(rep, "the baseline %s was recorded under a VMM, not on bare metal", b->name);
	for (size_t i = 0; i < run->kernels.n; i++) {
		const struct kresult *k = run->kernels.v[i];
		report_begin_kernel(rep, k->kernel, k);
		for (size_t j = 0; j < k->cases.n; j++) {
			const struct case_result *c = &k->cases.v[j];
			diff_row(rep, run, k->kernel, c->name, baseline_case(b, k->kernel, c->name), c, waivers, today);
		}
		/* Baseline cases this run never mentioned (e.g. a hang hid them). */
		for (size_t j = 0; j < b->cases.n; j++) {
			const struct baseline_case *bc = &b->cases.v[j];
			if (strcmp(bc->kernel, k->kernel) == 0 && !kresult_case((struct kresult *)k, bc->name))
				diff_row(rep, run, k->kernel, bc->name, bc, NULL, waivers, today);
		}
		report_end_kernel(rep);
	}
	/* Kernels on the baseline the run did not boot: said once, not per case. */
	const char *last = NULL;
	for (size_t j = 0; j < b->cases.n; j++) {
		const char *kn = b->cases.v[j].kernel;
		if (str_eq(kn, last) || run_kernel((struct run *)run, kn))
			continue;
		last = kn;
		report_note(rep, "kernel %s is on the baseline but not in this run", kn);
	}
}

/* Has the report a section for kernel? */
static bool has_kernel(const struct report *rep, const char *kernel)
{
	for (size_t i = 0; i < rep->kernels.n; i++)
		if (str_eq(rep->kernels.v[i].name, kernel))
			return true;
	return false;
}

void report_diff_suite(struct report *rep, const struct run *run, const struct baseline *b,
		       const waiver_vec *waivers, const char *today)
{
	report_diff(rep, run, b, waivers, today);
	/* A certification covers the whole suite: a kernel the baseline has
	 * and the run did not boot leaves each of its cases not run, counted
	 * (or waived) like any other case, not merely noted. */
	for (size_t j = 0; j < b->cases.n; j++) {
		const char *kn = b->cases.v[j].kernel;
		if (has_kernel(rep, kn))
			continue;
		report_begin_kernel(rep, kn, NULL);
		for (size_t x = j; x < b->cases.n; x++)
			if (strcmp(b->cases.v[x].kernel, kn) == 0)
				diff_row(rep, run, kn, b->cases.v[x].name, &b->cases.v[x], NULL, waivers, today);
		report_end_kernel(rep);
	}
}

/* report.h: the one report model every renderer reads: rows of (kernel, case, category) plus context. */
#ifndef CERTIFY_REPORT_H
#define CERTIFY_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"
#include "store.h"

/* What a row means. Plain reports use the verdict categories, diffs the
 * conformance ones, compares the change ones (docs/certify.md). */
enum category {
	CAT_PASS, CAT_FAIL, CAT_SKIP, CAT_NOT_RUN, CAT_FLAKY,
	CAT_CONFORMANT, CAT_DEVIATION, CAT_MISSING_FEATURE, CAT_EXTRA, CAT_BASELINE_UNTESTED,
	CAT_BASELINE_FAIL, CAT_WAIVED, CAT_WAIVER_UNNEEDED, CAT_WAIVER_EXPIRED,
	CAT_FIXED, CAT_REGRESSED, CAT_STILL_FAILING, CAT_SKIP_CHANGED, CAT_UNCHANGED, CAT_ADDED, CAT_REMOVED,
	CAT_COUNT
};

/* How a category maps onto pass/fail test formats (JUnit, TAP). */
enum outcome {
	OUT_OK,
	OUT_FAIL,
	OUT_SKIP,
	OUT_TODO,	/* a known, waived failure: TAP "# TODO", JUnit skipped */
	OUT_ERROR,	/* never ran: JUnit error */
};

struct category_info {
	const char *name;	/* stable, machine-readable: "missing-feature" */
	const char *title;	/* for people: "missing feature" */
	bool bad;		/* counts against the run */
	enum outcome outcome;
};
const struct category_info *category_info(enum category c);

enum report_kind { REPORT_RUN, REPORT_DIFF, REPORT_COMPARE };

struct report_row {
	const char *kernel;
	const char *name;
	enum category cat;
	enum verdict verdict;		/* in the run; VERDICT_NONE if absent */
	enum verdict ref_verdict;	/* in the baseline or first run; VERDICT_NONE if absent */
	const struct case_result *res;	/* the run's result, NULL if absent */
	const struct case_result *ref_res; /* compare: run A's result */
	const struct baseline_case *base; /* diff: the baseline's case */
	const struct waiver *waiver;	/* the waiver that applied, if any */
	const char *note;		/* why this category, for people; may be NULL */
};

struct report_kernel {
	const char *name;
	const struct kresult *k;	/* NULL if the kernel is only in the reference */
	size_t first_row, n_rows;
};

struct report_meta {
	const char *key;
	char *value;
};

struct report {
	enum report_kind kind;
	const struct run *run;
	const struct run *ref_run;		/* compare */
	const struct baseline *baseline;	/* diff */
	VEC(struct report_row) rows;
	VEC(struct report_kernel) kernels;
	VEC(struct report_meta) meta;		/* header facts in display order */
	int counts[CAT_COUNT];
	int bad;				/* rows in bad categories */
	str_vec notes;				/* report-level remarks */
};

/* Builders; the report points into its inputs, which must outlive it. */
void report_for_run(struct report *rep, const struct run *run);
void report_diff(struct report *rep, const struct run *run, const struct baseline *b,
		 const waiver_vec *waivers, const char *today);
/* report_diff plus rows for the kernels of the baseline the run lacks (each
 * case not run), as a certification of the whole suite needs. */
void report_diff_suite(struct report *rep, const struct run *run, const struct baseline *b,
		       const waiver_vec *waivers, const char *today);
void report_compare(struct report *rep, const struct run *a, const struct run *b);
void report_free(struct report *rep);
const char *report_title(const struct report *rep);
/* One-line summary, e.g. "3 conformant, 1 deviation". Caller frees. */
char *report_summary(const struct report *rep);
/* The overall answer: "conforms", "does not conform", "no regressions", ... */
const char *report_verdict(const struct report *rep);

/* Waiver matching (diff.c): does w cover this case of this run? */
bool waiver_matches(const struct waiver *w, const struct run *run, const char *kernel, const char *name);

/* Internal to the builders. */
struct report_row *report_add_row(struct report *rep, const char *kernel, const char *name, enum category cat);
void report_begin_kernel(struct report *rep, const char *name, const struct kresult *k);
void report_end_kernel(struct report *rep);
void report_add_meta(struct report *rep, const char *key, const char *value);
void report_add_run_meta(struct report *rep, const struct run *run, const char *prefix);
void report_note(struct report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

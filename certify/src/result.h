/* result.h: what a run is in memory: kernels, their cases and facts; shared by parse, store, run and report. */
#ifndef CERTIFY_RESULT_H
#define CERTIFY_RESULT_H

#include <stdbool.h>

#include "util.h"

enum verdict { VERDICT_NONE = -1, VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP, VERDICT_NOT_RUN };

/* How a kernel's boot ended (docs/certify.md "Kernel verdicts"). */
enum kernel_verdict {
	KV_COMPLETE,	/* SOTEST END seen */
	KV_HANG,	/* no SOTEST END before the timeout; VMM killed */
	KV_CRASH,	/* VMM exited, or the kernel panicked, before SOTEST END */
	KV_VMM_ERROR,	/* the VMM reported its own failure */
	KV_NO_BOOT,	/* no SOTEST VERSION line at all */
	KV_INCOMPLETE,	/* imported log that stops before SOTEST END */
};

const char *verdict_name(enum verdict v);
enum verdict verdict_parse(const char *s); /* VERDICT_NONE if unknown */
const char *kernel_verdict_name(enum kernel_verdict v);
int kernel_verdict_parse(const char *s);   /* -1 if unknown */

struct fact {
	char *key;
	char *value;
};
typedef VEC(struct fact) fact_vec;
void facts_set(fact_vec *facts, const char *key, const char *value); /* last wins */
const char *facts_get(const fact_vec *facts, const char *key);
void facts_free(fact_vec *facts);
void facts_sort(fact_vec *facts);

struct case_result {
	char *name;
	enum verdict verdict;
	long ms;	/* -1 when the log gave no duration */
	char *ref;	/* manual section, may be NULL */
	char *reason;	/* assert|timeout|exception|watchdog|cond|cmdline|hang|crash|vmm-error */
	char *msg;	/* first failure message, or the skip condition */
	char *detail;	/* detail lines printed between "test case:" and the verdict */
	bool flaky;	/* failed, then passed when rerun */
	int attempts;	/* boots that ran this case (1 without reruns) */
};

struct benchmark {
	char *name;
	char *unit;
	long long value;
};

struct listed_case {
	char *name;
	char *ref;
	bool conditional;
};

/* One kernel's boot: what its log said plus how certify booted it. */
struct kresult {
	/* From the log. */
	char *kernel;		/* CERTIFY KERNEL name; NULL in Cyberus logs */
	char *suite_version;
	int protocol;		/* CERTIFY PROTOCOL version, 0 when absent */
	long begin_count;	/* SOTEST VERSION 1 BEGIN <n>, -1 when absent */
	bool version_seen;
	bool end_seen;
	bool panic;
	fact_vec facts;
	VEC(struct case_result) cases;	/* add with kresult_add_case only: it keeps case_index */
	/* cases.v positions + 1 by name hash (open addressing, 0 = free): a
	 * kernel prints hundreds of cases and every verdict line looks its
	 * case up. case_index_cap is a power of two above twice cases.n. */
	unsigned *case_index;
	size_t case_index_cap;
	VEC(struct benchmark) benchmarks;
	VEC(struct listed_case) listed; /* CERTIFY LIST output (--list) */
	long list_count;	/* CERTIFY LIST BEGIN <n>, -1 when absent */
	bool list_end_seen;
	struct strbuf notes;	/* panics, cmdline errors, parse warnings: one per line */
	int current;		/* index of the open case, -1 if none */

	/* From certify. */
	enum kernel_verdict verdict;
	char *detail;		/* why the verdict (VMM status, stderr tail) */
	char *sha256;		/* of the image booted */
	char *cmdline;		/* kernel command line */
	char *command;		/* full VMM command line */
	char *log_path;
	char *log_sha256;	/* of the log file when the run was stored; NULL if unknown */
	long duration_ms;
};

struct kresult *kresult_new(void);
void kresult_free(struct kresult *k);
/* The name (no folder, no extension) `run --rerun` gives the log of a
 * failed case's rerun, beside the kernel's own: <kernel>.rerun-<case>-<round>.
 * Caller frees. */
char *rerun_log_stem(const char *kernel, const char *case_name, int round);
struct case_result *kresult_case(struct kresult *k, const char *name); /* NULL if absent */
struct case_result *kresult_add_case(struct kresult *k, const char *name);
void kresult_note(struct kresult *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Close a kernel whose log ended: open case and unreported known cases become
 * not-run (or fail with the kernel's verdict as reason where the run ended
 * inside that case). known may be NULL. */
void kresult_finish(struct kresult *k, enum kernel_verdict verdict,
		    const char *const *known, size_t n_known);

enum provenance { PROV_VMM, PROV_BARE_METAL };
const char *provenance_name(enum provenance p);
int provenance_parse(const char *s); /* -1 if unknown */

struct run {
	char uuid[40];
	enum provenance provenance;
	char *profile;		/* NULL for imports */
	char *vmm_version;
	char *vmm_binary;
	char *machine;		/* machine name (imports), NULL otherwise */
	fact_vec machine_facts; /* facts of that machine, for a new machines row */
	char *label;
	char *suite_version;
	char started[32];
	char finished[32];
	fact_vec host_facts;	/* host.*, of the machine certify ran on */
	VEC(struct kresult *) kernels;
};

struct run *run_new(void);
void run_free(struct run *r);
/* A new random id (UUID version 4 text). */
void run_make_uuid(char out[40]);
struct kresult *run_kernel(struct run *r, const char *name);
/* Counts by case verdict over the run, for summaries. */
struct verdict_counts {
	int pass, fail, skip, not_run, flaky;
};
struct verdict_counts run_counts(const struct run *r);
/* Identity of a machine from its facts: vendor, family/model/stepping, microcode, firmware. */
char *machine_identity(const fact_vec *facts);

#endif

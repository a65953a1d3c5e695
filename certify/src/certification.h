/* certification.h: the certification of a VMM run (docs/certification.md): its conformance, its package files, and checking a package. */
#ifndef CERTIFY_CERTIFICATION_H
#define CERTIFY_CERTIFICATION_H

#include <jansson.h>
#include <stdbool.h>

#include "crypto.h"
#include "mustpass.h"
#include "package.h"
#include "report.h"

/* The package's files (docs/certification.md "Package layout"). */
#define CERT_STATEMENT "STATEMENT.md"
#define CERT_MANIFEST "manifest.json"
#define CERT_VERDICTS "verdicts.tsv"
#define CERT_WAIVERS "waivers.json"
#define CERT_BASELINE "baseline.txt"
#define CERT_MUST_PASS "must-pass.list"
#define CERT_SIGNER "signer.pub.pem"
#define CERT_LOGS "logs/"
/* manifest.json "format": a newer one is refused, never guessed at. */
#define CERT_FORMAT "certify-certification 1"

enum cert_verdict { CERT_CONFORMANT, CERT_CONFORMANT_WITH_WAIVERS, CERT_NOT_CONFORMANT };
const char *cert_verdict_name(enum cert_verdict v);

/* Per case: does it count against the VMM? */
enum cert_outcome { OUTCOME_OK, OUTCOME_DEVIATION, OUTCOME_WAIVED };
const char *cert_outcome_name(enum cert_outcome o);

struct cert_row {
	const char *kernel, *name;
	enum verdict baseline;		/* on the baseline itself; VERDICT_NONE if absent */
	enum verdict run;		/* VERDICT_NONE if the run has no result */
	const char *reason;		/* the run's reason, NULL if none */
	bool flaky;
	bool must_pass;
	enum category cat;		/* the diff category (docs/certify.md) */
	enum cert_outcome outcome;
	const struct waiver *waiver;	/* the waiver that matched, if any */
	const char *note;
};

/* How one waiver was used. */
struct cert_waiver_use {
	const struct waiver *w;
	int waived, expired, unneeded;	/* cases it covered, covered but expired, matched passing */
};

/* The conformance of a run: `certify diff` against the baseline, with the
 * must-pass cases held to pass whatever the baseline says, over the whole
 * suite, waivers judged on date. */
struct cert_eval {
	struct baseline *effective;	/* the baseline with must-pass cases as pass (owned) */
	struct report rep;
	VEC(struct cert_row) rows;	/* sorted by kernel, case */
	VEC(struct cert_waiver_use) waivers;	/* in the order given, those that matched */
	enum cert_verdict verdict;
	int deviations, waived;
};

void cert_evaluate(struct cert_eval *e, const struct run *run, const struct baseline *b,
		   const struct must_pass *mp, const waiver_vec *ws, const char *date);
void cert_eval_free(struct cert_eval *e);

/* Package files (cert_files.c). */
char *cert_verdicts_tsv(const struct cert_eval *e, size_t *len);
json_t *cert_waivers_json(const struct cert_eval *e);
json_t *cert_conformance_json(const struct cert_eval *e);

/* A rerun boot of one failed case (`run --rerun`): its log is packaged too. */
struct cert_rerun {
	const char *kernel, *name;
	int round;
};
/* The package path of a kernel's serial log, and of a rerun's: the names
 * `run` gives them in the run's log folder, under logs/. Caller frees. */
char *cert_log_path(const char *kernel);
char *cert_rerun_path(const char *kernel, const char *name, int round);

/* What the manifest records beyond the run (cert_files.c). */
struct cert_release {
	const char *date;		/* YYYY-MM-DD: waivers are judged on it */
	const char *vmm_certified;	/* the VMM version the package certifies */
	const char *must_pass_file;	/* where the list was read, for people */
	const char *signer;		/* key fingerprint, NULL when unsigned */
	const struct cert_rerun *reruns;	/* whose logs the package holds */
	size_t n_reruns;
};
json_t *cert_manifest(const struct run *run, const struct baseline *b, const struct must_pass *mp,
		      const struct cert_eval *e, const struct cert_release *rel);
char *cert_statement(const json_t *manifest, const struct cert_eval *e, const struct baseline *b,
		     const struct must_pass *mp, size_t *len);
/* JSON text as packaged: sorted keys, two-space indent, final newline. */
char *cert_json_text(const json_t *j, size_t *len);
/* The package's top directory: certification-<profile>-<vmm>-<date>. */
char *cert_top_dir(const char *profile, const char *vmm, const char *date);

/* Checking a package (cert_check.c), for `verify` and for `release`
 * before it writes one. pubkey: the key the signature must be made with,
 * NULL to check it against the key inside. Every problem goes to
 * problems; 0 when there is none. */
struct cert_check {
	enum cert_verdict verdict;
	bool signed_pkg;
	char signer[KEY_FINGERPRINT_LEN];
	size_t files, kernels, cases;
	str_vec waived;		/* "kernel/case: reason (ticket, expires)" */
	str_vec deviations;	/* "kernel/case: baseline pass, run fail (reason)" */
	str_vec expired;	/* waivers that expired by the release date */
	int must_pass_cases, must_pass_baselines;
	char *baseline, *profile, *vmm, *date, *suite;
};
int cert_check_package(const struct package *p, EVP_PKEY *pubkey, struct cert_check *out, str_vec *problems);
void cert_check_free(struct cert_check *c);

/* A one-line description of a row for people (deviation and waiver lists). */
char *cert_row_line(const struct cert_row *r);

#endif

/* store.h: the SQLite database: schema and migrations, runs, baselines, waivers. */
#ifndef CERTIFY_STORE_H
#define CERTIFY_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "result.h"

#define STORE_SCHEMA_VERSION 4

#define STORE_CACHE_SLOTS 32

struct store {
	sqlite3 *db;
	char *path;
	/* Statements prepared once per open for the hot paths (storing runs). */
	sqlite3_stmt *cache[STORE_CACHE_SLOTS];
};

enum store_mode {
	STORE_EXISTING,	/* the database must exist (read-mostly commands) */
	STORE_CREATE,	/* create it if missing (commands that add data) */
};

/* Opens, configures (WAL, foreign keys, busy timeout) and migrates. Prints
 * the reason and returns -1 on failure. */
int store_open(struct store *s, const char *path, enum store_mode mode);
void store_close(struct store *s);

/* Prepared statement helpers; they print sqlite's message with context. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql);
/* A cached statement for slot (each caller owns a fixed slot number), reset
 * and with bindings cleared. Not to be finalized by the caller. */
sqlite3_stmt *store_cached(struct store *s, int slot, const char *sql);
void store_bind_text(sqlite3_stmt *st, int idx, const char *text); /* NULL binds NULL */
int store_exec(struct store *s, const char *sql);	/* for fixed SQL without parameters */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);
/* Text column, "" for NULL, and a copy of it (NULL for NULL). */
const char *col_text(sqlite3_stmt *st, int col);
char *col_dup(sqlite3_stmt *st, int col);

/* Runs (store_run.c). */
/* Stores the whole run in one transaction; -1 (nothing stored) on failure. */
int store_save_run(struct store *s, const struct run *r);
/* Several whole runs in one transaction: all or none. */
int store_save_runs(struct store *s, struct run *const *runs, size_t n);
/* Without a transaction of its own, for callers that batch (merge). */
int store_insert_run(struct store *s, const struct run *r);
struct run *store_load_run(struct store *s, const char *uuid);
/* The version line a VMM binary gave before: binary is its resolved path,
 * file says which file it was then (size, times, inode), query how it was
 * asked. NULL when not known. */
char *store_vmm_version(struct store *s, const char *binary, const char *file, const char *query);
int store_remember_vmm_version(struct store *s, const char *binary, const char *file, const char *query,
			       const char *version);
/* Where a kernel's serial log of a stored run now is (merge moves them). */
int store_set_log_path(struct store *s, const char *uuid, const char *kernel, const char *path);
bool store_has_run(struct store *s, const char *uuid);
/* "latest", a full id or a unique prefix of one -> full id. Prints why not. */
int store_resolve_run(struct store *s, const char *ref, char uuid[40]);
struct run_summary {
	char uuid[40];
	char *profile, *vmm_version, *machine, *label, *provenance, *started;
	int kernels, pass, fail, skip, not_run, flaky;
};
typedef VEC(struct run_summary) run_summary_vec;
/* Newest first. */
int store_list_runs(struct store *s, run_summary_vec *out);
void run_summaries_free(run_summary_vec *v);
/* Case names earlier runs of this kernel reported, in first-seen order. */
int store_known_cases(struct store *s, const char *kernel, const char *suite_version,
		      str_vec *out);

/* Baselines (store_baseline.c). */
struct baseline_case {
	char *kernel;
	char *name;
	enum verdict verdict;
	char *ref;
	char *msg;
};
struct baseline {
	char uuid[40];
	char *name;
	enum provenance provenance;
	char *machine;
	char *identity;
	fact_vec facts;
	char *source_run;
	char created[32];
	char *suite_version;
	VEC(struct baseline_case) cases;
};
struct baseline *baseline_new(void);
void baseline_free(struct baseline *b);
const struct baseline_case *baseline_case(const struct baseline *b, const char *kernel, const char *name);
/* replace: drop an existing baseline of that name first. Fails if it exists and !replace. */
int store_save_baseline(struct store *s, const struct baseline *b, bool replace);
struct baseline *store_load_baseline(struct store *s, const char *name); /* prints why not */
bool store_has_baseline(struct store *s, const char *name, char uuid_out[40]);
int store_list_baseline_names(struct store *s, str_vec *out);

struct waiver {
	long id;
	char *profile;
	char *case_glob;
	char *reason;
	char *ticket;
	char *expires;		/* YYYY-MM-DD or NULL */
	char *vmm_glob;		/* NULL matches any VMM version */
	char *created;
};
typedef VEC(struct waiver) waiver_vec;
int store_add_waiver(struct store *s, const struct waiver *w);
/* profile NULL lists all. */
int store_list_waivers(struct store *s, const char *profile, waiver_vec *out);
int store_remove_waiver(struct store *s, long id);
void waivers_free(waiver_vec *v);

#endif

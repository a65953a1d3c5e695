/* store.c: opening the database, the versioned schema with its migrations, statement helpers. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* migrations[i] takes a database from user_version i to i + 1. Never edit a
 * shipped step: add a new one, so every old database can be brought forward. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE machines ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  identity TEXT NOT NULL);"
	"CREATE TABLE machine_facts ("
	"  machine_id INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (machine_id, key));"
	"CREATE TABLE kernels ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  version TEXT NOT NULL DEFAULT '',"
	"  sha256 TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (name, version, sha256));"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  provenance TEXT NOT NULL CHECK (provenance IN ('vmm', 'bare-metal')),"
	"  profile TEXT, vmm_version TEXT, vmm_binary TEXT,"
	"  machine_id INTEGER REFERENCES machines(id),"
	"  label TEXT, suite_version TEXT,"
	"  started TEXT NOT NULL, finished TEXT NOT NULL);"
	"CREATE INDEX runs_by_start ON runs(started);"
	"CREATE TABLE run_facts ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, key));"
	"CREATE TABLE run_kernels ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  kernel_id INTEGER NOT NULL REFERENCES kernels(id),"
	"  name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('complete','hang','crash','vmm-error','no-boot','incomplete')),"
	"  detail TEXT, notes TEXT, begin_count INTEGER,"
	"  cmdline TEXT, command TEXT, log_path TEXT, duration_ms INTEGER,"
	"  UNIQUE (run_id, name));"
	"CREATE TABLE kernel_facts ("
	"  run_kernel_id INTEGER NOT NULL REFERENCES run_kernels(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (run_kernel_id, key));"
	/* Keyed by print order in one b-tree (WITHOUT ROWID): storing is
	 * the hot path, and the parser already keeps names unique per kernel. */
	"CREATE TABLE results ("
	"  run_kernel_id INTEGER NOT NULL REFERENCES run_kernels(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass','fail','skip','not-run')),"
	"  duration_ms INTEGER, reference TEXT, reason TEXT, msg TEXT, detail TEXT,"
	"  flaky INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1,"
	"  PRIMARY KEY (run_kernel_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE benchmarks ("
	"  run_kernel_id INTEGER NOT NULL REFERENCES run_kernels(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, value INTEGER NOT NULL);"
	"CREATE TABLE baselines ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL UNIQUE,"
	"  provenance TEXT NOT NULL CHECK (provenance IN ('vmm', 'bare-metal')),"
	"  machine TEXT NOT NULL, identity TEXT NOT NULL,"
	"  source_run TEXT, created TEXT NOT NULL, suite_version TEXT);"
	"CREATE TABLE baseline_facts ("
	"  baseline_id INTEGER NOT NULL REFERENCES baselines(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (baseline_id, key));"
	"CREATE TABLE baseline_results ("
	"  baseline_id INTEGER NOT NULL REFERENCES baselines(id) ON DELETE CASCADE,"
	"  kernel TEXT NOT NULL, name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass','fail','skip','not-run')),"
	"  reference TEXT, msg TEXT,"
	"  PRIMARY KEY (baseline_id, kernel, name));"
	"CREATE TABLE waivers ("
	"  id INTEGER PRIMARY KEY,"
	"  profile TEXT NOT NULL, case_glob TEXT NOT NULL,"
	"  reason TEXT NOT NULL, ticket TEXT, expires TEXT, vmm_glob TEXT,"
	"  created TEXT NOT NULL,"
	"  UNIQUE (profile, case_glob, vmm_glob));",
	/* 1 -> 2: the same results table, its verdict CHECK spelt as
	 * comparisons. SQLite evaluates an IN list of more than two constants
	 * by building a temporary b-tree, once per INSERT statement run: per
	 * case result, over a third of the CPU time `import` took. */
	"CREATE TABLE results_v2 ("
	"  run_kernel_id INTEGER NOT NULL REFERENCES run_kernels(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  verdict TEXT NOT NULL"
	"    CHECK (verdict = 'pass' OR verdict = 'fail' OR verdict = 'skip' OR verdict = 'not-run'),"
	"  duration_ms INTEGER, reference TEXT, reason TEXT, msg TEXT, detail TEXT,"
	"  flaky INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1,"
	"  PRIMARY KEY (run_kernel_id, seq)) WITHOUT ROWID;"
	"INSERT INTO results_v2 (run_kernel_id, seq, name, verdict, duration_ms, reference, reason, msg,"
	"  detail, flaky, attempts)"
	"  SELECT run_kernel_id, seq, name, verdict, duration_ms, reference, reason, msg, detail, flaky,"
	"  attempts FROM results;"
	"DROP TABLE results;"
	"ALTER TABLE results_v2 RENAME TO results;",
	/* 2 -> 3: the version line each VMM binary file gave, so `run` need
	 * not start the VMM once more only to ask it (QEMU: ~40 ms of CPU). */
	"CREATE TABLE vmm_versions ("
	"  binary TEXT NOT NULL,"	/* resolved path */
	"  file TEXT NOT NULL,"		/* size, times, inode: which file it was */
	"  query TEXT NOT NULL,"	/* the profile's version_args and version_match */
	"  version TEXT NOT NULL,"
	"  PRIMARY KEY (binary, file, query)) WITHOUT ROWID;",
	/* 3 -> 4: the SHA-256 of each kernel's serial log as it was when the
	 * run was stored. The log stays a file beside the database; the hash
	 * lets `release` prove that the log it packages is the one these
	 * verdicts were parsed from, not one edited or replaced since. */
	"ALTER TABLE run_kernels ADD COLUMN log_sha256 TEXT;",
};

#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

static int user_version(struct store *s)
{
	sqlite3_stmt *st = store_prepare(s, "PRAGMA user_version");
	if (!st)
		return -1;
	int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct store *s)
{
	int v = user_version(s);
	if (v < 0)
		return -1;
	if (v > STORE_SCHEMA_VERSION) {
		errorf("%s has schema version %d, newer than this certify knows (%d): use a newer certify",
		       s->path, v, STORE_SCHEMA_VERSION);
		return -1;
	}
	while (v < STORE_SCHEMA_VERSION) {
		if (store_begin(s))
			return -1;
		/* Re-read inside the write lock: another certify may have migrated. */
		int now = user_version(s);
		if (now != v) {
			store_rollback(s);
			v = now;
			continue;
		}
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, migrations[v]) || store_exec(s, pragma)) {
			store_rollback(s);
			errorf("cannot migrate %s from schema %d to %d", s->path, v, v + 1);
			return -1;
		}
		if (store_commit(s))
			return -1;
		v++;
	}
	return 0;
}

int store_open(struct store *s, const char *path, enum store_mode mode)
{
	memset(s, 0, sizeof(*s));
	if (mode == STORE_EXISTING && access(path, F_OK) != 0) {
		errorf("no database at %s: create one with `certify run` or `certify import`, "
		       "or name another with --db or $CERTIFY_DB", path);
		return -1;
	}
	s->path = xstrdup(path);
	/* NOMUTEX: certify has one thread and a connection per store, so the
	 * lock SQLite would take around every call (a few per stored result)
	 * protects nothing. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		errorf("cannot open database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : strerror(errno));
		store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	/* WAL lets readers (report, matrix) work while a run stores; foreign
	 * keys are off by default in SQLite and must be asked for. */
	if (store_exec(s, "PRAGMA foreign_keys = ON") ||
	    store_exec(s, "PRAGMA journal_mode = WAL") ||
	    store_exec(s, "PRAGMA synchronous = NORMAL")) {
		errorf("%s is not a usable certify database", path);
		store_close(s);
		return -1;
	}
	if (migrate(s)) {
		store_close(s);
		return -1;
	}
	return 0;
}

void store_close(struct store *s)
{
	for (int i = 0; i < STORE_CACHE_SLOTS; i++)
		sqlite3_finalize(s->cache[i]);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		errorf("database %s: %s", s->path, sqlite3_errmsg(s->db));
		return NULL;
	}
	return st;
}

sqlite3_stmt *store_cached(struct store *s, int slot, const char *sql)
{
	if (!s->cache[slot]) {
		s->cache[slot] = store_prepare(s, sql);
		return s->cache[slot];
	}
	sqlite3_reset(s->cache[slot]);
	sqlite3_clear_bindings(s->cache[slot]);
	return s->cache[slot];
}

void store_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		errorf("database %s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_begin(struct store *s)
{
	/* IMMEDIATE takes the write lock now, so a busy database waits here
	 * (busy timeout) instead of failing half way through. */
	return store_exec(s, "BEGIN IMMEDIATE");
}

int store_commit(struct store *s)
{
	return store_exec(s, "COMMIT");
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

char *col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? xstrdup((const char *)t) : NULL;
}

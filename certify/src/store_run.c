/* store_run.c: writing a run (one transaction), reading it back, listing and addressing runs. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fixed statement-cache slots of this file. */
enum {
	SLOT_MACHINE_GET, SLOT_MACHINE_ADD, SLOT_MACHINE_FACT, SLOT_RUN_ADD, SLOT_RUN_FACT,
	SLOT_KERNEL_ADD, SLOT_KERNEL_GET, SLOT_RK_ADD, SLOT_KFACT_ADD, SLOT_RESULT_ADD,
	SLOT_BENCH_ADD,
};

/* Storing is the hot path: bind without copying (the run outlives the
 * step) and drop the bindings right after, so no statement keeps pointers. */
static void bind(sqlite3_stmt *st, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		errorf("database %s: storing %s: %s", s->path, what, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* The machines row for an import; the name must keep meaning one machine. */
static int machine_id(struct store *s, const struct run *r, sqlite3_int64 *id)
{
	*id = 0;
	if (!r->machine)
		return 0;
	char *identity = machine_identity(&r->machine_facts);
	sqlite3_stmt *st = store_cached(s, SLOT_MACHINE_GET, "SELECT id, identity FROM machines WHERE name = ?");
	int rc = -1;
	if (!st)
		goto out;
	bind(st, 1, r->machine);
	if (sqlite3_step(st) == SQLITE_ROW) {
		/* A bare-metal machine's name must keep meaning the same CPU,
		 * microcode and firmware, or its baselines would mix machines.
		 * Under a VMM the guest-visible CPU varies with the profile. */
		if (r->provenance == PROV_BARE_METAL && strcmp(col_text(st, 1), identity) != 0) {
			errorf("machine %s is already recorded as \"%s\" but these logs show \"%s\"; "
			       "pick another --machine name (e.g. with the new microcode or firmware in it)",
			       r->machine, col_text(st, 1), identity);
			goto out;
		}
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
		goto out;
	}
	st = store_cached(s, SLOT_MACHINE_ADD, "INSERT INTO machines (name, identity) VALUES (?, ?)");
	if (!st)
		goto out;
	bind(st, 1, r->machine);
	bind(st, 2, identity);
	if (step_done(s, st, "the machine"))
		goto out;
	*id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < r->machine_facts.n; i++) {
		st = store_cached(s, SLOT_MACHINE_FACT,
				  "INSERT INTO machine_facts (machine_id, key, value) VALUES (?, ?, ?)");
		if (!st)
			goto out;
		sqlite3_bind_int64(st, 1, *id);
		bind(st, 2, r->machine_facts.v[i].key);
		bind(st, 3, r->machine_facts.v[i].value);
		if (step_done(s, st, "machine facts"))
			goto out;
	}
	rc = 0;
out:
	free(identity);
	return rc;
}

static int kernel_id(struct store *s, const struct kresult *k, sqlite3_int64 *id)
{
	sqlite3_stmt *st = store_cached(s, SLOT_KERNEL_ADD,
					"INSERT OR IGNORE INTO kernels (name, version, sha256) VALUES (?, ?, ?)");
	if (!st)
		return -1;
	bind(st, 1, k->kernel);
	bind(st, 2, k->suite_version ? k->suite_version : "");
	bind(st, 3, k->sha256 ? k->sha256 : "");
	if (step_done(s, st, "the kernel"))
		return -1;
	st = store_cached(s, SLOT_KERNEL_GET, "SELECT id FROM kernels WHERE name = ? AND version = ? AND sha256 = ?");
	if (!st)
		return -1;
	bind(st, 1, k->kernel);
	bind(st, 2, k->suite_version ? k->suite_version : "");
	bind(st, 3, k->sha256 ? k->sha256 : "");
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_done(s, st, "the kernel"), -1;
	*id = sqlite3_column_int64(st, 0);
	return 0;
}

static void bind_long_or_null(sqlite3_stmt *st, int idx, long v)
{
	if (v < 0)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_int64(st, idx, v);
}

static int insert_kernel(struct store *s, sqlite3_int64 run_id, const struct kresult *k)
{
	sqlite3_int64 kid, rkid;
	if (!k->kernel) {
		errorf("a kernel of run has no name (internal error)");
		return -1;
	}
	if (kernel_id(s, k, &kid))
		return -1;
	sqlite3_stmt *st = store_cached(s, SLOT_RK_ADD,
		"INSERT INTO run_kernels (run_id, kernel_id, name, verdict, detail, notes, begin_count,"
		" cmdline, command, log_path, duration_ms, log_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, kid);
	bind(st, 3, k->kernel);
	bind(st, 4, kernel_verdict_name(k->verdict));
	bind(st, 5, k->detail);
	bind(st, 6, k->notes.len ? k->notes.buf : NULL);
	bind_long_or_null(st, 7, k->begin_count);
	bind(st, 8, k->cmdline);
	bind(st, 9, k->command);
	bind(st, 10, k->log_path);
	bind_long_or_null(st, 11, k->duration_ms);
	bind(st, 12, k->log_sha256);
	if (step_done(s, st, "a kernel of the run"))
		return -1;
	rkid = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < k->facts.n; i++) {
		st = store_cached(s, SLOT_KFACT_ADD,
				  "INSERT INTO kernel_facts (run_kernel_id, key, value) VALUES (?, ?, ?)");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, rkid);
		bind(st, 2, k->facts.v[i].key);
		bind(st, 3, k->facts.v[i].value);
		if (step_done(s, st, "kernel facts"))
			return -1;
	}
	for (size_t i = 0; i < k->cases.n; i++) {
		const struct case_result *c = &k->cases.v[i];
		if (c->verdict == VERDICT_NONE) {
			errorf("case %s of kernel %s has no verdict (internal error)", c->name, k->kernel);
			return -1;
		}
		st = store_cached(s, SLOT_RESULT_ADD,
			"INSERT INTO results (run_kernel_id, seq, name, verdict, duration_ms, reference, reason,"
			" msg, detail, flaky, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, rkid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind(st, 3, c->name);
		bind(st, 4, verdict_name(c->verdict));
		bind_long_or_null(st, 5, c->ms);
		bind(st, 6, c->ref);
		bind(st, 7, c->reason);
		bind(st, 8, c->msg);
		bind(st, 9, c->detail);
		sqlite3_bind_int(st, 10, c->flaky);
		sqlite3_bind_int(st, 11, c->attempts);
		if (step_done(s, st, "a case result"))
			return -1;
	}
	for (size_t i = 0; i < k->benchmarks.n; i++) {
		st = store_cached(s, SLOT_BENCH_ADD,
				  "INSERT INTO benchmarks (run_kernel_id, seq, name, unit, value) VALUES (?, ?, ?, ?, ?)");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, rkid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind(st, 3, k->benchmarks.v[i].name);
		bind(st, 4, k->benchmarks.v[i].unit);
		sqlite3_bind_int64(st, 5, k->benchmarks.v[i].value);
		if (step_done(s, st, "a benchmark"))
			return -1;
	}
	return 0;
}

int store_insert_run(struct store *s, const struct run *r)
{
	sqlite3_int64 mid;
	if (machine_id(s, r, &mid))
		return -1;
	sqlite3_stmt *st = store_cached(s, SLOT_RUN_ADD,
		"INSERT INTO runs (uuid, provenance, profile, vmm_version, vmm_binary, machine_id, label,"
		" suite_version, started, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	bind(st, 1, r->uuid);
	bind(st, 2, provenance_name(r->provenance));
	bind(st, 3, r->profile);
	bind(st, 4, r->vmm_version);
	bind(st, 5, r->vmm_binary);
	if (mid)
		sqlite3_bind_int64(st, 6, mid);
	bind(st, 7, r->label);
	bind(st, 8, r->suite_version);
	bind(st, 9, r->started);
	bind(st, 10, r->finished);
	if (step_done(s, st, "the run"))
		return -1;
	sqlite3_int64 run_id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < r->host_facts.n; i++) {
		st = store_cached(s, SLOT_RUN_FACT, "INSERT INTO run_facts (run_id, key, value) VALUES (?, ?, ?)");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, run_id);
		bind(st, 2, r->host_facts.v[i].key);
		bind(st, 3, r->host_facts.v[i].value);
		if (step_done(s, st, "host facts"))
			return -1;
	}
	for (size_t i = 0; i < r->kernels.n; i++)
		if (insert_kernel(s, run_id, r->kernels.v[i]))
			return -1;
	return 0;
}

int store_save_run(struct store *s, const struct run *r)
{
	if (store_begin(s))
		return -1;
	if (store_insert_run(s, r)) {
		store_rollback(s);
		errorf("nothing of run %s was stored", r->uuid);
		return -1;
	}
	return store_commit(s);
}

int store_save_runs(struct store *s, struct run *const *runs, size_t n)
{
	if (store_begin(s))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (store_insert_run(s, runs[i])) {
			store_rollback(s);
			errorf("none of the %zu runs from %s on were stored", n, runs[0]->kernels.n ?
			       str_or(runs[0]->kernels.v[0]->log_path, "?") : "?");
			return -1;
		}
	}
	return store_commit(s);
}

bool store_has_run(struct store *s, const char *uuid)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM runs WHERE uuid = ?");
	if (!st)
		return false;
	store_bind_text(st, 1, uuid);
	bool has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

static int load_kernels(struct store *s, struct run *r, sqlite3_int64 run_id)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT rk.id, rk.name, k.version, k.sha256, rk.verdict, rk.detail, rk.notes, rk.begin_count,"
		" rk.cmdline, rk.command, rk.log_path, rk.duration_ms, rk.log_sha256"
		" FROM run_kernels rk JOIN kernels k ON k.id = rk.kernel_id WHERE rk.run_id = ? ORDER BY rk.id");
	sqlite3_stmt *facts = store_prepare(s, "SELECT key, value FROM kernel_facts WHERE run_kernel_id = ? ORDER BY rowid");
	sqlite3_stmt *res = store_prepare(s,
		"SELECT name, verdict, duration_ms, reference, reason, msg, detail, flaky, attempts"
		" FROM results WHERE run_kernel_id = ? ORDER BY seq");
	sqlite3_stmt *bench = store_prepare(s, "SELECT name, unit, value FROM benchmarks WHERE run_kernel_id = ? ORDER BY seq");
	int rc = -1;
	if (!st || !facts || !res || !bench)
		goto out;
	sqlite3_bind_int64(st, 1, run_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kresult *k = kresult_new();
		VEC_PUSH(r->kernels, k);
		sqlite3_int64 rkid = sqlite3_column_int64(st, 0);
		k->kernel = col_dup(st, 1);
		k->suite_version = *col_text(st, 2) ? col_dup(st, 2) : NULL;
		k->sha256 = *col_text(st, 3) ? col_dup(st, 3) : NULL;
		int kv = kernel_verdict_parse(col_text(st, 4));
		k->verdict = kv < 0 ? KV_INCOMPLETE : (enum kernel_verdict)kv;
		k->detail = col_dup(st, 5);
		sb_adds(&k->notes, col_text(st, 6));
		k->begin_count = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 7);
		k->version_seen = k->verdict != KV_NO_BOOT;
		k->end_seen = k->verdict == KV_COMPLETE;
		k->cmdline = col_dup(st, 8);
		k->command = col_dup(st, 9);
		k->log_path = col_dup(st, 10);
		k->duration_ms = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 11);
		k->log_sha256 = col_dup(st, 12);

		sqlite3_reset(facts);
		sqlite3_bind_int64(facts, 1, rkid);
		while (sqlite3_step(facts) == SQLITE_ROW)
			facts_set(&k->facts, col_text(facts, 0), col_text(facts, 1));
		sqlite3_reset(res);
		sqlite3_bind_int64(res, 1, rkid);
		while (sqlite3_step(res) == SQLITE_ROW) {
			struct case_result *c = kresult_add_case(k, col_text(res, 0));
			c->verdict = verdict_parse(col_text(res, 1));
			c->ms = sqlite3_column_type(res, 2) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(res, 2);
			c->ref = col_dup(res, 3);
			c->reason = col_dup(res, 4);
			c->msg = col_dup(res, 5);
			c->detail = col_dup(res, 6);
			c->flaky = sqlite3_column_int(res, 7) != 0;
			c->attempts = sqlite3_column_int(res, 8);
		}
		sqlite3_reset(bench);
		sqlite3_bind_int64(bench, 1, rkid);
		while (sqlite3_step(bench) == SQLITE_ROW) {
			struct benchmark b = { col_dup(bench, 0), col_dup(bench, 1), sqlite3_column_int64(bench, 2) };
			VEC_PUSH(k->benchmarks, b);
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(facts);
	sqlite3_finalize(res);
	sqlite3_finalize(bench);
	return rc;
}

struct run *store_load_run(struct store *s, const char *uuid)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT r.id, r.provenance, r.profile, r.vmm_version, r.vmm_binary, m.name, r.label,"
		" r.suite_version, r.started, r.finished, r.machine_id"
		" FROM runs r LEFT JOIN machines m ON m.id = r.machine_id WHERE r.uuid = ?");
	if (!st)
		return NULL;
	store_bind_text(st, 1, uuid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		errorf("no run %s in %s: `certify runs` lists the runs there", uuid, s->path);
		sqlite3_finalize(st);
		return NULL;
	}
	struct run *r = run_new();
	snprintf(r->uuid, sizeof(r->uuid), "%s", uuid);
	sqlite3_int64 id = sqlite3_column_int64(st, 0);
	r->provenance = provenance_parse(col_text(st, 1)) == PROV_BARE_METAL ? PROV_BARE_METAL : PROV_VMM;
	r->profile = col_dup(st, 2);
	r->vmm_version = col_dup(st, 3);
	r->vmm_binary = col_dup(st, 4);
	r->machine = col_dup(st, 5);
	r->label = col_dup(st, 6);
	r->suite_version = col_dup(st, 7);
	snprintf(r->started, sizeof(r->started), "%s", col_text(st, 8));
	snprintf(r->finished, sizeof(r->finished), "%s", col_text(st, 9));
	sqlite3_int64 mid = sqlite3_column_int64(st, 10);
	sqlite3_finalize(st);

	st = store_prepare(s, "SELECT key, value FROM run_facts WHERE run_id = ? ORDER BY rowid");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		facts_set(&r->host_facts, col_text(st, 0), col_text(st, 1));
	sqlite3_finalize(st);
	if (mid) {
		st = store_prepare(s, "SELECT key, value FROM machine_facts WHERE machine_id = ? ORDER BY key");
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, mid);
		while (sqlite3_step(st) == SQLITE_ROW)
			facts_set(&r->machine_facts, col_text(st, 0), col_text(st, 1));
		sqlite3_finalize(st);
	}
	if (load_kernels(s, r, id))
		goto fail;
	return r;
fail:
	run_free(r);
	return NULL;
}

char *store_vmm_version(struct store *s, const char *binary, const char *file, const char *query)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT version FROM vmm_versions WHERE binary = ? AND file = ? AND query = ?");
	if (!st)
		return NULL;
	store_bind_text(st, 1, binary);
	store_bind_text(st, 2, file);
	store_bind_text(st, 3, query);
	char *version = sqlite3_step(st) == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_finalize(st);
	return version;
}

int store_remember_vmm_version(struct store *s, const char *binary, const char *file, const char *query,
			       const char *version)
{
	/* One row per binary and query: the file it was before is gone. */
	sqlite3_stmt *del = store_prepare(s, "DELETE FROM vmm_versions WHERE binary = ? AND query = ?");
	sqlite3_stmt *add = store_prepare(s, "INSERT INTO vmm_versions (binary, file, query, version) VALUES (?, ?, ?, ?)");
	int rc = -1;
	if (!del || !add || store_begin(s))
		goto out;
	store_bind_text(del, 1, binary);
	store_bind_text(del, 2, query);
	store_bind_text(add, 1, binary);
	store_bind_text(add, 2, file);
	store_bind_text(add, 3, query);
	store_bind_text(add, 4, version);
	if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(add) != SQLITE_DONE) {
		errorf("database %s: remembering the version of %s: %s", s->path, binary, sqlite3_errmsg(s->db));
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s);
	if (rc)
		store_rollback(s);
out:
	sqlite3_finalize(del);
	sqlite3_finalize(add);
	return rc;
}

int store_set_log_path(struct store *s, const char *uuid, const char *kernel, const char *path)
{
	sqlite3_stmt *st = store_prepare(s,
		"UPDATE run_kernels SET log_path = ?3"
		" WHERE run_id = (SELECT id FROM runs WHERE uuid = ?1) AND name = ?2");
	if (!st)
		return -1;
	store_bind_text(st, 1, uuid);
	store_bind_text(st, 2, kernel);
	store_bind_text(st, 3, path);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc)
		errorf("database %s: recording the log of %s in run %s: %s", s->path, kernel, uuid,
		       sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

int store_resolve_run(struct store *s, const char *ref, char uuid[40])
{
	sqlite3_stmt *st;
	if (strcmp(ref, "latest") == 0) {
		st = store_prepare(s, "SELECT uuid FROM runs ORDER BY started DESC, id DESC LIMIT 1");
		if (!st)
			return -1;
		if (sqlite3_step(st) != SQLITE_ROW) {
			errorf("%s holds no runs yet: `certify run` or `certify import` adds some", s->path);
			sqlite3_finalize(st);
			return -1;
		}
		snprintf(uuid, 40, "%s", col_text(st, 0));
		sqlite3_finalize(st);
		return 0;
	}
	if (!*ref || strspn(ref, "0123456789abcdef-") != strlen(ref)) {
		errorf("\"%s\" is not a run id: use an id (or a unique prefix of one) from `certify runs`, or latest", ref);
		return -1;
	}
	st = store_prepare(s, "SELECT uuid FROM runs WHERE substr(uuid, 1, length(?1)) = ?1 ORDER BY uuid LIMIT 2");
	if (!st)
		return -1;
	store_bind_text(st, 1, ref);
	int found = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (found++ == 0)
			snprintf(uuid, 40, "%s", col_text(st, 0));
	}
	sqlite3_finalize(st);
	if (found == 0) {
		errorf("no run %s in %s: `certify runs` lists the runs there", ref, s->path);
		return -1;
	}
	if (found > 1) {
		errorf("run id prefix %s is ambiguous: give more of the id", ref);
		return -1;
	}
	return 0;
}

int store_list_runs(struct store *s, run_summary_vec *out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT r.uuid, r.profile, r.vmm_version, m.name, r.label, r.provenance, r.started,"
		" (SELECT count(*) FROM run_kernels rk WHERE rk.run_id = r.id),"
		" sum(x.verdict = 'pass'), sum(x.verdict = 'fail'), sum(x.verdict = 'skip'),"
		" sum(x.verdict = 'not-run'), sum(x.flaky)"
		" FROM runs r LEFT JOIN machines m ON m.id = r.machine_id"
		" LEFT JOIN run_kernels rk ON rk.run_id = r.id LEFT JOIN results x ON x.run_kernel_id = rk.id"
		" GROUP BY r.id ORDER BY r.started DESC, r.id DESC");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct run_summary rs = { 0 };
		snprintf(rs.uuid, sizeof(rs.uuid), "%s", col_text(st, 0));
		rs.profile = col_dup(st, 1);
		rs.vmm_version = col_dup(st, 2);
		rs.machine = col_dup(st, 3);
		rs.label = col_dup(st, 4);
		rs.provenance = col_dup(st, 5);
		rs.started = col_dup(st, 6);
		rs.kernels = sqlite3_column_int(st, 7);
		rs.pass = sqlite3_column_int(st, 8);
		rs.fail = sqlite3_column_int(st, 9);
		rs.skip = sqlite3_column_int(st, 10);
		rs.not_run = sqlite3_column_int(st, 11);
		rs.flaky = sqlite3_column_int(st, 12);
		VEC_PUSH(*out, rs);
	}
	sqlite3_finalize(st);
	return 0;
}

void run_summaries_free(run_summary_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].profile);
		free(v->v[i].vmm_version);
		free(v->v[i].machine);
		free(v->v[i].label);
		free(v->v[i].provenance);
		free(v->v[i].started);
	}
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

int store_known_cases(struct store *s, const char *kernel, const char *suite_version, str_vec *out)
{
	/* Cases of this kernel version, in the order the newest complete run printed them. */
	sqlite3_stmt *st = store_prepare(s,
		"SELECT x.name FROM results x JOIN run_kernels rk ON rk.id = x.run_kernel_id"
		" JOIN kernels k ON k.id = rk.kernel_id"
		" WHERE rk.id = (SELECT rk2.id FROM run_kernels rk2 JOIN kernels k2 ON k2.id = rk2.kernel_id"
		"   WHERE rk2.name = ?1 AND k2.version = ?2 AND rk2.verdict = 'complete' ORDER BY rk2.id DESC LIMIT 1)"
		" ORDER BY x.seq");
	if (!st)
		return -1;
	store_bind_text(st, 1, kernel);
	store_bind_text(st, 2, suite_version ? suite_version : "");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *name = col_dup(st, 0);
		VEC_PUSH(*out, name);
	}
	sqlite3_finalize(st);
	return 0;
}

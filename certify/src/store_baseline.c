/* store_baseline.c: baselines (per-machine reference verdicts) and waivers in the database. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct baseline *baseline_new(void)
{
	struct baseline *b = xcalloc(1, sizeof(*b));
	run_make_uuid(b->uuid);
	iso_time_now(b->created);
	return b;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->machine);
	free(b->identity);
	facts_free(&b->facts);
	free(b->source_run);
	free(b->suite_version);
	for (size_t i = 0; i < b->cases.n; i++) {
		free(b->cases.v[i].kernel);
		free(b->cases.v[i].name);
		free(b->cases.v[i].ref);
		free(b->cases.v[i].msg);
	}
	free(b->cases.v);
	free(b);
}

const struct baseline_case *baseline_case(const struct baseline *b, const char *kernel, const char *name)
{
	for (size_t i = 0; i < b->cases.n; i++)
		if (strcmp(b->cases.v[i].name, name) == 0 && strcmp(b->cases.v[i].kernel, kernel) == 0)
			return &b->cases.v[i];
	return NULL;
}

bool store_has_baseline(struct store *s, const char *name, char uuid_out[40])
{
	sqlite3_stmt *st = store_prepare(s, "SELECT uuid FROM baselines WHERE name = ?");
	if (!st)
		return false;
	store_bind_text(st, 1, name);
	bool has = sqlite3_step(st) == SQLITE_ROW;
	if (has && uuid_out)
		snprintf(uuid_out, 40, "%s", col_text(st, 0));
	sqlite3_finalize(st);
	return has;
}

static int step_ok(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		errorf("database %s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int insert_baseline(struct store *s, const struct baseline *b, bool replace)
{
	sqlite3_stmt *st;
	if (store_has_baseline(s, b->name, NULL)) {
		if (!replace) {
			errorf("baseline %s exists; record it under another name, or pass --replace", b->name);
			return -1;
		}
		st = store_prepare(s, "DELETE FROM baselines WHERE name = ?");
		if (!st)
			return -1;
		store_bind_text(st, 1, b->name);
		if (step_ok(s, st))
			return -1;
	}
	st = store_prepare(s,
		"INSERT INTO baselines (uuid, name, provenance, machine, identity, source_run, created, suite_version)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	store_bind_text(st, 1, b->uuid);
	store_bind_text(st, 2, b->name);
	store_bind_text(st, 3, provenance_name(b->provenance));
	store_bind_text(st, 4, b->machine ? b->machine : b->name);
	store_bind_text(st, 5, b->identity ? b->identity : "");
	store_bind_text(st, 6, b->source_run);
	store_bind_text(st, 7, b->created);
	store_bind_text(st, 8, b->suite_version);
	if (step_ok(s, st))
		return -1;
	sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < b->facts.n; i++) {
		st = store_prepare(s, "INSERT INTO baseline_facts (baseline_id, key, value) VALUES (?, ?, ?)");
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		store_bind_text(st, 2, b->facts.v[i].key);
		store_bind_text(st, 3, b->facts.v[i].value);
		if (step_ok(s, st))
			return -1;
	}
	sqlite3_stmt *res = store_prepare(s,
		"INSERT INTO baseline_results (baseline_id, kernel, name, verdict, reference, msg) VALUES (?, ?, ?, ?, ?, ?)");
	if (!res)
		return -1;
	for (size_t i = 0; i < b->cases.n; i++) {
		const struct baseline_case *c = &b->cases.v[i];
		sqlite3_reset(res);
		sqlite3_bind_int64(res, 1, id);
		store_bind_text(res, 2, c->kernel);
		store_bind_text(res, 3, c->name);
		store_bind_text(res, 4, verdict_name(c->verdict));
		store_bind_text(res, 5, c->ref);
		store_bind_text(res, 6, c->msg);
		if (sqlite3_step(res) != SQLITE_DONE) {
			errorf("database %s: baseline case %s/%s: %s", s->path, c->kernel, c->name, sqlite3_errmsg(s->db));
			sqlite3_finalize(res);
			return -1;
		}
	}
	sqlite3_finalize(res);
	return 0;
}

int store_save_baseline(struct store *s, const struct baseline *b, bool replace)
{
	if (store_begin(s))
		return -1;
	if (insert_baseline(s, b, replace)) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

struct baseline *store_load_baseline(struct store *s, const char *name)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT id, uuid, provenance, machine, identity, source_run, created, suite_version"
		" FROM baselines WHERE name = ?");
	if (!st)
		return NULL;
	store_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_ROW) {
		errorf("no baseline %s in %s: `certify baseline list` shows the baselines there", name, s->path);
		sqlite3_finalize(st);
		return NULL;
	}
	struct baseline *b = baseline_new();
	sqlite3_int64 id = sqlite3_column_int64(st, 0);
	snprintf(b->uuid, sizeof(b->uuid), "%s", col_text(st, 1));
	b->name = xstrdup(name);
	b->provenance = provenance_parse(col_text(st, 2)) == PROV_BARE_METAL ? PROV_BARE_METAL : PROV_VMM;
	b->machine = col_dup(st, 3);
	b->identity = col_dup(st, 4);
	b->source_run = col_dup(st, 5);
	snprintf(b->created, sizeof(b->created), "%s", col_text(st, 6));
	b->suite_version = col_dup(st, 7);
	sqlite3_finalize(st);
	st = store_prepare(s, "SELECT key, value FROM baseline_facts WHERE baseline_id = ? ORDER BY key");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		facts_set(&b->facts, col_text(st, 0), col_text(st, 1));
	sqlite3_finalize(st);
	st = store_prepare(s,
		"SELECT kernel, name, verdict, reference, msg FROM baseline_results WHERE baseline_id = ?"
		" ORDER BY kernel, name");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct baseline_case c = { col_dup(st, 0), col_dup(st, 1), verdict_parse(col_text(st, 2)),
					   col_dup(st, 3), col_dup(st, 4) };
		VEC_PUSH(b->cases, c);
	}
	sqlite3_finalize(st);
	return b;
fail:
	baseline_free(b);
	return NULL;
}

int store_list_baseline_names(struct store *s, str_vec *out)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT name FROM baselines ORDER BY name");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *n = col_dup(st, 0);
		VEC_PUSH(*out, n);
	}
	sqlite3_finalize(st);
	return 0;
}

int store_add_waiver(struct store *s, const struct waiver *w)
{
	char now[32];
	iso_time_now(now);
	sqlite3_stmt *st = store_prepare(s,
		"INSERT INTO waivers (profile, case_glob, reason, ticket, expires, vmm_glob, created)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (profile, case_glob, vmm_glob) DO UPDATE SET"
		" reason = excluded.reason, ticket = excluded.ticket, expires = excluded.expires");
	if (!st)
		return -1;
	store_bind_text(st, 1, w->profile);
	store_bind_text(st, 2, w->case_glob);
	store_bind_text(st, 3, w->reason);
	store_bind_text(st, 4, w->ticket);
	store_bind_text(st, 5, w->expires);
	/* NULL never equals NULL in a UNIQUE constraint: store "any" as '*'. */
	store_bind_text(st, 6, w->vmm_glob ? w->vmm_glob : "*");
	store_bind_text(st, 7, w->created ? w->created : now);
	return step_ok(s, st);
}

int store_list_waivers(struct store *s, const char *profile, waiver_vec *out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT id, profile, case_glob, reason, ticket, expires, vmm_glob, created FROM waivers"
		" WHERE ?1 IS NULL OR profile = ?1 ORDER BY profile, case_glob, vmm_glob");
	if (!st)
		return -1;
	store_bind_text(st, 1, profile);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct waiver w = { sqlite3_column_int64(st, 0), col_dup(st, 1), col_dup(st, 2), col_dup(st, 3),
				    col_dup(st, 4), col_dup(st, 5), col_dup(st, 6), col_dup(st, 7) };
		VEC_PUSH(*out, w);
	}
	sqlite3_finalize(st);
	return 0;
}

int store_remove_waiver(struct store *s, long id)
{
	sqlite3_stmt *st = store_prepare(s, "DELETE FROM waivers WHERE id = ?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (step_ok(s, st))
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		errorf("no waiver %ld: `certify waivers` lists them with their ids", id);
		return -1;
	}
	return 0;
}

void waivers_free(waiver_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		struct waiver *w = &v->v[i];
		free(w->profile);
		free(w->case_glob);
		free(w->reason);
		free(w->ticket);
		free(w->expires);
		free(w->vmm_glob);
		free(w->created);
	}
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

/* test_store.c: unit tests of the database layer: round trips, atomic saves, addressing, baselines, waivers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline_file.h"
#include "check.h"
#include "fixtures.h"

static char dir[] = "/tmp/certify-test-store-XXXXXX";

static void db_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int count(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return n;
}

static void test_round_trip(void)
{
	char path[512];
	db_path(path, sizeof(path), "rt.db");
	struct store s;
	CHECK(store_open(&s, path, STORE_EXISTING) != 0); /* does not exist yet */
	CHECK(store_open(&s, path, STORE_CREATE) == 0);
	struct run *r = fixture_run("vmm-run.log", "11111111-1111-4111-8111-111111111111", "qemu-kvm", PROV_VMM, KV_HANG);
	facts_set(&r->host_facts, "host.cpu", "Xeon \"test\"");
	r->kernels.v[0]->sha256 = xstrdup("ab12");
	r->kernels.v[0]->command = xstrdup("qemu-system-x86_64 -kernel x");
	r->kernels.v[0]->duration_ms = 1234;
	r->kernels.v[0]->log_sha256 = xstrdup("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	CHECK(store_save_run(&s, r) == 0);
	CHECK(store_save_run(&s, r) != 0); /* same id twice */
	CHECK_INT(count(&s, "SELECT count(*) FROM runs"), 1);
	struct run *back = store_load_run(&s, r->uuid);
	CHECK(back != NULL);
	if (back) {
		CHECK_STR(back->profile, "qemu-kvm");
		CHECK_STR(back->vmm_version, r->vmm_version);
		CHECK_STR(facts_get(&back->host_facts, "host.cpu"), "Xeon \"test\"");
		CHECK_INT(back->kernels.n, 1);
		struct kresult *a = r->kernels.v[0], *b = back->kernels.v[0];
		CHECK_INT(b->verdict, KV_HANG);
		CHECK_STR(b->sha256, "ab12");
		CHECK_INT(b->duration_ms, 1234);
		CHECK_STR(b->log_sha256, a->log_sha256);
		CHECK_INT(b->begin_count, 13);
		CHECK_STR(sb_str(&b->notes), sb_str(&a->notes));
		CHECK_INT(b->cases.n, a->cases.n);
		for (size_t i = 0; i < a->cases.n && i < b->cases.n; i++) {
			CHECK_STR(b->cases.v[i].name, a->cases.v[i].name);
			CHECK_INT(b->cases.v[i].verdict, a->cases.v[i].verdict);
			CHECK_INT(b->cases.v[i].ms, a->cases.v[i].ms);
			CHECK_STR(b->cases.v[i].msg, a->cases.v[i].msg);
			CHECK_STR(b->cases.v[i].detail, a->cases.v[i].detail);
			CHECK_STR(b->cases.v[i].reason, a->cases.v[i].reason);
		}
		CHECK_STR(facts_get(&b->facts, "cpu.hypervisor"), "KVMKVMKVM");
	}
	run_free(back);

	/* A run that fails half way stores nothing at all. */
	struct run *bad = fixture_run("protocol-example.log", "33333333-3333-4333-8333-333333333333", "qemu-kvm",
				      PROV_VMM, KV_HANG);
	struct kresult *nameless = kresult_new();
	VEC_PUSH(bad->kernels, nameless);
	CHECK(store_save_run(&s, bad) != 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM runs"), 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM run_kernels"), 1);
	run_free(bad);

	char uuid[40];
	CHECK(store_resolve_run(&s, "latest", uuid) == 0);
	CHECK_STR(uuid, r->uuid);
	CHECK(store_resolve_run(&s, "1111", uuid) == 0);
	CHECK(store_resolve_run(&s, "2222", uuid) != 0);
	CHECK(store_resolve_run(&s, "x; DROP TABLE runs", uuid) != 0);
	struct run *r2 = fixture_run("vmm-run-b.log", "11112222-2222-4222-8222-222222222222", "qemu-kvm", PROV_VMM, KV_HANG);
	snprintf(r2->started, sizeof(r2->started), "2024-05-02T00:00:00Z");
	CHECK(store_save_run(&s, r2) == 0);
	CHECK(store_resolve_run(&s, "1111", uuid) != 0); /* ambiguous */
	CHECK(store_resolve_run(&s, "latest", uuid) == 0);
	CHECK_STR(uuid, r2->uuid);

	str_vec known = { 0 };
	CHECK(store_known_cases(&s, "hello-world", "0.1.0", &known) == 0);
	CHECK_INT(known.n, 8); /* from the complete run b */
	str_vec_free(&known);

	run_summary_vec list = { 0 };
	CHECK(store_list_runs(&s, &list) == 0);
	CHECK_INT(list.n, 2);
	if (list.n == 2) {
		CHECK_STR(list.v[0].uuid, r2->uuid);
		CHECK_INT(list.v[1].fail, 6);
	}
	run_summaries_free(&list);
	CHECK_INT(count(&s, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	run_free(r);
	run_free(r2);
	store_close(&s);
}

static void test_schema_version(void)
{
	char path[512];
	db_path(path, sizeof(path), "future.db");
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	struct store s;
	CHECK(store_open(&s, path, STORE_EXISTING) != 0);
	db_path(path, sizeof(path), "junk.db");
	FILE *f = fopen(path, "w");
	fputs("this is not a database, just text that is long enough to look like a header....", f);
	fclose(f);
	CHECK(store_open(&s, path, STORE_EXISTING) != 0);
	db_path(path, sizeof(path), "v.db");
	CHECK(store_open(&s, path, STORE_CREATE) == 0);
	CHECK_INT(count(&s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	store_close(&s);
	CHECK(store_open(&s, path, STORE_EXISTING) == 0); /* reopening migrates nothing */
	store_close(&s);
}

static void test_baselines_and_waivers(void)
{
	char path[512], file[512];
	db_path(path, sizeof(path), "b.db");
	db_path(file, sizeof(file), "lab.baseline");
	struct store s;
	CHECK(store_open(&s, path, STORE_CREATE) == 0);
	struct run *r = fixture_run("baseline-run.log", "00000000-0000-4000-8000-0000000000a0", NULL, PROV_BARE_METAL,
				    KV_INCOMPLETE);
	struct baseline *b = fixture_baseline(r);
	CHECK(store_save_baseline(&s, b, false) == 0);
	CHECK(store_save_baseline(&s, b, false) != 0);
	CHECK(store_save_baseline(&s, b, true) == 0);
	struct baseline *back = store_load_baseline(&s, "lab-xeon");
	CHECK(back && back->cases.n == b->cases.n);
	CHECK(store_load_baseline(&s, "nope") == NULL);

	/* export -> import gives the same baseline, byte for byte on re-export. */
	FILE *out = fopen(file, "w");
	baseline_write(back, out);
	fclose(out);
	struct baseline *again = baseline_read(file);
	CHECK(again != NULL);
	if (again) {
		CHECK_STR(again->uuid, back->uuid);
		CHECK_STR(again->identity, back->identity);
		CHECK_INT(again->cases.n, back->cases.n);
		char *t1 = NULL, *t2 = NULL;
		size_t n1, n2;
		FILE *m1 = open_memstream(&t1, &n1), *m2 = open_memstream(&t2, &n2);
		baseline_write(back, m1);
		baseline_write(again, m2);
		fclose(m1);
		fclose(m2);
		CHECK_STR(t2, t1);
		free(t1);
		free(t2);
	}
	baseline_free(again);

	/* Broken files are refused with a line number, never half read. */
	static const char *const broken[] = {
		"format 2\nname x\nprovenance vmm\nmachine m\n",
		"format 1\nname x\nprovenance maybe\nmachine m\n",
		"format 1\nname x\nprovenance vmm\nmachine m\ncase hello-world a weird\n",
		"format 1\nname x\nprovenance vmm\nmachine m\ncase hello-world a pass\ncase hello-world a pass\n",
		"format 1\nprovenance vmm\nmachine m\n",
		"format 1\nname x\nprovenance vmm\nmachine m\nbogus line\n",
		"format 1\nname \"unterminated\nprovenance vmm\nmachine m\n",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		out = fopen(file, "w");
		fputs(broken[i], out);
		fclose(out);
		struct baseline *x = baseline_read(file);
		if (x) {
			fprintf(stderr, "broken baseline %zu was accepted\n", i);
			check_failures++;
		}
		baseline_free(x);
	}

	struct waiver w = { 0, "qemu-kvm", "lapic_*", "reason one", NULL, "2030-01-01", NULL, NULL };
	CHECK(store_add_waiver(&s, &w) == 0);
	w.reason = "reason two";
	CHECK(store_add_waiver(&s, &w) == 0); /* same key: updated */
	w.profile = "qemu-tcg";
	CHECK(store_add_waiver(&s, &w) == 0);
	waiver_vec ws = { 0 };
	CHECK(store_list_waivers(&s, "qemu-kvm", &ws) == 0);
	CHECK_INT(ws.n, 1);
	if (ws.n)
		CHECK_STR(ws.v[0].reason, "reason two");
	long id = ws.n ? ws.v[0].id : 0;
	waivers_free(&ws);
	CHECK(store_remove_waiver(&s, id) == 0);
	CHECK(store_remove_waiver(&s, id) != 0);
	CHECK(store_list_waivers(&s, NULL, &ws) == 0);
	CHECK_INT(ws.n, 1);
	waivers_free(&ws);

	baseline_free(back);
	baseline_free(b);
	run_free(r);
	store_close(&s);
}

/* A database certify wrote at schema 1 opens migrated, its data intact and
 * the constraints as strict as before. */
static void test_migration_from_v1(void)
{
	char path[512];
	db_path(path, sizeof(path), "v1.db");
	size_t n;
	char *dump = fixture_read("schema-v1.sql", &n);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, dump, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	free(dump);

	struct store s;
	CHECK(store_open(&s, path, STORE_EXISTING) == 0);
	CHECK_INT(count(&s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	CHECK_INT(count(&s, "SELECT count(*) FROM results"), 4);
	CHECK_INT(count(&s, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	char uuid[40];
	CHECK(store_resolve_run(&s, "latest", uuid) == 0);
	struct run *r = store_load_run(&s, uuid);
	CHECK(r && r->kernels.n == 1);
	if (r && r->kernels.n == 1) {
		struct kresult *k = r->kernels.v[0];
		CHECK_INT(k->cases.n, 4);
		struct case_result *c = kresult_case(k, "waits_for_irq_that_never_comes");
		CHECK(c && c->verdict == VERDICT_FAIL && c->ms == 20);
		CHECK_STR(c ? c->msg : NULL, "no IRQ on vector 0x40 within 20 ms");
		CHECK(c && c->detail && strstr(c->detail, "main.c:57"));
	}
	run_free(r);
	/* The rebuilt results table still refuses what the old one refused. */
	CHECK(store_exec(&s, "INSERT INTO results (run_kernel_id, seq, name, verdict) VALUES (1, 9, 'x', 'maybe')") != 0);
	CHECK(store_exec(&s, "INSERT INTO results (run_kernel_id, seq, name, verdict) VALUES (99, 9, 'x', 'pass')") != 0);
	CHECK(store_exec(&s, "INSERT INTO results (run_kernel_id, seq, name, verdict) VALUES (1, 0, 'x', 'pass')") != 0);
	CHECK(store_exec(&s, "INSERT INTO results (run_kernel_id, seq, name, verdict) VALUES (1, 9, 'x', 'not-run')") == 0);
	/* Deleting a run still takes its results along. */
	CHECK(store_exec(&s, "DELETE FROM runs") == 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM results"), 0);
	store_close(&s);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_round_trip);
	RUN(test_schema_version);
	RUN(test_baselines_and_waivers);
	RUN(test_migration_from_v1);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return CHECK_DONE();
}

/* test_render.c: golden-file tests of every report format for run, diff and compare reports, plus format checks. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "render.h"

static const char *const exts[] = { "txt", "md", "html", "json", "xml", "tap" };

static char *render_to_string(const struct report *rep, enum format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	render_report(rep, f, out);
	fclose(out);
	return buf;
}

/* TAP 12/13 structure: version, plan, numbered points, YAML blocks closed. */
static void check_tap(const char *tap, const char *what)
{
	int plan = -1, seen = 0;
	bool in_yaml = false;
	if (!str_starts(tap, "TAP version 13\n")) {
		fprintf(stderr, "%s: no TAP version line\n", what);
		check_failures++;
		return;
	}
	size_t len = strlen(tap);
	for (size_t at = strlen("TAP version 13\n"); at < len;) {
		const char *p = tap + at;
		size_t n = strcspn(p, "\n");
		if (in_yaml) {
			if (str_starts(p, "  ...\n"))
				in_yaml = false;
			else if (!str_starts(p, "  ")) {
				fprintf(stderr, "%s: unindented line in a YAML block\n", what);
				check_failures++;
			}
		} else if (str_starts(p, "1..")) {
			CHECK(plan < 0);
			plan = atoi(p + 3);
		} else if (str_starts(p, "ok ") || str_starts(p, "not ok ")) {
			int num = atoi(p + (p[0] == 'o' ? 3 : 7));
			if (num != ++seen) {
				fprintf(stderr, "%s: test point %d numbered %d\n", what, seen, num);
				check_failures++;
			}
		} else if (str_starts(p, "  ---\n")) {
			in_yaml = true;
		} else if (!str_starts(p, "#")) {
			fprintf(stderr, "%s: unexpected TAP line: %.40s\n", what, p);
			check_failures++;
		}
		at += n + 1;
	}
	CHECK(!in_yaml);
	CHECK_INT(plan, seen);
}

static void check_json(const char *json)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_open(":memory:", &db);
	sqlite3_prepare_v2(db, "SELECT json_valid(?)", -1, &st, NULL);
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void golden(const struct report *rep, const char *name)
{
	bool update = getenv("CERTIFY_UPDATE_GOLDEN") != NULL;
	for (int f = 0; f < 6; f++) {
		char *got = render_to_string(rep, (enum format)f);
		char rel[256], path[1024];
		snprintf(rel, sizeof(rel), "golden/%s.%s", name, exts[f]);
		snprintf(path, sizeof(path), "%s/%s", CERTIFY_TEST_DATA, rel);
		if (update) {
			FILE *out = fopen(path, "w");
			fputs(got, out);
			fclose(out);
		}
		char *want = read_file(path, NULL);
		if (!want || strcmp(want, got) != 0) {
			fprintf(stderr, "%s differs from the golden file (CERTIFY_UPDATE_GOLDEN=1 rewrites it)\n", rel);
			check_failures++;
		}
		if (f == FMT_TAP)
			check_tap(got, rel);
		if (f == FMT_JSON)
			check_json(got);
		free(want);
		free(got);
	}
}

static void test_run_report(void)
{
	struct run *r = fixture_run("vmm-run.log", "11111111-1111-4111-8111-111111111111", "qemu-kvm", PROV_VMM, KV_HANG);
	r->label = xstrdup("nightly <main>");
	kresult_case(r->kernels.v[0], "flaky_case")->flaky = true;
	struct report rep;
	report_for_run(&rep, r);
	CHECK_INT(rep.counts[CAT_FLAKY], 1);
	CHECK_INT(rep.counts[CAT_FAIL], 5);
	golden(&rep, "run");
	report_free(&rep);
	run_free(r);
}

static void test_diff_report(void)
{
	struct run *base = fixture_run("baseline-run.log", "00000000-0000-4000-8000-0000000000a0", NULL,
				       PROV_BARE_METAL, KV_INCOMPLETE);
	struct baseline *b = fixture_baseline(base);
	struct run *r = fixture_run("vmm-run.log", "11111111-1111-4111-8111-111111111111", "qemu-kvm", PROV_VMM, KV_HANG);
	kresult_case(r->kernels.v[0], "flaky_case")->flaky = true;
	waiver_vec ws = { 0 };
	fixture_waivers(&ws);
	struct report rep;
	report_diff(&rep, r, b, &ws, "2024-05-01");
	CHECK_INT(rep.counts[CAT_CONFORMANT], 2);
	CHECK_INT(rep.counts[CAT_DEVIATION], 2); /* waits_for_irq, stuck_case (hang) */
	CHECK_INT(rep.counts[CAT_MISSING_FEATURE], 1);
	CHECK_INT(rep.counts[CAT_WAIVED], 1);
	CHECK_INT(rep.counts[CAT_WAIVER_UNNEEDED], 1);
	CHECK_INT(rep.counts[CAT_WAIVER_EXPIRED], 1);
	CHECK_INT(rep.counts[CAT_EXTRA], 1);
	CHECK_INT(rep.counts[CAT_BASELINE_UNTESTED], 1);
	CHECK_INT(rep.counts[CAT_BASELINE_FAIL], 1);
	CHECK_INT(rep.counts[CAT_FLAKY], 1);
	CHECK_INT(rep.counts[CAT_NOT_RUN], 1);
	CHECK(rep.bad > 0);
	golden(&rep, "diff");
	report_free(&rep);

	/* The same run with every deviation waived conforms. */
	struct waiver all = { 9, xstrdup("qemu-kvm"), xstrdup("*"), xstrdup("all"), NULL, NULL, NULL, NULL };
	waiver_vec only = { 0 };
	VEC_PUSH(only, all);
	report_diff(&rep, r, b, &only, "2024-05-01");
	CHECK_INT(rep.bad, 0);
	CHECK_STR(report_verdict(&rep), "conforms");
	report_free(&rep);
	waivers_free(&only);

	waivers_free(&ws);
	baseline_free(b);
	run_free(base);
	run_free(r);
}

static void test_compare_report(void)
{
	struct run *a = fixture_run("vmm-run.log", "11111111-1111-4111-8111-111111111111", "qemu-kvm", PROV_VMM, KV_HANG);
	struct run *b = fixture_run("vmm-run-b.log", "22222222-2222-4222-8222-222222222222", "qemu-kvm", PROV_VMM, KV_HANG);
	struct report rep;
	report_compare(&rep, a, b);
	CHECK_INT(rep.counts[CAT_FIXED], 1); /* waits_for_irq; x2apic skip->pass is skip-changed */
	CHECK_INT(rep.counts[CAT_REGRESSED], 1);   /* boots_into_long_mode */
	CHECK_INT(rep.counts[CAT_STILL_FAILING], 1);
	CHECK_INT(rep.counts[CAT_ADDED], 1);
	golden(&rep, "compare");
	report_free(&rep);
	run_free(a);
	run_free(b);
}

int main(void)
{
	RUN(test_run_report);
	RUN(test_diff_report);
	RUN(test_compare_report);
	return CHECK_DONE();
}

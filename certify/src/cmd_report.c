/* cmd_report.c: `certify report`, `diff` and `compare`: load runs, build the report model, render it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

static int emit(const struct report *rep, enum format fmt, const char *out_path)
{
	FILE *out = cli_open_output(out_path);
	if (!out)
		return -1;
	render_report(rep, fmt, out);
	return cli_close_output(out, out_path);
}

/* Options shared by the three: --format and -o. */
struct report_opts {
	struct cli_common c;
	enum format fmt;
	const char *out;
	const char *baseline;
};

static int parse(int argc, char **argv, struct report_opts *o, bool want_baseline)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' },
		{ 0 },
	};
	int opt;
	while ((opt = cli_next_option(&o->c, argc, argv, "hf:o:b:", opts)) > 0) {
		switch (opt) {
		case 'f':
			if (format_parse(optarg, &o->fmt))
				return EXIT_USAGE;
			break;
		case 'o': o->out = optarg; break;
		case 'b':
			if (!want_baseline)
				return cli_usage_error(&o->c, "--baseline belongs to `certify diff`");
			o->baseline = optarg;
			break;
		}
	}
	return opt == CLI_STOP ? o->c.exit_code : -1;
}

static const char report_usage[] =
	"usage: certify report RUN [--format text|md|html|json|junit|tap] [-o FILE] [--db FILE]\n"
	"\n"
	"Renders one run: each kernel's verdict (complete, hang, crash, vmm-error,\n"
	"no-boot) and each case's (pass, fail, skip, not-run, flaky) with details.\n"
	"RUN is an id from `certify runs`, a unique prefix of one, or latest.\n";

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .c = { .db = cli_default_db(), .usage = report_usage }, .fmt = FMT_TEXT };
	int rc = parse(argc, argv, &o, false);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error(&o.c, "give exactly one RUN");
	struct store s;
	if (store_open(&s, o.c.db, STORE_EXISTING))
		return EXIT_USAGE;
	struct run *run = cli_load_run(&s, argv[optind]);
	int status = EXIT_USAGE;
	if (run) {
		struct report rep;
		report_for_run(&rep, run);
		status = emit(&rep, o.fmt, o.out) ? EXIT_USAGE : EXIT_OK;
		report_free(&rep);
		run_free(run);
	}
	store_close(&s);
	return status;
}

static const char diff_usage[] =
	"usage: certify diff --baseline NAME RUN [--format FMT] [-o FILE] [--db FILE]\n"
	"\n"
	"The conformance report of RUN against baseline NAME, case by case:\n"
	"conformant, deviation (passes on the baseline, fails here), missing feature\n"
	"(runs on the baseline, skipped here), extra, not-run, baseline-untested,\n"
	"fails on baseline, waived, waiver no longer needed, waiver expired.\n"
	"Waivers of RUN's profile apply. FMT: text, md, html, json, junit, tap.\n"
	"Exit status: 0 conforms, 1 does not conform, 2 error.\n";

int cmd_diff(int argc, char **argv)
{
	struct report_opts o = { .c = { .db = cli_default_db(), .usage = diff_usage }, .fmt = FMT_TEXT };
	int rc = parse(argc, argv, &o, true);
	if (rc >= 0)
		return rc;
	if (!o.baseline)
		return cli_usage_error(&o.c, "--baseline NAME is required (`certify baseline list` shows them)");
	if (argc - optind != 1)
		return cli_usage_error(&o.c, "give exactly one RUN");
	struct store s;
	if (store_open(&s, o.c.db, STORE_EXISTING))
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct run *run = cli_load_run(&s, argv[optind]);
	struct baseline *b = run ? store_load_baseline(&s, o.baseline) : NULL;
	waiver_vec ws = { 0 };
	if (b && run && store_list_waivers(&s, NULL, &ws) == 0) {
		char day[11];
		today(day);
		struct report rep;
		report_diff(&rep, run, b, &ws, day);
		if (emit(&rep, o.fmt, o.out) == 0)
			status = rep.bad ? EXIT_NOT_CONFORMING : EXIT_OK;
		report_free(&rep);
	}
	waivers_free(&ws);
	baseline_free(b);
	run_free(run);
	store_close(&s);
	return status;
}

static const char compare_usage[] =
	"usage: certify compare RUN_A RUN_B [--format FMT] [-o FILE] [--db FILE]\n"
	"\n"
	"Compares two runs (e.g. two versions of a VMM): per case fixed, regressed,\n"
	"still failing, skip state changed, unchanged, new or gone.\n"
	"Exit status: 0 no regressions, 1 regressions, 2 error.\n";

int cmd_compare(int argc, char **argv)
{
	struct report_opts o = { .c = { .db = cli_default_db(), .usage = compare_usage }, .fmt = FMT_TEXT };
	int rc = parse(argc, argv, &o, false);
	if (rc >= 0)
		return rc;
	if (argc - optind != 2)
		return cli_usage_error(&o.c, "give two runs, RUN_A and RUN_B");
	struct store s;
	if (store_open(&s, o.c.db, STORE_EXISTING))
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct run *a = cli_load_run(&s, argv[optind]);
	struct run *b = a ? cli_load_run(&s, argv[optind + 1]) : NULL;
	if (a && b) {
		struct report rep;
		report_compare(&rep, a, b);
		if (emit(&rep, o.fmt, o.out) == 0)
			status = rep.bad ? EXIT_NOT_CONFORMING : EXIT_OK;
		report_free(&rep);
	}
	run_free(a);
	run_free(b);
	store_close(&s);
	return status;
}

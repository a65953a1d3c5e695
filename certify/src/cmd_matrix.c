/* cmd_matrix.c: `certify matrix`: write the compliance matrix (VMM x case) as Markdown or HTML. */
#include <string.h>

#include "cli.h"
#include "matrix.h"

static const char usage[] =
	"usage: certify matrix [--format md|html] [-o FILE] [--baseline NAME] [--all-runs] [--db FILE]\n"
	"\n"
	"The compliance matrix: baseline columns first (all baselines, or NAME),\n"
	"then one column per VMM profile and version (its newest run; --all-runs:\n"
	"every run), one row per case grouped by kernel. Cells are pass, fail,\n"
	"skip, not-run, flaky or - (no result); failure details show on hover in\n"
	"HTML. Each VMM column is summarised against the first baseline:\n"
	"conformance %, deviations, missing features; with no baseline, against\n"
	"the manual the cases assert (pass, fail, skip, not run). HTML is one\n"
	"self-contained file (no scripts, no external resources).\n";

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "all-runs", no_argument, NULL, 'a' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	const char *out_path = NULL, *baseline = NULL;
	bool html = false, all = false;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "hf:o:", opts)) > 0) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "html") != 0 && strcmp(optarg, "md") != 0 && strcmp(optarg, "markdown") != 0)
				return cli_usage_error(&c, "the matrix is md or html, not \"%s\"", optarg);
			html = strcmp(optarg, "html") == 0;
			break;
		case 'o': out_path = optarg; break;
		case 'b': baseline = optarg; break;
		case 'a': all = true; break;
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	struct store s;
	if (store_open(&s, c.db, STORE_EXISTING))
		return EXIT_USAGE;
	char day[11];
	today(day);
	struct matrix m;
	int status = EXIT_USAGE;
	if (matrix_build(&m, &s, baseline, all, day) == 0) {
		FILE *out = cli_open_output(out_path);
		if (out) {
			if (html)
				matrix_render_html(&m, out);
			else
				matrix_render_md(&m, out);
			if (cli_close_output(out, out_path) == 0)
				status = EXIT_OK;
		}
	}
	matrix_free(&m);
	store_close(&s);
	return status;
}

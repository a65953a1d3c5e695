/* cmd_must_pass.c: `certify must-pass`: the must-pass list of a suite version from bare-metal baselines. */
#include <stdlib.h>
#include <string.h>

#include "baseline_file.h"
#include "cli.h"
#include "mustpass.h"

static const char usage[] =
	"usage: certify must-pass [--suite VERSION] [-o LIST] [BASELINE_FILE...]\n"
	"\n"
	"Writes the must-pass list of a suite version: every case that passes on\n"
	"every given bare-metal baseline (files as `certify baseline export`\n"
	"writes them, e.g. baselines/*.baseline). A baseline recorded under a VMM,\n"
	"or with another suite version, is refused. With no baseline the list\n"
	"holds no case and says so. Commit it as must-pass/<VERSION>.list:\n"
	"`certify release` holds every run to the list of its suite version.\n"
	"\n"
	"  --suite VERSION    the suite version (default: this certify's, " CERTIFY_VERSION ")\n"
	"  -o, --output LIST  where to write it (default: standard output)\n";

int cmd_must_pass(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "suite", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	const char *suite = CERTIFY_VERSION, *out_path = NULL;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "ho:", opts)) > 0) {
		if (opt == 's')
			suite = optarg;
		if (opt == 'o')
			out_path = optarg;
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!*suite)
		return cli_usage_error(&c, "--suite wants a version, e.g. " CERTIFY_VERSION);
	int status = EXIT_USAGE;
	size_t n = (size_t)(argc - optind);
	struct baseline **bs = xcalloc(n + 1, sizeof(*bs));
	struct strbuf text = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (!(bs[i] = baseline_read(argv[optind + (int)i])))
			goto out;
	if (must_pass_derive(bs, n, suite, &text))
		goto out;
	FILE *f = cli_open_output(out_path);
	if (!f)
		goto out;
	fputs(sb_str(&text), f);
	if (cli_close_output(f, out_path))
		goto out;
	if (out_path)
		printf("%s: must-pass list of suite %s from %zu bare-metal baseline(s)\n", out_path, suite, n);
	status = EXIT_OK;
out:
	for (size_t i = 0; i < n; i++)
		baseline_free(bs[i]);
	free(bs);
	sb_free(&text);
	return status;
}

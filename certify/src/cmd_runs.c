/* cmd_runs.c: `certify runs`: the stored runs, newest first, id first. */
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
	"usage: certify runs [--db FILE]\n"
	"\n"
	"Lists stored runs, newest first: id, profile (or machine for imports),\n"
	"VMM version, start time, label and a summary. Commands take a run as its\n"
	"id, a unique prefix of it, or latest.\n";

int cmd_runs(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { 0 } };
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	if (cli_next_option(&c, argc, argv, "h", opts) == CLI_STOP)
		return c.exit_code;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	struct store s;
	if (store_open(&s, c.db, STORE_EXISTING))
		return EXIT_USAGE;
	run_summary_vec runs = { 0 };
	int status = store_list_runs(&s, &runs) ? EXIT_USAGE : EXIT_OK;
	for (size_t i = 0; i < runs.n; i++) {
		struct run_summary *r = &runs.v[i];
		char where[256];
		if (r->profile)
			snprintf(where, sizeof(where), "%s", r->profile);
		else
			snprintf(where, sizeof(where), "%s@%s", r->provenance, str_or(r->machine, "?"));
		printf("%s  %-22s  %-40.40s  %s  %d kernel(s): %d pass, %d fail, %d skip, %d not-run",
		       r->uuid, where, str_or(r->vmm_version, "-"), r->started, r->kernels, r->pass, r->fail,
		       r->skip, r->not_run);
		if (r->flaky)
			printf(", %d flaky", r->flaky);
		if (r->label)
			printf("  [%s]", r->label);
		putchar('\n');
	}
	run_summaries_free(&runs);
	store_close(&s);
	return status;
}

/* main.c: certify's entry point: lists the subcommands and hands over to one. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "boot kernels under a VMM profile, store and summarise the results" },
	{ "import", cmd_import, "store serial logs captured elsewhere (bare metal, another VMM)" },
	{ "runs", cmd_runs, "list stored runs, newest first" },
	{ "report", cmd_report, "render one run as text, md, html, json, junit or tap" },
	{ "baseline", cmd_baseline, "record, list, show, export or import per-machine baselines" },
	{ "diff", cmd_diff, "conformance report of a run against a baseline (exit 1 if it deviates)" },
	{ "compare", cmd_compare, "compare two runs: fixed, regressed, still failing, skips changed" },
	{ "waive", cmd_waive, "waive a known deviation of a VMM profile, with reason and ticket" },
	{ "waivers", cmd_waivers, "list (or remove) waivers" },
	{ "cmdline", cmd_cmdline, "print the --disable-testcases= argument for a profile's waivers" },
	{ "matrix", cmd_matrix, "compliance matrix: VMM profile/version x case, as md or html" },
	{ "merge", cmd_merge, "bring runs and baselines from another database, without duplicates" },
	{ "profiles", cmd_profiles, "list VMM profiles and whether each can run on this host" },
	{ "lava-job", cmd_lava_job, "write a LAVA job that boots a kernel image on a lab board" },
	{ "release", cmd_release, "certify a VMM: run the suite, diff, write a (signed) certification package" },
	{ "verify", cmd_verify, "check a certification package and print its verdict (exit 2: rejected)" },
	{ "keygen", cmd_keygen, "make an Ed25519 key pair for signing certification packages" },
	{ "must-pass", cmd_must_pass, "write a suite release's must-pass list from bare-metal baselines" },
};

static void usage(FILE *out)
{
	fputs("usage: certify COMMAND [OPTIONS] [ARGS]\n\n"
	      "Runs the conformance kernels under VMMs, keeps every result in SQLite and\n"
	      "reports conformance against bare-metal baselines.\n\ncommands:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command takes --db FILE (default $CERTIFY_DB, else ./certify.db) and --help.\n"
	      "Exit status: 0 ok/conforms, 1 does not conform, 2 usage or input error\n"
	      "(verify: the package is rejected), 77 profile unavailable on this host.\n"
	      "See docs/certify.md and, for release and verify, docs/certification.md.\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("certify %s\n", CERTIFY_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "certify: error: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

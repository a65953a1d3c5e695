/* cli.h: what every subcommand shares: exit codes, --db/--help handling, opening the database and output. */
#ifndef CERTIFY_CLI_H
#define CERTIFY_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "store.h"

/* Exit codes (docs/certify.md). */
enum {
	EXIT_OK = 0,
	EXIT_NOT_CONFORMING = 1,	/* diff: deviations; compare: regressions; run: failures */
	EXIT_USAGE = 2,			/* bad arguments, bad input, database or I/O errors */
	EXIT_UNAVAILABLE = 77,		/* the profile cannot run on this host (ctest SKIP) */
};

/* Option values every subcommand shares. */
struct cli_common {
	const char *db;
	const char *usage;	/* the subcommand's --help text */
	int exit_code;		/* set when cli_next_option returns CLI_STOP */
};

/* Long options every subcommand accepts; put first in each table. */
#define CLI_OPT_DB 0x100
#define CLI_COMMON_OPTIONS \
	{ "db", required_argument, NULL, CLI_OPT_DB }, { "help", no_argument, NULL, 'h' }

/* The database path: --db, else $CERTIFY_DB, else ./certify.db. */
const char *cli_default_db(void);
/* getopt_long for a subcommand: handles --db, --help and getopt's errors
 * itself and returns the next of the subcommand's own options, -1 after the
 * last option, or CLI_STOP when the subcommand must end now, with
 * c->exit_code (help shown, or a usage error reported). */
#define CLI_STOP (-2)
int cli_next_option(struct cli_common *c, int argc, char **argv, const char *shortopts,
		    const struct option *longopts);
int cli_usage_error(const struct cli_common *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open stdout or -o FILE for writing; cli_close_output reports write errors. */
FILE *cli_open_output(const char *path);
int cli_close_output(FILE *f, const char *path);

/* The folder of a run's log files, <db>.logs/<run-id>, beside the database
 * and absolute, so the paths stored in the run work from any directory. */
char *cli_logs_dir(const char *db, const char *uuid);

/* Resolve RUN (id, prefix or latest) and load it. */
struct run *cli_load_run(struct store *s, const char *ref);

/* Subcommands, one file each. */
int cmd_import(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_waive(int argc, char **argv);
int cmd_waivers(int argc, char **argv);
int cmd_cmdline(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_must_pass(int argc, char **argv);

/* What `run` boots, as `run` and `release` ask for it. */
struct run_request {
	const char *db;
	const char *profile;
	const char *profiles_dir;	/* NULL: the usual lookup */
	const char *kernels_dir;	/* NULL: build/kernels */
	const char *append;
	const char *label;
	long jobs;			/* 0: online CPUs */
	int timeout_s;			/* 0: each kernel's own */
	int rerun;
	char *const *kernels;		/* none: every kernel in kernels_dir */
	size_t n_kernels;
};
/* The long options of a suite run that `run` and `release` share; the
 * short ones are "j:". */
#define RUN_REQUEST_OPTIONS \
	{ "profiles", required_argument, NULL, 'P' }, { "kernels", required_argument, NULL, 'k' }, \
	{ "jobs", required_argument, NULL, 'j' }, { "timeout", required_argument, NULL, 't' }, \
	{ "rerun", required_argument, NULL, 'r' }, { "label", required_argument, NULL, 'l' }
enum run_request_option {
	RUN_OPTION_OTHER,	/* not one of RUN_REQUEST_OPTIONS */
	RUN_OPTION_TAKEN,	/* stored in the request */
	RUN_OPTION_BAD,		/* a bad value, reported with the usage */
};
/* Stores option opt (as cli_next_option returned it, value in optarg) in
 * rq if it is one of RUN_REQUEST_OPTIONS. */
enum run_request_option run_request_option(const struct cli_common *c, int opt,
					   struct run_request *rq);
/* Boots the kernels, stores the run and prints its summary. Returns the
 * exit status of `run`; when the run was stored (0 or 1) and out_run is
 * given, *out_run is that run (caller frees). */
int run_suite(const struct run_request *rq, struct run **out_run);
int cmd_lava_job(int argc, char **argv);

#endif

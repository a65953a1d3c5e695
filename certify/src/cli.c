/* cli.c: shared command-line plumbing: default database, common options, output files. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *cli_default_db(void)
{
	const char *env = getenv("CERTIFY_DB");
	return env && *env ? env : "certify.db";
}

/* Returns -1 when opt is not a common option, else the exit code to leave
 * with (or -2 to go on). */
static int common_option(struct cli_common *c, int opt)
{
	switch (opt) {
	case CLI_OPT_DB:
		if (!*optarg)
			return cli_usage_error(c, "--db needs a file name");
		c->db = optarg;
		return -2;
	case 'h':
		fputs(c->usage, stdout);
		return EXIT_OK;
	case '?':
	case ':':
		/* getopt already said what was wrong. */
		fprintf(stderr, "%s", c->usage);
		return EXIT_USAGE;
	default:
		return -1;
	}
}

int cli_next_option(struct cli_common *c, int argc, char **argv, const char *shortopts,
		    const struct option *longopts)
{
	for (;;) {
		int opt = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (opt == -1)
			return -1;
		int rc = common_option(c, opt);
		if (rc == -1)
			return opt;
		if (rc >= 0) {
			c->exit_code = rc;
			return CLI_STOP;
		}
	}
}

int cli_usage_error(const struct cli_common *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verrorf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s", c->usage);
	return EXIT_USAGE;
}

FILE *cli_open_output(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		errorf("cannot write %s: %s", path, strerror(errno));
	return f;
}

int cli_close_output(FILE *f, const char *path)
{
	if (f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			errorf("writing the output failed: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (ferror(f) | (fclose(f) != 0)) {
		errorf("writing %s failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct run *cli_load_run(struct store *s, const char *ref)
{
	char uuid[40];
	if (store_resolve_run(s, ref, uuid))
		return NULL;
	return store_load_run(s, uuid);
}

char *cli_logs_dir(const char *db, const char *uuid)
{
	char abs[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s.logs/%s", realpath(db, abs) ? abs : db, uuid);
	return sb_steal(&sb);
}

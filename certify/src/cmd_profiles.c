/* cmd_profiles.c: `certify profiles`: every profile found and whether it can run on this host. */
#include <stdlib.h>

#include "cli.h"
#include "profile.h"

static const char usage[] =
	"usage: certify profiles [--profiles DIR] [--db FILE]\n"
	"\n"
	"Lists the VMM profiles (from --profiles DIR, $CERTIFY_PROFILES and the\n"
	"built-in directory) and whether each can run here: its binary and files\n"
	"are present and, for KVM profiles, /dev/kvm opens read-write.\n";

int cmd_profiles(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profiles", required_argument, NULL, 'P' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	const char *dir = NULL;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0)
		if (opt == 'P')
			dir = optarg;
	if (opt == CLI_STOP)
		return c.exit_code;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	str_vec dirs = { 0 }, names = { 0 };
	profile_dirs(dir, &dirs);
	profile_names(&dirs, &names);
	int status = EXIT_OK;
	if (!names.n) {
		errorf("no profiles found (looked in %s and the other profile directories)", dirs.v[0]);
		status = EXIT_USAGE;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct profile *p = profile_find(&dirs, names.v[i]);
		if (!p) {
			printf("%-22s broken     (see the error above)\n", names.v[i]);
			status = EXIT_USAGE;
			continue;
		}
		char *bin = NULL, *why = NULL;
		bool ok = profile_available(p, &bin, &why);
		printf("%-22s %-10s %s%s%s\n", p->name, ok ? "available" : "unavailable", str_or(p->description, ""),
		       ok ? "" : ": ", ok ? "" : why);
		free(bin);
		free(why);
		profile_free(p);
	}
	str_vec_free(&names);
	str_vec_free(&dirs);
	return status;
}

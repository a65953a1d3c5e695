/* cmd_waive.c: `certify waive`, `waivers` and `cmdline`: known deviations of a VMM profile. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "value.h"

static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return y >= 2000 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

static bool valid_glob(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      strchr("_*?[]!/-", *s)))
			return false;
	return true;
}

static const char waive_usage[] =
	"usage: certify waive --profile P CASE --reason TEXT [--ticket URL]\n"
	"                     [--expires YYYY-MM-DD] [--vmm-version GLOB] [--db FILE]\n"
	"\n"
	"Records that CASE deviates under VMM profile P for a known reason. CASE is\n"
	"a case name or glob (lapic_*), or KERNEL/CASE to pin the kernel. The diff\n"
	"then lists the case as waived; a waived case that passes is flagged as no\n"
	"longer needing its waiver, and an expired waiver counts as a deviation.\n"
	"--vmm-version limits the waiver to VMM version strings matching GLOB.\n"
	"Waiving the same profile/case/version again updates reason, ticket, expiry.\n";

int cmd_waive(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profile", required_argument, NULL, 'p' },
		{ "reason", required_argument, NULL, 'r' },
		{ "ticket", required_argument, NULL, 't' },
		{ "expires", required_argument, NULL, 'e' },
		{ "vmm-version", required_argument, NULL, 'v' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = waive_usage };
	struct waiver w = { 0 };
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0) {
		switch (opt) {
		case 'p': w.profile = optarg; break;
		case 'r': w.reason = optarg; break;
		case 't': w.ticket = optarg; break;
		case 'e': w.expires = optarg; break;
		case 'v': w.vmm_glob = optarg; break;
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!w.profile || !*w.profile)
		return cli_usage_error(&c, "--profile P is required: waivers belong to one VMM profile");
	if (!w.reason || !*w.reason)
		return cli_usage_error(&c, "--reason TEXT is required: say why the deviation is accepted");
	if (argc - optind != 1)
		return cli_usage_error(&c, "give exactly one CASE (name or glob)");
	w.case_glob = argv[optind];
	if (!valid_glob(w.case_glob))
		return cli_usage_error(&c, "\"%s\" is not a case name or glob (letters, digits, _ * ? [ ] ! / -)",
				       w.case_glob);
	if (w.expires && !valid_date(w.expires))
		return cli_usage_error(&c, "--expires wants a date as YYYY-MM-DD, not \"%s\"", w.expires);
	struct store s;
	if (store_open(&s, c.db, STORE_CREATE))
		return EXIT_USAGE;
	int status = store_add_waiver(&s, &w) ? EXIT_USAGE : EXIT_OK;
	if (status == EXIT_OK)
		printf("waived %s under profile %s%s%s\n", w.case_glob, w.profile, w.expires ? " until " : "",
		       w.expires ? w.expires : "");
	store_close(&s);
	return status;
}

static const char waivers_usage[] =
	"usage: certify waivers [--profile P] [--remove ID] [--db FILE]\n"
	"\n"
	"Lists waivers (id, profile, case, VMM version glob, expiry, ticket,\n"
	"reason); expired ones are marked. --remove ID deletes one.\n";

int cmd_waivers(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profile", required_argument, NULL, 'p' },
		{ "remove", required_argument, NULL, 'r' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = waivers_usage };
	const char *profile = NULL;
	long remove = 0;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0) {
		if (opt == 'p')
			profile = optarg;
		if (opt == 'r') {
			char *end;
			remove = strtol(optarg, &end, 10);
			if (*end || remove <= 0)
				return cli_usage_error(&c, "--remove wants a waiver id (a number), not \"%s\"", optarg);
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	struct store s;
	if (store_open(&s, c.db, STORE_EXISTING))
		return EXIT_USAGE;
	int status = EXIT_OK;
	if (remove) {
		status = store_remove_waiver(&s, remove) ? EXIT_USAGE : EXIT_OK;
	} else {
		waiver_vec ws = { 0 };
		char day[11];
		today(day);
		if (store_list_waivers(&s, profile, &ws))
			status = EXIT_USAGE;
		for (size_t i = 0; i < ws.n; i++) {
			const struct waiver *w = &ws.v[i];
			bool expired = w->expires && strcmp(w->expires, day) < 0;
			printf("%-4ld %-22s %-36s vmm %-12s %s%-10s %s%s%s\n", w->id, w->profile, w->case_glob,
			       str_or(w->vmm_glob, "*"), expired ? "EXPIRED " : "expires ", str_or(w->expires, "never"),
			       w->reason, w->ticket ? " " : "", w->ticket ? w->ticket : "");
		}
		waivers_free(&ws);
	}
	store_close(&s);
	return status;
}

static const char cmdline_usage[] =
	"usage: certify cmdline --profile P [--vmm-version V] [--kernel K] [--db FILE]\n"
	"\n"
	"Prints the kernel argument --disable-testcases=a,b,... that skips the cases\n"
	"waived for profile P (unexpired waivers; globs are expanded against the\n"
	"case names the database knows, for kernel K only if given). A VMM's\n"
	"pipeline passes it to turn green while `certify diff` still lists the\n"
	"waivers. Prints nothing when no waiver applies.\n";

/* Every case name the database knows, optionally of one kernel. */
static int known_names(struct store *s, const char *kernel, str_vec *out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT DISTINCT name, kernel FROM ("
		" SELECT x.name AS name, rk.name AS kernel FROM results x JOIN run_kernels rk ON rk.id = x.run_kernel_id"
		" UNION SELECT name, kernel FROM baseline_results)"
		" WHERE ?1 IS NULL OR kernel = ?1 ORDER BY kernel, name");
	if (!st)
		return -1;
	store_bind_text(st, 1, kernel);
	while (sqlite3_step(st) == SQLITE_ROW) {
		/* kernel/case, so KERNEL/ globs can match too */
		str_vec_pushf(out, "%s/%s", col_text(st, 1), col_text(st, 0));
	}
	sqlite3_finalize(st);
	return 0;
}

int cmd_cmdline(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profile", required_argument, NULL, 'p' },
		{ "vmm-version", required_argument, NULL, 'v' },
		{ "kernel", required_argument, NULL, 'k' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = cmdline_usage };
	const char *profile = NULL, *vmm = NULL, *kernel = NULL;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0) {
		if (opt == 'p')
			profile = optarg;
		if (opt == 'v')
			vmm = optarg;
		if (opt == 'k')
			kernel = optarg;
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!profile)
		return cli_usage_error(&c, "--profile P is required");
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	struct store s;
	if (store_open(&s, c.db, STORE_EXISTING))
		return EXIT_USAGE;
	waiver_vec ws = { 0 };
	str_vec known = { 0 }, names = { 0 };
	int status = EXIT_USAGE;
	if (store_list_waivers(&s, profile, &ws) || known_names(&s, kernel, &known))
		goto out;
	char day[11];
	today(day);
	for (size_t i = 0; i < ws.n; i++) {
		const struct waiver *w = &ws.v[i];
		if (w->expires && strcmp(w->expires, day) < 0)
			continue;
		if (vmm && w->vmm_glob && strcmp(w->vmm_glob, "*") != 0 && fnmatch(w->vmm_glob, vmm, 0) != 0)
			continue;
		bool pinned = strchr(w->case_glob, '/') != NULL;
		bool literal = !strpbrk(w->case_glob, "*?[");
		if (literal && !pinned && !kernel) {
			if (!str_vec_has(&names, w->case_glob)) {
				char *x = xstrdup(w->case_glob);
				VEC_PUSH(names, x);
			}
			continue;
		}
		for (size_t j = 0; j < known.n; j++) {
			const char *full = known.v[j];
			const char *bare = strchr(full, '/') + 1;
			if (fnmatch(w->case_glob, pinned ? full : bare, 0) == 0 && !str_vec_has(&names, bare)) {
				char *x = xstrdup(bare);
				VEC_PUSH(names, x);
			}
		}
	}
	if (names.n) {
		printf("--disable-testcases=");
		for (size_t i = 0; i < names.n; i++)
			printf("%s%s", i ? "," : "", names.v[i]);
		putchar('\n');
	}
	status = EXIT_OK;
out:
	str_vec_free(&names);
	str_vec_free(&known);
	waivers_free(&ws);
	store_close(&s);
	return status;
}

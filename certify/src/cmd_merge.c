/* cmd_merge.c: `certify merge`: copy runs, baselines and waivers another database has and this one lacks. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: certify merge OTHER.db [--db FILE]\n"
	"\n"
	"Brings every run and baseline of OTHER.db that this database lacks (runs\n"
	"by their id, baselines by name and id) and waivers it does not have, in\n"
	"one transaction. Merging twice adds nothing. A baseline of the same name\n"
	"but another id is reported and skipped. Log files stay where they are.\n";

static int merge_runs(struct store *to, struct store *from, int *added, int *present)
{
	run_summary_vec runs = { 0 };
	if (store_list_runs(from, &runs))
		return -1;
	int rc = 0;
	/* Oldest first, so "latest" keeps meaning the newest. */
	for (size_t i = runs.n; rc == 0 && i-- > 0;) {
		if (store_has_run(to, runs.v[i].uuid)) {
			(*present)++;
			continue;
		}
		struct run *r = store_load_run(from, runs.v[i].uuid);
		if (!r || store_insert_run(to, r))
			rc = -1;
		else
			(*added)++;
		run_free(r);
	}
	run_summaries_free(&runs);
	return rc;
}

static int merge_baselines(struct store *to, struct store *from, int *added)
{
	str_vec names = { 0 };
	if (store_list_baseline_names(from, &names))
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		struct baseline *b = store_load_baseline(from, names.v[i]);
		if (!b) {
			rc = -1;
			break;
		}
		char have[40];
		if (store_has_baseline(to, b->name, have)) {
			if (strcmp(have, b->uuid) != 0)
				warnf("baseline %s differs in the two databases (ids %s and %s): kept this one; "
				      "export the other and import it under another name to keep both",
				      b->name, have, b->uuid);
		} else {
			rc = store_save_baseline(to, b, false);
			if (rc == 0)
				(*added)++;
		}
		baseline_free(b);
	}
	str_vec_free(&names);
	return rc;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { 0 } };
	struct cli_common c = { cli_default_db(), usage };
	int opt;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int rc = cli_common_option(&c, opt);
		if (rc >= 0)
			return rc;
	}
	if (argc - optind != 1)
		return cli_usage_error(&c, "give exactly one OTHER.db");
	const char *other = argv[optind];
	char a[4096], b[4096];
	if (realpath(other, b) && realpath(c.db, a) && strcmp(a, b) == 0) {
		errorf("%s is the database itself: nothing to merge", other);
		return EXIT_USAGE;
	}
	struct store from, to;
	if (store_open(&from, other, STORE_EXISTING))
		return EXIT_USAGE;
	if (store_open(&to, c.db, STORE_CREATE)) {
		store_close(&from);
		return EXIT_USAGE;
	}
	int runs = 0, present = 0, bases = 0, waivers = 0, status = EXIT_USAGE;
	waiver_vec ws = { 0 };
	if (store_begin(&to))
		goto out;
	if (merge_runs(&to, &from, &runs, &present) || store_list_waivers(&from, NULL, &ws))
		goto rollback;
	for (size_t i = 0; i < ws.n; i++) {
		waiver_vec mine = { 0 };
		bool have = false;
		if (store_list_waivers(&to, ws.v[i].profile, &mine))
			goto rollback;
		for (size_t j = 0; j < mine.n; j++)
			have |= strcmp(mine.v[j].case_glob, ws.v[i].case_glob) == 0 &&
				str_eq(mine.v[j].vmm_glob, ws.v[i].vmm_glob);
		waivers_free(&mine);
		if (!have) {
			if (store_add_waiver(&to, &ws.v[i]))
				goto rollback;
			waivers++;
		}
	}
	if (store_commit(&to))
		goto out;
	/* Baselines go in their own transactions (store_save_baseline). */
	if (merge_baselines(&to, &from, &bases) == 0) {
		printf("merged from %s: %d run(s) added, %d already here, %d baseline(s), %d waiver(s)\n", other, runs,
		       present, bases, waivers);
		status = EXIT_OK;
	}
	goto out;
rollback:
	store_rollback(&to);
	errorf("nothing was merged");
out:
	waivers_free(&ws);
	store_close(&from);
	store_close(&to);
	return status;
}

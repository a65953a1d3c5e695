/* cmd_merge.c: `certify merge`: copy runs (with their log folders), baselines and waivers another database has and this one lacks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: certify merge OTHER.db [--db FILE]\n"
	"\n"
	"Brings every run and baseline of OTHER.db that this database lacks (runs\n"
	"by their id, baselines by name and id) and waivers it does not have, in\n"
	"one transaction. Merging twice adds nothing. A baseline of the same name\n"
	"but another id is reported and skipped. The log folders of the runs\n"
	"(OTHER.db.logs/<run-id>/) are copied beside this database and the runs\n"
	"name the copies, so OTHER.db and its logs may go afterwards.\n";

struct merge {
	struct store *to, *from;
	const char *to_db, *from_db;
	str_vec created;	/* log folders this merge made: removed if it fails */
	int runs, present, logs;
};

static char *path_join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s", dir, name);
	return sb_steal(&sb);
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		errorf("cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		errorf("cannot create %s: %s", dst, strerror(errno));
		close(in);
		return -1;
	}
	char buf[65536];
	int err = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : 0;
			break;
		}
		for (ssize_t done = 0; done < n && !err;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				err = errno;
			else if (w > 0)
				done += w;
		}
		if (err)
			break;
	}
	if (close(out) != 0 && !err)
		err = errno;
	close(in);
	if (err)
		errorf("cannot copy %s to %s: %s", src, dst, strerror(err));
	return err ? -1 : 0;
}

/* Copies the files and folders under src into dst (made if missing). A
 * run folder holds logs, VMM output and generated configuration only:
 * anything else there (a link, a fifo) is left out, with a warning. */
static int copy_tree(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	if (!d) {
		errorf("cannot read the folder %s: %s", src, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (mkdir(dst, 0755) != 0 && errno != EEXIST) {
		errorf("cannot create directory %s: %s", dst, strerror(errno));
		rc = -1;
	}
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *from = path_join(src, e->d_name), *to = path_join(dst, e->d_name);
		struct stat st;
		if (lstat(from, &st) != 0) {
			errorf("cannot read %s: %s", from, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(from, to);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(from, to, st.st_mode);
		} else {
			warnf("%s is neither a file nor a folder: not copied", from);
		}
		free(from);
		free(to);
	}
	closedir(d);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Brings the log folder of run uuid from the other database. A run new
 * here gets it whatever this side has (a folder of that id is left over
 * from a merge that was stopped before it committed); a run already here
 * only when its own folder is missing (merged by a certify that did not
 * copy logs). *dst is the folder here when something was copied, else NULL. */
static int bring_logs(struct merge *m, const char *uuid, bool is_new, char **dst)
{
	char *src = cli_logs_dir(m->from_db, uuid);
	char *to = cli_logs_dir(m->to_db, uuid);
	struct stat st;
	bool exists = stat(to, &st) == 0;
	int rc = 0;
	*dst = NULL;
	if (stat(src, &st) != 0 || !S_ISDIR(st.st_mode) || (exists && !is_new))
		goto out;
	char *parent = xstrndup(to, (size_t)(strrchr(to, '/') - to));
	rc = make_dirs(parent);
	free(parent);
	if (rc)
		goto out;
	if (!exists)
		VEC_PUSH(m->created, xstrdup(to));
	rc = copy_tree(src, to);
	if (rc == 0) {
		m->logs++;
		*dst = to;
		to = NULL;
	}
out:
	free(src);
	free(to);
	return rc;
}

/* The place of a kernel's log in the copied folder dst: what follows
 * "<uuid>/" in a path inside some "<db>.logs/<uuid>/" (the other database
 * may have recorded the run elsewhere, e.g. on another lab's machine).
 * NULL when the path is not in a run folder or the copy has no such file. */
static char *moved_path(const char *path, const char *uuid, const char *dst)
{
	if (!path)
		return NULL;
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, ".logs/%s/", uuid);
	const char *at = strstr(path, key.buf);
	char *moved = NULL;
	if (at) {
		moved = path_join(dst, at + key.len);
		if (access(moved, F_OK) != 0) {
			free(moved);
			moved = NULL;
		}
	}
	sb_free(&key);
	return moved;
}

/* Points the run's kernels at their logs in dst; stored: update them in
 * this database too (the run is already here). */
static int relocate_logs(struct merge *m, struct run *r, const char *dst, bool stored)
{
	for (size_t i = 0; i < r->kernels.n; i++) {
		struct kresult *k = r->kernels.v[i];
		char *moved = moved_path(k->log_path, r->uuid, dst);
		if (!moved || str_eq(moved, k->log_path)) {
			free(moved);
			continue;
		}
		if (stored && store_set_log_path(m->to, r->uuid, k->kernel, moved)) {
			free(moved);
			return -1;
		}
		free(k->log_path);
		k->log_path = moved;
	}
	return 0;
}

static int merge_runs(struct merge *m)
{
	run_summary_vec runs = { 0 };
	if (store_list_runs(m->from, &runs))
		return -1;
	int rc = 0;
	/* Oldest first, so "latest" keeps meaning the newest. */
	for (size_t i = runs.n; rc == 0 && i-- > 0;) {
		const char *uuid = runs.v[i].uuid;
		bool present = store_has_run(m->to, uuid);
		char *dst = NULL;
		if (bring_logs(m, uuid, !present, &dst)) {
			rc = -1;
			break;
		}
		struct run *r = present ? (dst ? store_load_run(m->to, uuid) : NULL) : store_load_run(m->from, uuid);
		if ((!present || dst) && !r)
			rc = -1;
		else if (dst && relocate_logs(m, r, dst, present))
			rc = -1;
		else if (!present && store_insert_run(m->to, r))
			rc = -1;
		else if (present)
			m->present++;
		else
			m->runs++;
		run_free(r);
		free(dst);
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
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	if (cli_next_option(&c, argc, argv, "h", opts) == CLI_STOP)
		return c.exit_code;
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
	struct merge m = { &to, &from, c.db, other, { 0 }, 0, 0, 0 };
	int bases = 0, waivers = 0, status = EXIT_USAGE;
	waiver_vec ws = { 0 };
	if (store_begin(&to))
		goto out;
	if (merge_runs(&m) || store_list_waivers(&from, NULL, &ws))
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
		goto rollback;
	/* Baselines go in their own transactions (store_save_baseline). */
	if (merge_baselines(&to, &from, &bases) == 0) {
		printf("merged from %s: %d run(s) added, %d already here, %d baseline(s), %d waiver(s), "
		       "%d log folder(s)\n", other, m.runs, m.present, bases, waivers, m.logs);
		status = EXIT_OK;
	}
	goto out;
rollback:
	store_rollback(&to);
	/* The runs are not here, so neither are their logs. */
	for (size_t i = 0; i < m.created.n; i++)
		remove_tree(m.created.v[i]);
	errorf("nothing was merged");
out:
	str_vec_free(&m.created);
	waivers_free(&ws);
	store_close(&from);
	store_close(&to);
	return status;
}

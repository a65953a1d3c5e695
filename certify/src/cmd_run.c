/* cmd_run.c: `certify run`: boot kernels under a VMM profile, rerun failures, store the run in one transaction. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "crypto.h"
#include "hostfacts.h"
#include "kconf.h"
#include "runner.h"
#include "value.h"

static const char usage[] =
	"usage: certify run --profile P [options] [KERNEL...]\n"
	"\n"
	"Boots each KERNEL (default: every <name>.conf in the kernels directory)\n"
	"under VMM profile P, several at a time, captures the serial output to\n"
	"<db>.logs/<run-id>/<kernel>.log, parses it and stores the run.\n"
	"\n"
	"  --profile P        VMM profile (`certify profiles` lists them)\n"
	"  --profiles DIR     look for profiles in DIR first\n"
	"  --kernels DIR      built kernels (default build/kernels); ISOs are\n"
	"                     looked up in DIR/../images\n"
	"  -j, --jobs N       boots at a time (default: online CPUs)\n"
	"  --timeout S        seconds per kernel (default: the kernel's timeout_s)\n"
	"  --append TEXT      add TEXT to every kernel command line, e.g.\n"
	"                     \"$(certify cmdline --profile P)\"\n"
	"  --rerun N          rerun each failed case alone up to N times; one that\n"
	"                     then passes is stored as flaky (never conformant)\n"
	"  --label TEXT       free text stored with the run\n"
	"  --db FILE          database (default $CERTIFY_DB, else ./certify.db)\n"
	"\n"
	"Kernel verdicts: complete, hang, crash, vmm-error, no-boot.\n"
	"Exit status: 0 all kernels complete and no case failed, 1 otherwise,\n"
	"2 error, 77 the profile cannot run on this host.\n";

/* One kernel to boot: its files and metadata. */
struct kernel_job {
	char *name;
	struct kconf conf;
	char *elf, *elf32, *iso, *pvh;
	char *image;		/* the one the profile boots */
	char sha256[65];
	char *cmdline;		/* conf cmdline + --append */
	struct kresult *result;
};

struct run_ctx {
	struct profile *profile;
	char *binary;
	const char *kernels_dir;
	char *logs_dir;
	int timeout_override;
	bool progress;
	VEC(struct kernel_job) jobs;
};

static char *path_join(const char *dir, const char *name, const char *ext)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s%s", dir, name, ext);
	return sb_steal(&sb);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every <name>.conf in dir, sorted. */
static int list_kernels(const char *dir, str_vec *names)
{
	DIR *d = opendir(dir);
	if (!d) {
		errorf("cannot read the kernels directory %s: %s (build the kernels, or pass --kernels DIR)", dir,
		       strerror(errno));
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0) {
			char *name = xstrndup(e->d_name, n - 5);
			VEC_PUSH(*names, name);
		}
	}
	closedir(d);
	if (!names->n) {
		errorf("no kernels (<name>.conf files) in %s", dir);
		return -1;
	}
	qsort(names->v, names->n, sizeof(char *), str_cmp);
	return 0;
}

static int prepare_kernel(struct run_ctx *rc, const char *name, const char *append)
{
	if (!is_kernel_name(name)) {
		errorf("\"%s\" is not a kernel name (lower-case letters, digits and -)", name);
		return -1;
	}
	struct kernel_job j = { 0 };
	char *conf = path_join(rc->kernels_dir, name, ".conf");
	if (kconf_load(conf, &j.conf)) {
		free(conf);
		return -1;
	}
	free(conf);
	j.name = xstrdup(name);
	j.elf = path_join(rc->kernels_dir, name, ".elf");
	j.elf32 = path_join(rc->kernels_dir, name, ".elf32");
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/../images/%s.iso", rc->kernels_dir, name);
	j.iso = sb_steal(&sb);
	j.pvh = path_join(rc->kernels_dir, name, ".pvh.elf");
	const char *images[] = { [IMAGE_ELF32] = j.elf32, [IMAGE_ELF] = j.elf, [IMAGE_ISO] = j.iso, [IMAGE_PVH] = j.pvh };
	j.image = xstrdup(images[rc->profile->image]);
	sb_adds(&sb, j.conf.cmdline);
	if (append && *append)
		sb_addf(&sb, "%s%s", sb.len ? " " : "", append);
	j.cmdline = sb_steal(&sb);
	VEC_PUSH(rc->jobs, j);
	if (access(j.image, R_OK) != 0) {
		errorf("kernel %s: no image %s for profile %s: %s", name, j.image, rc->profile->name, strerror(errno));
		return -1;
	}
	if (sha256_file(j.image, rc->jobs.v[rc->jobs.n - 1].sha256))
		return -1;
	return 0;
}

static void free_jobs(struct run_ctx *rc)
{
	for (size_t i = 0; i < rc->jobs.n; i++) {
		struct kernel_job *j = &rc->jobs.v[i];
		free(j->name);
		kconf_free(&j->conf);
		free(j->elf);
		free(j->elf32);
		free(j->iso);
		free(j->pvh);
		free(j->image);
		free(j->cmdline);
		kresult_free(j->result);
	}
	free(rc->jobs.v);
}

/* A boot of job j; file stem e.g. "hello-world" or "hello-world.rerun-foo-1". */
static struct boot *make_boot(struct run_ctx *rc, size_t idx, const char *stem, const char *cmdline)
{
	struct kernel_job *j = &rc->jobs.v[idx];
	struct boot *b = xcalloc(1, sizeof(*b));
	b->profile = rc->profile;
	b->log_path = path_join(rc->logs_dir, stem, ".log");
	b->vmm_log_path = path_join(rc->logs_dir, stem, ".vmm.log");
	b->timeout_s = rc->timeout_override > 0 ? rc->timeout_override : j->conf.timeout_s;
	b->alone = j->conf.timing_sensitive;
	b->label = j->name;
	b->tag = idx;
	char *dir = path_join(rc->logs_dir, stem, ".work");
	struct boot_params bp = { j->image, j->elf, j->elf32, j->iso, j->pvh, cmdline, b->log_path, dir, j->name,
				  j->conf.cpus, j->conf.memory_mib };
	if (make_dirs(dir) || profile_generate(rc->profile, &bp) ||
	    !(b->argv = profile_argv(rc->profile, rc->binary, &bp))) {
		free(dir);
		boot_free(b);
		return NULL;
	}
	free(dir);
	return b;
}

static void progress(const struct boot *b, size_t done, size_t total, void *ctx)
{
	const struct run_ctx *rc = ctx;
	if (!rc->progress)
		return;
	fprintf(stderr, "[%zu/%zu] %s: %s (%.1f s)\n", done, total, b->label, kernel_verdict_name(b->verdict),
		b->duration_ms / 1000.0);
}

/* The boot's kernel section: the first with a VERSION line, else an empty one. */
static struct kresult *take_result(struct boot *b)
{
	for (size_t i = 0; i < b->parser.logs.n; i++) {
		struct kresult *k = b->parser.logs.v[i];
		if (k->version_seen) {
			b->parser.logs.v[i] = kresult_new();
			return k;
		}
	}
	return kresult_new();
}

static void fill_result(struct run_ctx *rc, struct store *s, size_t idx, struct boot *b)
{
	struct kernel_job *j = &rc->jobs.v[idx];
	struct kresult *k = take_result(b);
	if (k->kernel && strcmp(k->kernel, j->name) != 0)
		kresult_note(k, "the log names kernel %s, booted as %s", k->kernel, j->name);
	free(k->kernel);
	k->kernel = xstrdup(j->name);
	k->verdict = b->verdict;
	/* Cases the kernel never reached: known from the newest complete run of
	 * this kernel version in the database (docs/certify.md "not-run"). */
	str_vec known = { 0 };
	if (b->verdict != KV_COMPLETE)
		store_known_cases(s, j->name, k->suite_version, &known);
	kresult_finish(k, b->verdict, (const char *const *)known.v, known.n);
	str_vec_free(&known);
	k->detail = xstrdup_or_null(b->detail);
	k->sha256 = xstrdup(j->sha256);
	k->cmdline = xstrdup(j->cmdline);
	k->command = argv_display(b->argv);
	k->log_path = xstrdup(b->log_path);
	/* The log is whole now (the VMM is gone): its hash lets `release`
	 * prove later that it packages the log these verdicts came from. */
	char log_sha256[65];
	if (access(b->log_path, R_OK) == 0 && sha256_file(b->log_path, log_sha256) == 0)
		k->log_sha256 = xstrdup(log_sha256);
	k->duration_ms = b->duration_ms;
	j->result = k;
}

/* The kernel section of a rerun boot. */
static struct kresult *rerun_section(struct boot *b)
{
	for (size_t x = 0; x < b->parser.logs.n; x++)
		if (b->parser.logs.v[x]->version_seen)
			return b->parser.logs.v[x];
	return NULL;
}

/* Reruns each failed case alone, up to rounds times; a pass marks it flaky. */
static int rerun_failures(struct run_ctx *rc, int rounds, int jobs)
{
	int status = 0;
	for (int round = 1; round <= rounds && status == 0; round++) {
		VEC(struct boot *) boots = { 0 };
		VEC(struct case_result *) cases = { 0 };
		for (size_t i = 0; i < rc->jobs.n && status == 0; i++) {
			struct kresult *k = rc->jobs.v[i].result;
			for (size_t c = 0; c < k->cases.n; c++) {
				struct case_result *cr = &k->cases.v[c];
				/* attempts == round: failed every time so far */
				if (cr->verdict != VERDICT_FAIL || cr->flaky || cr->attempts != round)
					continue;
				char *stem = rerun_log_stem(rc->jobs.v[i].name, cr->name, round);
				struct strbuf cmd = STRBUF_INIT;
				sb_addf(&cmd, "%s%s--enable-testcases=%s", rc->jobs.v[i].cmdline,
					*rc->jobs.v[i].cmdline ? " " : "", cr->name);
				struct boot *b = make_boot(rc, i, stem, cmd.buf);
				free(stem);
				sb_free(&cmd);
				if (!b) {
					status = -1;
					break;
				}
				VEC_PUSH(boots, b);
				VEC_PUSH(cases, cr);
			}
		}
		if (status == 0 && boots.n) {
			if (rc->progress)
				fprintf(stderr, "rerun round %d: %zu failed case(s)\n", round, boots.n);
			status = runner_run(boots.v, boots.n, jobs, progress, rc);
		}
		for (size_t i = 0; status == 0 && i < boots.n; i++) {
			struct case_result *cr = cases.v[i];
			struct kresult *k = rerun_section(boots.v[i]);
			struct case_result *again = k ? kresult_case(k, cr->name) : NULL;
			cr->attempts++;
			if (again && again->verdict == VERDICT_PASS) {
				cr->flaky = true;
				fprintf(stderr, "flaky: %s/%s failed, then passed on rerun %d\n",
					rc->jobs.v[boots.v[i]->tag].name, cr->name, round);
			}
		}
		for (size_t i = 0; i < boots.n; i++)
			boot_free(boots.v[i]);
		free(boots.v);
		free(cases.v);
	}
	return status;
}

/* Which file the VMM binary is, to reuse the version it gave before: an ELF
 * file's version changes only with the file, i.e. its size, times or inode
 * (the ctime cannot be set back). A script may start any VMM: NULL, ask. */
static char *binary_identity(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char magic[4];
	struct stat st;
	bool elf = read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) && memcmp(magic, "\177ELF", 4) == 0 &&
		   fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	if (!elf)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "size=%jd mtime=%jd.%09ld ctime=%jd.%09ld inode=%ju:%ju", (intmax_t)st.st_size,
		(intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
		(uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
	return sb_steal(&sb);
}

/* How the profile asks for the version: part of what a remembered answer
 * is valid for. */
static char *version_query(const struct profile *p)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->version_args.n; i++)
		sb_addf(&sb, "%s ", p->version_args.v[i]);
	sb_addf(&sb, "| %s", str_or(p->version_match, ""));
	return sb_steal(&sb);
}

/* Starts the VMM's version query (`qemu-system-x86_64 --version` takes
 * ~40 ms: QEMU loads all its libraries first) when the database does not
 * know this binary's answer yet. The answer is read after the boots, so
 * that time overlaps them, unless a kernel is timing-sensitive: nothing may
 * run beside those. */
static void vmm_version_start(const struct run_ctx *rc, struct capture *c)
{
	const struct profile *p = rc->profile;
	char **argv = xcalloc(p->version_args.n + 2, sizeof(char *));
	argv[0] = rc->binary;
	for (size_t i = 0; i < p->version_args.n; i++)
		argv[i + 1] = p->version_args.v[i];
	capture_start(c, argv, 10);
	free(argv);
}

static char *vmm_version_finish(const struct run_ctx *rc, struct capture *c)
{
	const struct profile *p = rc->profile;
	capture_finish(c, true);
	char *clean = text_clean(sb_str(&c->out), c->out.len);
	sb_free(&c->out);
	char *found = NULL;
	char *cursor = clean;
	for (char *line; !found && (line = next_line(&cursor));) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			continue;
		if (!p->version_match || strstr(line, p->version_match))
			found = xstrdup(line);
	}
	free(clean);
	return found ? found : xstrdup("unknown");
}

/* Everything `run` does after reading its options; `release` runs the
 * suite through it too. */
int run_suite(const struct run_request *rq, struct run **out_run)
{
	const char *profile_name = rq->profile, *append = rq->append;
	struct run_ctx rc = { 0 };
	rc.kernels_dir = rq->kernels_dir ? rq->kernels_dir : "build/kernels";
	rc.timeout_override = rq->timeout_s;
	long jobs = rq->jobs > 0 ? rq->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	int rerun = rq->rerun;
	if (jobs < 1)
		jobs = 1;
	if (out_run)
		*out_run = NULL;

	str_vec dirs = { 0 };
	profile_dirs(rq->profiles_dir, &dirs);
	rc.profile = profile_find(&dirs, profile_name);
	str_vec_free(&dirs);
	if (!rc.profile)
		return EXIT_USAGE;
	char *why = NULL;
	if (!profile_available(rc.profile, &rc.binary, &why)) {
		errorf("profile %s cannot run on this host: %s", profile_name, why);
		free(why);
		profile_free(rc.profile);
		return EXIT_UNAVAILABLE;
	}
	if (append && *append && !rc.profile->cmdline)
		warnf("profile %s boots an image with a fixed command line: --append is ignored", profile_name);
	if (rerun && !rc.profile->cmdline) {
		warnf("profile %s cannot pass a kernel command line: --rerun is ignored", profile_name);
		rerun = 0;
	}

	int status = EXIT_USAGE;
	struct run *run = NULL;
	struct store s = { 0 };
	VEC(struct boot *) boots = { 0 };
	struct capture version = { .pid = -1 };
	char *vmm_file = NULL, *vmm_query = NULL;
	str_vec names = { 0 };
	if (rq->n_kernels) {
		for (size_t i = 0; i < rq->n_kernels; i++) {
			char *n = xstrdup(rq->kernels[i]);
			VEC_PUSH(names, n);
		}
	} else if (list_kernels(rc.kernels_dir, &names)) {
		goto out;
	}
	for (size_t i = 0; i < names.n; i++) {
		for (size_t x = 0; x < i; x++)
			if (strcmp(names.v[x], names.v[i]) == 0) {
				errorf("kernel %s is named twice", names.v[i]);
				goto out;
			}
		if (prepare_kernel(&rc, names.v[i], rc.profile->cmdline ? append : NULL))
			goto out;
	}
	/* Open the database before booting anything: a bad --db fails fast. */
	if (store_open(&s, rq->db, STORE_CREATE))
		goto out;

	run = run_new();
	run->provenance = PROV_VMM;
	run->profile = xstrdup(profile_name);
	run->vmm_binary = xstrdup(rc.binary);
	vmm_file = binary_identity(rc.binary);
	vmm_query = version_query(rc.profile);
	run->vmm_version = vmm_file ? store_vmm_version(&s, rc.binary, vmm_file, vmm_query) : NULL;
	bool remember = vmm_file && !run->vmm_version;
	if (!run->vmm_version) {
		bool alone = false;
		for (size_t i = 0; i < rc.jobs.n; i++)
			alone |= rc.jobs.v[i].conf.timing_sensitive;
		vmm_version_start(&rc, &version);
		if (alone)
			run->vmm_version = vmm_version_finish(&rc, &version);
	}
	run->label = xstrdup_or_null(rq->label);
	host_facts(&run->host_facts);
	facts_set(&run->host_facts, "profile.file", rc.profile->path);
	rc.logs_dir = cli_logs_dir(rq->db, run->uuid);
	if (make_dirs(rc.logs_dir))
		goto out;
	rc.progress = isatty(2);

	for (size_t i = 0; i < rc.jobs.n; i++) {
		struct boot *b = make_boot(&rc, i, rc.jobs.v[i].name, rc.jobs.v[i].cmdline);
		if (!b)
			goto out;
		VEC_PUSH(boots, b);
	}
	if (rc.progress)
		fprintf(stderr, "run %s: %zu kernel(s) under %s, %ld at a time\n", run->uuid, boots.n,
			profile_name, jobs);
	if (runner_run(boots.v, boots.n, (int)jobs, progress, &rc))
		goto out;
	if (!run->vmm_version)
		run->vmm_version = vmm_version_finish(&rc, &version);
	for (size_t i = 0; i < boots.n; i++)
		fill_result(&rc, &s, boots.v[i]->tag, boots.v[i]);
	if (rerun && rerun_failures(&rc, rerun, (int)jobs))
		goto out;
	for (size_t i = 0; i < rc.jobs.n; i++) {
		struct kresult *k = rc.jobs.v[i].result;
		if (!run->suite_version && k->suite_version)
			run->suite_version = xstrdup(k->suite_version);
		VEC_PUSH(run->kernels, k);
		rc.jobs.v[i].result = NULL;
	}
	iso_time_now(run->finished);
	if (store_save_run(&s, run))
		goto out;
	/* Only an answer that names a version is worth keeping. */
	if (remember && strcmp(run->vmm_version, "unknown") != 0)
		store_remember_vmm_version(&s, rc.binary, vmm_file, vmm_query, run->vmm_version);

	bool clean = true;
	printf("run %s (%s, %s)\n", run->uuid, profile_name, run->vmm_version);
	for (size_t i = 0; i < run->kernels.n; i++) {
		struct kresult *k = run->kernels.v[i];
		struct run r1 = { 0 };
		VEC_PUSH(r1.kernels, k);
		struct verdict_counts vc = run_counts(&r1);
		free(r1.kernels.v);
		const char *d = k->detail ? k->detail : "";
		printf("  %-24s %-10s %d pass, %d fail, %d skip, %d not-run%s%.*s\n", k->kernel,
		       kernel_verdict_name(k->verdict), vc.pass, vc.fail, vc.skip, vc.not_run, *d ? ": " : "",
		       (int)strcspn(d, "\n"), d);
		if (k->verdict != KV_COMPLETE || vc.fail || vc.not_run)
			clean = false;
	}
	printf("logs in %s\n", rc.logs_dir);
	status = clean ? EXIT_OK : EXIT_NOT_CONFORMING;
out:
	capture_finish(&version, false);
	sb_free(&version.out);
	free(vmm_file);
	free(vmm_query);
	for (size_t i = 0; i < boots.n; i++)
		boot_free(boots.v[i]);
	free(boots.v);
	str_vec_free(&names);
	free_jobs(&rc);
	free(rc.logs_dir);
	free(rc.binary);
	profile_free(rc.profile);
	/* A stored run goes to the caller (release packages it). */
	if (out_run && (status == EXIT_OK || status == EXIT_NOT_CONFORMING))
		*out_run = run;
	else
		run_free(run);
	if (s.db)
		store_close(&s);
	return status;
}

enum run_request_option run_request_option(const struct cli_common *c, int opt,
					   struct run_request *rq)
{
	int jobs;
	switch (opt) {
	case 'P': rq->profiles_dir = optarg; break;
	case 'k': rq->kernels_dir = optarg; break;
	case 'l': rq->label = optarg; break;
	case 'j':
		if (!parse_int(optarg, 1, 1024, &jobs)) {
			cli_usage_error(c, "-j wants a number of jobs from 1 to 1024, not \"%s\"", optarg);
			return RUN_OPTION_BAD;
		}
		rq->jobs = jobs;
		break;
	case 't':
		if (!parse_int(optarg, 1, 86400, &rq->timeout_s)) {
			cli_usage_error(c, "--timeout wants seconds from 1 to 86400, not \"%s\"", optarg);
			return RUN_OPTION_BAD;
		}
		break;
	case 'r':
		if (!parse_int(optarg, 0, 100, &rq->rerun)) {
			cli_usage_error(c, "--rerun wants a count from 0 to 100, not \"%s\"", optarg);
			return RUN_OPTION_BAD;
		}
		break;
	default:
		return RUN_OPTION_OTHER;
	}
	return RUN_OPTION_TAKEN;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profile", required_argument, NULL, 'p' },
		RUN_REQUEST_OPTIONS,
		{ "append", required_argument, NULL, 'a' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	struct run_request rq = { 0 };
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "hj:", opts)) > 0) {
		if (opt == 'p')
			rq.profile = optarg;
		else if (opt == 'a')
			rq.append = optarg;
		else if (run_request_option(&c, opt, &rq) == RUN_OPTION_BAD)
			return EXIT_USAGE;
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!rq.profile)
		return cli_usage_error(&c, "--profile P is required (`certify profiles` lists them)");
	rq.db = c.db;
	rq.kernels = argv + optind;
	rq.n_kernels = (size_t)(argc - optind);
	return run_suite(&rq, NULL);
}

/* cmd_release.c: `certify release` (a verifiable certification package of a VMM run) and `certify keygen`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline_file.h"
#include "certification.h"
#include "cli.h"

static const char release_usage[] =
	"usage: certify release --profile P --baseline B -o PKG [--vmm-version V]\n"
	"                       [--run RUN | RUN OPTIONS] [--must-pass FILE] [--sign KEYFILE]\n"
	"\n"
	"Certifies a VMM: runs the whole suite under profile P (or takes a stored\n"
	"run with --run), compares it with baseline B, and writes a certification\n"
	"package PKG: one archive holding STATEMENT.md (what was certified, by\n"
	"which suite, against which machine, and the verdict), manifest.json (VMM\n"
	"binary and version, command lines, host facts, kernel image SHA-256s),\n"
	"every serial log, verdicts.tsv (per case), waivers.json (the waivers\n"
	"used), the baseline, the must-pass list, and SHA256SUMS over all of it.\n"
	"\n"
	"  --profile P        VMM profile to certify\n"
	"  --baseline B       baseline in the database to compare with\n"
	"  -o, --output PKG   PKG.tar, or PKG.tar.zst for a zstd-compressed one;\n"
	"                     an existing file is never replaced\n"
	"  --vmm-version V    the VMM version certified, e.g. 8.2.1; it must occur in\n"
	"                     the version line the VMM reported (default: that line)\n"
	"  --run RUN          package this stored run (id, prefix or latest)\n"
	"  --must-pass FILE   must-pass list (default: must-pass/<suite version>.list\n"
	"                     of the suite's source tree)\n"
	"  --sign KEYFILE     sign SHA256SUMS with this Ed25519 private key\n"
	"                     (`certify keygen` makes one)\n"
	"  run options (without --run): --kernels DIR, --profiles DIR, -j N,\n"
	"                     --timeout S, --rerun N, --label TEXT, as for `run`\n"
	"  --db FILE          database (default $CERTIFY_DB, else ./certify.db)\n"
	"\n"
	"The verdict is CONFORMANT when every case that passes on the baseline, and\n"
	"every must-pass case, passes; CONFORMANT WITH WAIVERS when the others are\n"
	"covered by unexpired waivers; else NOT CONFORMANT. The package is checked\n"
	"as `certify verify` would before it is written.\n"
	"Exit status: 0 CONFORMANT or CONFORMANT WITH WAIVERS, 1 NOT CONFORMANT,\n"
	"2 error (nothing written), 77 the profile cannot run on this host.\n";

struct release_opts {
	const char *profile, *baseline, *out, *vmm_version, *run, *must_pass, *sign;
	struct run_request rq;
	bool run_options;	/* a run option was given (conflicts with --run) */
};

/* The run's time as seconds since the epoch: every archive entry's mtime,
 * so the same run gives the same archive. */
static long long run_time(const struct run *r)
{
	struct tm tm = { 0 };
	const char *end = strptime(r->finished, "%Y-%m-%dT%H:%M:%S", &tm);
	return end ? (long long)timegm(&tm) : 0;
}

static char *baseline_text(const struct baseline *b, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f) {
		errorf("cannot write the baseline to memory: %s", strerror(errno));
		abort();
	}
	baseline_write(b, f);
	fclose(f);
	return buf;
}

typedef VEC(struct cert_rerun) rerun_vec;

/* The logs of the rerun boots of a kernel's failed cases (`run --rerun`),
 * beside its own log, as `run` named them: flaky rests on them. */
static int add_rerun_logs(struct package *pkg, const struct kresult *k, rerun_vec *reruns)
{
	const char *slash = strrchr(k->log_path, '/');
	size_t dir = slash ? (size_t)(slash - k->log_path) + 1 : 0;
	for (size_t i = 0; i < k->cases.n; i++) {
		const struct case_result *c = &k->cases.v[i];
		for (int round = 1; round < c->attempts; round++) {
			char *stem = rerun_log_stem(k->kernel, c->name, round);
			struct strbuf path = STRBUF_INIT;
			sb_addf(&path, "%.*s%s.log", (int)dir, k->log_path, stem);
			free(stem);
			size_t n;
			char *data = read_file(path.buf, &n);
			if (!data) {
				errorf("kernel %s: the log of rerun %d of case %s, %s, cannot be read (%s): a package needs "
				       "every log; bring the run's log folder back or run the suite again",
				       k->kernel, round, c->name, path.buf, strerror(errno));
				sb_free(&path);
				return -1;
			}
			sb_free(&path);
			char *in_pkg = cert_rerun_path(k->kernel, c->name, round);
			package_take(pkg, in_pkg, data, n);
			free(in_pkg);
			struct cert_rerun r = { k->kernel, c->name, round };
			VEC_PUSH(*reruns, r);
		}
	}
	return 0;
}

/* Every kernel's serial log into the package, checked against the hash the
 * run stored: the package must hold the logs its verdicts came from. */
static int add_logs(struct package *pkg, struct run *run, rerun_vec *reruns)
{
	for (size_t i = 0; i < run->kernels.n; i++) {
		struct kresult *k = run->kernels.v[i];
		size_t n;
		char *data = k->log_path ? read_file(k->log_path, &n) : NULL;
		if (!data) {
			if (k->log_sha256) {
				errorf("kernel %s: its serial log %s cannot be read (%s): a package needs every log; "
				       "bring the run's log folder back (`certify merge` copies it) or run the suite again",
				       k->kernel, k->log_path, strerror(errno));
				return -1;
			}
			if (k->log_path && access(k->log_path, F_OK) == 0) {
				errorf("kernel %s: cannot read its serial log %s: %s", k->kernel, k->log_path,
				       strerror(errno));
				return -1;
			}
			/* No log was ever written (the VMM never started it): the
			 * package says so and verify holds every case not run. */
			continue;
		}
		char hex[65];
		sha256_hex(data, n, hex);
		if (k->log_sha256 && strcmp(hex, k->log_sha256) != 0) {
			errorf("kernel %s: its serial log %s changed after the run was stored (SHA-256 %s, stored %s): the "
			       "package must hold the log the verdicts came from; run the suite again",
			       k->kernel, k->log_path, hex, k->log_sha256);
			free(data);
			return -1;
		}
		if (!k->log_sha256) {
			warnf("kernel %s: run %s was stored before certify kept log hashes: packaging %s as it is now "
			      "(verify still parses it again against the verdicts)", k->kernel, run->uuid, k->log_path);
			k->log_sha256 = xstrdup(hex);
		}
		char *path = cert_log_path(k->kernel);
		package_take(pkg, path, data, n);
		free(path);
		if (add_rerun_logs(pkg, k, reruns))
			return -1;
	}
	return 0;
}

static void add_json(struct package *pkg, const char *path, const json_t *j)
{
	size_t n;
	char *text = cert_json_text(j, &n);
	package_take(pkg, path, text, n);
}

/* The stored run to certify, or a new one of the whole suite. */
static int get_run(struct store *s, const struct release_opts *o, struct run **out)
{
	if (!o->run) {
		int status = run_suite(&o->rq, out);
		if (!*out)
			return status == EXIT_OK || status == EXIT_NOT_CONFORMING ? EXIT_USAGE : status;
		return EXIT_OK;
	}
	*out = cli_load_run(s, o->run);
	if (!*out)
		return EXIT_USAGE;
	struct run *r = *out;
	if (r->provenance != PROV_VMM) {
		errorf("run %s is a %s capture, not a VMM run: certify a VMM run (a bare-metal run makes a baseline)",
		       r->uuid, provenance_name(r->provenance));
		return EXIT_USAGE;
	}
	if (!str_eq(r->profile, o->profile)) {
		errorf("run %s ran under profile %s, not %s: name the run's profile, or run the suite under %s",
		       r->uuid, str_or(r->profile, "(none)"), o->profile, o->profile);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The VMM version the package certifies. */
static char *certified_version(const struct run *run, const char *asked)
{
	const char *reported = run->vmm_version;
	bool known = reported && *reported && strcmp(reported, "unknown") != 0;
	if (!asked)
		return xstrdup(known ? reported : "unknown");
	/* A release must not certify another version than the one that ran. */
	if (known && !strstr(reported, asked)) {
		errorf("--vmm-version %s does not occur in the version the VMM reported (\"%s\"): the run is of "
		       "another version",
		       asked, reported);
		return NULL;
	}
	return xstrdup(asked);
}

static int load_must_pass(const struct release_opts *o, const struct run *run, struct must_pass *mp, char **text,
			  size_t *len, char **source)
{
	struct strbuf path = STRBUF_INIT;
	if (o->must_pass) {
		sb_adds(&path, o->must_pass);
	} else if (!run->suite_version) {
		errorf("run %s does not say which suite version its kernels are: name the must-pass list with "
		       "--must-pass FILE", run->uuid);
		return -1;
	} else {
		sb_addf(&path, "%s/%s.list", CERTIFY_MUST_PASS_DIR, run->suite_version);
		if (access(path.buf, R_OK) != 0) {
			errorf("no must-pass list for suite %s (%s): make one with `certify must-pass`, or name one "
			       "with --must-pass FILE", run->suite_version, path.buf);
			sb_free(&path);
			return -1;
		}
	}
	if (must_pass_load(path.buf, mp, text, len)) {
		sb_free(&path);
		return -1;
	}
	if (run->suite_version && strcmp(mp->suite, run->suite_version) != 0) {
		errorf("the must-pass list %s is for suite %s, but the run's kernels are suite %s", path.buf, mp->suite,
		       run->suite_version);
		must_pass_free(mp);
		free(*text);
		*text = NULL;
		sb_free(&path);
		return -1;
	}
	const char *base = strrchr(path.buf, '/');
	*source = xstrdup(base ? base + 1 : path.buf);
	sb_free(&path);
	return 0;
}

/* Builds the package of run in memory, checks it as verify would, writes it. */
static int release(struct store *s, const struct release_opts *o, struct run *run, EVP_PKEY *key)
{
	int status = EXIT_USAGE;
	struct package pkg = { 0 };
	struct must_pass mp = { 0 };
	char *mp_text = NULL, *mp_source = NULL, *vmm = NULL, *btext = NULL;
	size_t mp_len = 0, blen, n;
	struct baseline *stored = NULL, *b = NULL;
	waiver_vec ws = { 0 };
	json_t *manifest = NULL;
	struct cert_eval e;
	bool evaluated = false;
	str_vec problems = { 0 };
	struct cert_check check = { 0 };
	rerun_vec reruns = { 0 };

	if (!(vmm = certified_version(run, o->vmm_version)) ||
	    load_must_pass(o, run, &mp, &mp_text, &mp_len, &mp_source) ||
	    !(stored = store_load_baseline(s, o->baseline)) || store_list_waivers(s, o->profile, &ws) ||
	    add_logs(&pkg, run, &reruns))
		goto out;
	/* The baseline as the package holds it, read back: what verify will
	 * read is what this release judged by. */
	btext = baseline_text(stored, &blen);
	if (!(b = baseline_parse(btext, blen, CERT_BASELINE)))
		goto out;
	char date[11];
	today(date);
	pkg.top = cert_top_dir(o->profile, vmm, date);

	cert_evaluate(&e, run, b, &mp, &ws, date);
	evaluated = true;
	char fp[KEY_FINGERPRINT_LEN] = "";
	if (key)
		ed25519_fingerprint(key, fp);
	struct cert_release rel = { date, vmm, mp_source, key ? fp : NULL, reruns.v, reruns.n };
	manifest = cert_manifest(run, b, &mp, &e, &rel);
	add_json(&pkg, CERT_MANIFEST, manifest);
	char *text = cert_statement(manifest, &e, b, &mp, &n);
	package_take(&pkg, CERT_STATEMENT, text, n);
	text = cert_verdicts_tsv(&e, &n);
	package_take(&pkg, CERT_VERDICTS, text, n);
	json_t *wj = cert_waivers_json(&e);
	add_json(&pkg, CERT_WAIVERS, wj);
	json_decref(wj);
	package_take(&pkg, CERT_BASELINE, btext, blen);
	btext = NULL;
	package_take(&pkg, CERT_MUST_PASS, mp_text, mp_len);
	mp_text = NULL;
	if (key) {
		text = ed25519_public_pem(key, &n);
		package_take(&pkg, CERT_SIGNER, text, n);
	}
	text = package_sums(&pkg, &n);
	package_take(&pkg, PKG_SUMS, text, n);
	if (key) {
		unsigned char sig[ED25519_SIG_LEN];
		if (ed25519_sign(key, text, n, sig))
			goto out;
		package_add(&pkg, PKG_SIG, sig, sizeof(sig));
	}

	if (cert_check_package(&pkg, key, &check, &problems)) {
		for (size_t i = 0; i < problems.n; i++)
			errorf("%s", problems.v[i]);
		errorf("the package of run %s would not verify: nothing written (were its logs edited after the run?)",
		       run->uuid);
		goto out;
	}
	if (package_write(&pkg, o->out, run_time(run)))
		goto out;
	printf("%s: %s\n", o->out, cert_verdict_name(e.verdict));
	printf("  profile %s, VMM %s, run %s, baseline %s (%s), must-pass list %s (%zu cases, %d baseline(s))%s%s\n",
	       o->profile, vmm, run->uuid, b->name, provenance_name(b->provenance), mp_source, mp.cases.n,
	       mp.n_baselines, key ? ", signed by " : "", key ? fp : "");
	for (size_t i = 0; i < check.deviations.n; i++)
		printf("  deviation: %s\n", check.deviations.v[i]);
	for (size_t i = 0; i < check.waived.n; i++)
		printf("  waived: %s\n", check.waived.v[i]);
	for (size_t i = 0; i < check.expired.n; i++)
		printf("  expired: %s\n", check.expired.v[i]);
	status = e.verdict == CERT_NOT_CONFORMANT ? EXIT_NOT_CONFORMING : EXIT_OK;
out:
	free(reruns.v);
	cert_check_free(&check);
	str_vec_free(&problems);
	if (evaluated)
		cert_eval_free(&e);
	json_decref(manifest);
	package_free(&pkg);
	if (mp.suite)
		must_pass_free(&mp);
	free(mp_text);
	free(mp_source);
	free(btext);
	free(vmm);
	baseline_free(stored);
	baseline_free(b);
	waivers_free(&ws);
	return status;
}

int cmd_release(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "profile", required_argument, NULL, 'p' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "vmm-version", required_argument, NULL, 'V' },
		{ "run", required_argument, NULL, 'R' },
		{ "must-pass", required_argument, NULL, 'm' },
		{ "sign", required_argument, NULL, 's' },
		RUN_REQUEST_OPTIONS,
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = release_usage };
	struct release_opts o = { 0 };
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "ho:j:", opts)) > 0) {
		switch (opt) {
		case 'p': o.profile = optarg; break;
		case 'b': o.baseline = optarg; break;
		case 'o': o.out = optarg; break;
		case 'V': o.vmm_version = optarg; break;
		case 'R': o.run = optarg; break;
		case 'm': o.must_pass = optarg; break;
		case 's': o.sign = optarg; break;
		default: {
			enum run_request_option taken = run_request_option(&c, opt, &o.rq);
			if (taken == RUN_OPTION_BAD)
				return EXIT_USAGE;
			o.run_options |= taken == RUN_OPTION_TAKEN;
		}
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!o.profile)
		return cli_usage_error(&c, "--profile P is required: the VMM profile to certify");
	if (!o.baseline)
		return cli_usage_error(&c, "--baseline B is required (`certify baseline list` shows them)");
	if (!o.out)
		return cli_usage_error(&c, "-o PKG is required: where to write the package (.tar or .tar.zst)");
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\": release certifies the whole suite", argv[optind]);
	if (o.run && o.run_options)
		return cli_usage_error(&c, "--run takes a stored run: the run options (--kernels, -j, ...) are for a new run");
	if (package_compression_for(o.out) < 0)
		return cli_usage_error(&c, "-o %s: name the package NAME.tar, or NAME.tar.zst for zstd", o.out);
	if (access(o.out, F_OK) == 0) {
		errorf("%s exists: certify never replaces a certification package; remove it or choose another name",
		       o.out);
		return EXIT_USAGE;
	}
	o.rq.db = c.db;
	o.rq.profile = o.profile;

	/* Everything that can fail without booting anything first: the key,
	 * the database, the baseline. */
	EVP_PKEY *key = NULL;
	if (o.sign && !(key = ed25519_load_private(o.sign)))
		return EXIT_USAGE;
	struct store s;
	if (store_open(&s, c.db, STORE_EXISTING)) {
		EVP_PKEY_free(key);
		return EXIT_USAGE;
	}
	int status = EXIT_USAGE;
	struct run *run = NULL;
	char have[40];
	if (!store_has_baseline(&s, o.baseline, have)) {
		errorf("no baseline %s in %s (`certify baseline list` shows them; `certify baseline import FILE` "
		       "adds one from baselines/)", o.baseline, c.db);
		goto out;
	}
	if (o.must_pass && access(o.must_pass, R_OK) != 0) {
		errorf("cannot read the must-pass list %s: %s", o.must_pass, strerror(errno));
		goto out;
	}
	status = get_run(&s, &o, &run);
	if (status == EXIT_OK)
		status = release(&s, &o, run, key);
	/* The run booted for this release stays stored: say how to retry. */
	if (status == EXIT_USAGE && run && !o.run)
		errorf("run %s is stored: release it with --run %s once the problem is fixed", run->uuid, run->uuid);
out:
	run_free(run);
	store_close(&s);
	EVP_PKEY_free(key);
	return status;
}

static const char keygen_usage[] =
	"usage: certify keygen [-o] KEYFILE\n"
	"\n"
	"Makes an Ed25519 key pair for signing certification packages: the private\n"
	"key to KEYFILE (PEM, mode 0600) and the public key to KEYFILE.pub (PEM),\n"
	"and prints the key's fingerprint. Refuses to overwrite either file.\n"
	"`certify release --sign KEYFILE` signs; give KEYFILE.pub to those who run\n"
	"`certify verify PKG --pubkey KEYFILE.pub`.\n";

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = keygen_usage };
	const char *path = NULL;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "ho:", opts)) > 0) {
		if (opt == 'o')
			path = optarg;
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!path && optind < argc)
		path = argv[optind++];
	if (!path || !*path)
		return cli_usage_error(&c, "give the private key's file name, KEYFILE");
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	struct strbuf pub = STRBUF_INIT;
	sb_addf(&pub, "%s.pub", path);
	char fp[KEY_FINGERPRINT_LEN];
	int status = EXIT_USAGE;
	if (ed25519_keygen(path, pub.buf, fp) == 0) {
		printf("private key %s (keep it secret), public key %s\nfingerprint %s\n", path, pub.buf, fp);
		status = EXIT_OK;
	}
	sb_free(&pub);
	return status;
}

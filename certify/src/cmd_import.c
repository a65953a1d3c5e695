/* cmd_import.c: `certify import`: store serial logs captured elsewhere (bare metal, other VMMs) as runs. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto.h"
#include "lava_log.h"
#include "parse.h"
#include "value.h"

static const char usage[] =
	"usage: certify import --machine NAME --provenance bare-metal|vmm [options] LOG...\n"
	"\n"
	"Stores serial logs captured elsewhere (USB/PXE boot, IPMI SOL, a serial\n"
	"cable, another VMM). All LOGs together become one run unless --split.\n"
	"Logs of the Cyberus Guest Tests (no CERTIFY lines) are read too, and LAVA\n"
	"job logs (YAML; the device's lines are the entries with lvl: target).\n"
	"\n"
	"  --machine NAME        the machine the logs come from (its identity is\n"
	"                        taken from the logs' CERTIFY FACT lines)\n"
	"  --provenance P        bare-metal or vmm\n"
	"  --profile P           for vmm logs: the VMM profile they correspond to\n"
	"  --vmm-version TEXT    for vmm logs: the VMM's version string\n"
	"  --label TEXT          free text stored with the run\n"
	"  --split               one run per LOG file instead of one for all\n"
	"  --db FILE             database (default $CERTIFY_DB, else ./certify.db)\n";

/* A kernel name for a section whose log does not name one (Cyberus logs):
 * the log's file name without directory and extension. */
static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = base; *p && *p != '.'; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		sb_addc(&sb, c);
	}
	char *s = sb_steal(&sb);
	if (!is_kernel_name(s)) {
		free(s);
		s = xstrdup("imported");
	}
	return s;
}

/* Facts that describe the machine rather than one boot. */
static bool machine_fact(const char *key)
{
	return !str_eq(key, "cmdline") && !str_starts(key, "boot.") && !str_starts(key, "fallback.") &&
	       !str_starts(key, "timebase.");
}

/* Parse one log into r. Returns -1 (with a message) if it holds no results. */
static int add_log(struct run *r, const char *path)
{
	size_t n;
	char *buf = read_file(path, &n);
	if (!buf) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* Of the file as captured (a LAVA log too, not only its serial part):
	 * the bytes a release packages and verify reads again. */
	char log_sha256[65];
	sha256_hex(buf, n, log_sha256);
	struct parser p;
	parser_init(&p);
	int parsed = parse_capture(&p, buf, n, path);
	free(buf);
	if (parsed) {
		parser_free(&p);
		return -1;
	}
	char resolved[PATH_MAX];
	const char *abs = realpath(path, resolved) ? resolved : path;
	int used = 0, rc = 0;
	for (size_t i = 0; i < p.logs.n; i++) {
		struct kresult *k = p.logs.v[i];
		if (!k->version_seen && !k->cases.n)
			continue; /* stray lines, no run */
		if (!k->kernel) {
			char *base = name_from_path(path);
			if (used) {
				size_t len = strlen(base) + 16;
				k->kernel = xmalloc(len);
				snprintf(k->kernel, len, "%s-%d", base, used + 1);
				free(base);
			} else {
				k->kernel = base;
			}
		}
		if (run_kernel(r, k->kernel)) {
			errorf("kernel %s appears twice in this import (again in %s): import its logs as separate runs "
			       "with --split", k->kernel, path);
			rc = -1;
			break;
		}
		/* Provenance stays honest: a guest that saw a hypervisor is
		 * not bare metal, whatever the command line says. */
		const char *hv = facts_get(&k->facts, "cpu.hypervisor");
		if (r->provenance == PROV_BARE_METAL && hv && *hv && !str_eq(hv, "none")) {
			errorf("%s: kernel %s ran under a hypervisor (cpu.hypervisor=%s): import it with --provenance vmm, "
			       "a VMM run is never a bare-metal baseline", path, k->kernel, hv);
			rc = -1;
			break;
		}
		enum kernel_verdict v = k->end_seen ? KV_COMPLETE : k->panic ? KV_CRASH
								  : k->version_seen ? KV_INCOMPLETE : KV_NO_BOOT;
		kresult_finish(k, v, NULL, 0);
		k->log_path = xstrdup(abs);
		k->log_sha256 = xstrdup(log_sha256);
		for (size_t f = 0; f < k->facts.n; f++)
			if (machine_fact(k->facts.v[f].key))
				facts_set(&r->machine_facts, k->facts.v[f].key, k->facts.v[f].value);
		if (!r->suite_version && k->suite_version)
			r->suite_version = xstrdup(k->suite_version);
		/* The run takes the section over. */
		VEC_PUSH(r->kernels, k);
		p.logs.v[i] = NULL;
		used++;
	}
	parser_free(&p);
	if (!rc && !used) {
		errorf("%s has no SOTEST VERSION line and no results: is it a serial log of a suite kernel?", path);
		rc = -1;
	}
	return rc;
}

struct import_opts {
	const char *machine, *profile, *vmm_version, *label;
	int provenance;
};

static struct run *new_run(const struct import_opts *o)
{
	struct run *r = run_new();
	r->provenance = (enum provenance)o->provenance;
	r->machine = xstrdup(o->machine);
	r->profile = xstrdup_or_null(o->profile);
	r->vmm_version = xstrdup_or_null(o->vmm_version);
	r->label = xstrdup_or_null(o->label);
	return r;
}

/* Runs per transaction with --split. */
#define IMPORT_BATCH 256

static void say(const struct run *r)
{
	struct verdict_counts c = run_counts(r);
	printf("%s imported: %zu kernel(s), %d pass, %d fail, %d skip, %d not-run\n", r->uuid, r->kernels.n,
	       c.pass, c.fail, c.skip, c.not_run);
}

static int store_and_say(struct store *s, struct run *r)
{
	facts_sort(&r->machine_facts);
	if (store_save_run(s, r))
		return -1;
	say(r);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "machine", required_argument, NULL, 'm' },
		{ "provenance", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "vmm-version", required_argument, NULL, 'V' },
		{ "label", required_argument, NULL, 'l' },
		{ "split", no_argument, NULL, 's' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	struct import_opts o = { .provenance = -1 };
	bool split = false;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0) {
		switch (opt) {
		case 'm': o.machine = optarg; break;
		case 'p':
			o.provenance = provenance_parse(optarg);
			if (o.provenance < 0)
				return cli_usage_error(&c, "--provenance must be bare-metal or vmm, not \"%s\"", optarg);
			break;
		case 'P': o.profile = optarg; break;
		case 'V': o.vmm_version = optarg; break;
		case 'l': o.label = optarg; break;
		case 's': split = true; break;
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (!o.machine || !*o.machine)
		return cli_usage_error(&c, "--machine NAME is required: the machine the logs were captured on");
	if (o.provenance < 0)
		return cli_usage_error(&c, "--provenance bare-metal|vmm is required, so baselines never mix them up");
	if (optind >= argc)
		return cli_usage_error(&c, "no LOG files given");

	struct store s;
	if (store_open(&s, c.db, STORE_CREATE))
		return EXIT_USAGE;
	int status = EXIT_OK;
	if (split) {
		/* Each log its own run. Runs are stored whole, a batch of them
		 * per transaction (one commit per run costs more than the run);
		 * a bad log stops the import after storing the runs before it. */
		VEC(struct run *) batch = { 0 };
		for (int i = optind; i <= argc && status == EXIT_OK; i++) {
			struct run *r = NULL;
			if (i < argc) {
				r = new_run(&o);
				if (add_log(r, argv[i])) {
					status = EXIT_USAGE;
					run_free(r);
					r = NULL;
				} else {
					facts_sort(&r->machine_facts);
					VEC_PUSH(batch, r);
				}
			}
			if (batch.n && (batch.n == IMPORT_BATCH || i >= argc - 1 || status != EXIT_OK)) {
				if (store_save_runs(&s, (struct run *const *)batch.v, batch.n) == 0) {
					for (size_t b = 0; b < batch.n; b++)
						say(batch.v[b]);
				} else {
					status = EXIT_USAGE;
				}
				for (size_t b = 0; b < batch.n; b++)
					run_free(batch.v[b]);
				batch.n = 0;
			}
		}
		free(batch.v);
	} else {
		struct run *r = new_run(&o);
		for (int i = optind; i < argc && status == EXIT_OK; i++)
			if (add_log(r, argv[i]))
				status = EXIT_USAGE;
		if (status == EXIT_OK && store_and_say(&s, r))
			status = EXIT_USAGE;
		if (status != EXIT_OK)
			errorf("nothing was imported");
		run_free(r);
	}
	store_close(&s);
	return status;
}

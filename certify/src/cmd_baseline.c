/* cmd_baseline.c: `certify baseline record|list|show|export|import`: per-machine reference verdicts. */
#include <stdlib.h>
#include <string.h>

#include "baseline_file.h"
#include "cli.h"

static const char usage[] =
	"usage: certify baseline record --machine NAME --from RUN [--name BASELINE] [--replace]\n"
	"       certify baseline list\n"
	"       certify baseline show NAME\n"
	"       certify baseline export NAME [-o FILE]\n"
	"       certify baseline import FILE [--replace]\n"
	"  (all take --db FILE)\n"
	"\n"
	"A baseline is the reference verdict of every case on one machine, normally\n"
	"recorded from a bare-metal run (`certify import --provenance bare-metal`).\n"
	"It is named after the machine unless --name is given. export writes the\n"
	"text form kept in baselines/ (stable order, reviewable in git); import\n"
	"reads it back.\n";

/* Facts of a run that identify its machine: the import's, else the kernels'. */
static void run_machine_facts(const struct run *r, fact_vec *out)
{
	for (size_t i = 0; i < r->machine_facts.n; i++)
		facts_set(out, r->machine_facts.v[i].key, r->machine_facts.v[i].value);
	if (out->n)
		return;
	for (size_t i = 0; i < r->kernels.n; i++)
		for (size_t f = 0; f < r->kernels.v[i]->facts.n; f++) {
			const struct fact *x = &r->kernels.v[i]->facts.v[f];
			if (str_starts(x->key, "cpu.") || str_starts(x->key, "firmware") || str_starts(x->key, "acpi."))
				facts_set(out, x->key, x->value);
		}
	facts_sort(out);
}

static int record(struct store *s, const char *machine, const char *from, const char *name, bool replace)
{
	struct run *r = cli_load_run(s, from);
	if (!r)
		return EXIT_USAGE;
	if (r->machine && strcmp(r->machine, machine) != 0) {
		errorf("run %s was imported from machine %s, not %s", r->uuid, r->machine, machine);
		run_free(r);
		return EXIT_USAGE;
	}
	struct baseline *b = baseline_new();
	b->name = xstrdup(name ? name : machine);
	b->machine = xstrdup(machine);
	b->provenance = r->provenance;
	b->source_run = xstrdup(r->uuid);
	b->suite_version = xstrdup_or_null(r->suite_version);
	run_machine_facts(r, &b->facts);
	b->identity = machine_identity(&b->facts);
	for (size_t i = 0; i < r->kernels.n; i++) {
		const struct kresult *k = r->kernels.v[i];
		if (k->verdict != KV_COMPLETE)
			warnf("kernel %s did not complete in run %s (%s): cases it never reported are untested on "
			      "this baseline", k->kernel, r->uuid, kernel_verdict_name(k->verdict));
		for (size_t j = 0; j < k->cases.n; j++) {
			const struct case_result *c = &k->cases.v[j];
			struct baseline_case bc = { xstrdup(k->kernel), xstrdup(c->name), c->verdict,
						    xstrdup_or_null(c->ref), xstrdup_or_null(c->msg) };
			VEC_PUSH(b->cases, bc);
		}
	}
	if (r->provenance == PROV_VMM)
		warnf("run %s ran under a VMM: the baseline is marked provenance vmm, not bare-metal", r->uuid);
	int status = EXIT_USAGE;
	if (store_save_baseline(s, b, replace) == 0) {
		printf("baseline %s recorded from run %s: %zu cases, machine %s (%s)\n", b->name, r->uuid,
		       b->cases.n, machine, b->identity);
		status = EXIT_OK;
	}
	baseline_free(b);
	run_free(r);
	return status;
}

static int list(struct store *s)
{
	str_vec names = { 0 };
	if (store_list_baseline_names(s, &names))
		return EXIT_USAGE;
	for (size_t i = 0; i < names.n; i++) {
		struct baseline *b = store_load_baseline(s, names.v[i]);
		if (!b)
			continue;
		int pass = 0;
		for (size_t j = 0; j < b->cases.n; j++)
			pass += b->cases.v[j].verdict == VERDICT_PASS;
		printf("%-24s %-10s machine %s, %zu cases (%d pass), recorded %s from run %s\n", b->name,
		       provenance_name(b->provenance), b->machine, b->cases.n, pass, b->created,
		       str_or(b->source_run, "(imported file)"));
		baseline_free(b);
	}
	str_vec_free(&names);
	return EXIT_OK;
}

static int show(struct store *s, const char *name)
{
	struct baseline *b = store_load_baseline(s, name);
	if (!b)
		return EXIT_USAGE;
	printf("baseline %s\n  provenance  %s\n  machine     %s\n  identity    %s\n  recorded    %s\n"
	       "  source run  %s\n",
	       b->name, provenance_name(b->provenance), b->machine, b->identity, b->created,
	       str_or(b->source_run, "-"));
	for (size_t i = 0; i < b->facts.n; i++)
		printf("  fact        %s = %s\n", b->facts.v[i].key, b->facts.v[i].value);
	for (size_t i = 0; i < b->cases.n; i++) {
		const struct baseline_case *c = &b->cases.v[i];
		printf("  %-8s %s/%s%s%s\n", verdict_name(c->verdict), c->kernel, c->name, c->msg ? ": " : "",
		       c->msg ? c->msg : "");
	}
	baseline_free(b);
	return EXIT_OK;
}

static int export(struct store *s, const char *name, const char *path)
{
	struct baseline *b = store_load_baseline(s, name);
	if (!b)
		return EXIT_USAGE;
	FILE *out = cli_open_output(path);
	int status = EXIT_USAGE;
	if (out) {
		baseline_write(b, out);
		if (cli_close_output(out, path) == 0)
			status = EXIT_OK;
	}
	baseline_free(b);
	return status;
}

static int import(struct store *s, const char *path, bool replace)
{
	struct baseline *b = baseline_read(path);
	if (!b)
		return EXIT_USAGE;
	char have[40];
	int status = EXIT_USAGE;
	if (store_has_baseline(s, b->name, have) && strcmp(have, b->uuid) == 0 && !replace) {
		printf("baseline %s is already in %s\n", b->name, s->path);
		status = EXIT_OK;
	} else if (store_save_baseline(s, b, replace) == 0) {
		printf("baseline %s imported: %zu cases\n", b->name, b->cases.n);
		status = EXIT_OK;
	}
	baseline_free(b);
	return status;
}

int cmd_baseline(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "machine", required_argument, NULL, 'm' },
		{ "from", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "replace", no_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	const char *machine = NULL, *from = NULL, *name = NULL, *out = NULL;
	bool replace = false;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "ho:", opts)) > 0) {
		switch (opt) {
		case 'm': machine = optarg; break;
		case 'f': from = optarg; break;
		case 'n': name = optarg; break;
		case 'r': replace = true; break;
		case 'o': out = optarg; break;
		}
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (optind >= argc)
		return cli_usage_error(&c, "give an action: record, list, show, export or import");
	const char *action = argv[optind++];
	int nargs = argc - optind;
	int want = strcmp(action, "show") == 0 || strcmp(action, "export") == 0 || strcmp(action, "import") == 0;
	if (strcmp(action, "record") != 0 && strcmp(action, "list") != 0 && !want)
		return cli_usage_error(&c, "unknown baseline action \"%s\"", action);
	if (nargs != want)
		return cli_usage_error(&c, want ? "baseline %s takes one argument" : "baseline %s takes no arguments",
				       action);
	if (strcmp(action, "record") == 0 && (!machine || !from))
		return cli_usage_error(&c, "baseline record needs --machine NAME and --from RUN");
	struct store s;
	bool writes = strcmp(action, "record") == 0 || strcmp(action, "import") == 0;
	if (store_open(&s, c.db, writes && action[0] == 'i' ? STORE_CREATE : STORE_EXISTING))
		return EXIT_USAGE;
	int status;
	if (strcmp(action, "record") == 0)
		status = record(&s, machine, from, name, replace);
	else if (strcmp(action, "list") == 0)
		status = list(&s);
	else if (strcmp(action, "show") == 0)
		status = show(&s, argv[optind]);
	else if (strcmp(action, "export") == 0)
		status = export(&s, argv[optind], out);
	else
		status = import(&s, argv[optind], replace);
	store_close(&s);
	return status;
}

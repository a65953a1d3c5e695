/* cert_files.c: the files of a certification package: verdicts.tsv, waivers.json, manifest.json, STATEMENT.md. */
#include <stdlib.h>
#include <string.h>

#include "certification.h"
#include "value.h"

/* A JSON string of s (null for NULL). Text from logs is cleaned to valid
 * UTF-8 first: jansson refuses anything else. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char *clean = text_clean(s, strlen(s));
	j = json_string(clean);
	free(clean);
	return j ? j : json_null();
}

static json_t *facts_json(const fact_vec *facts)
{
	json_t *o = json_object();
	for (size_t i = 0; i < facts->n; i++)
		json_object_set_new(o, facts->v[i].key, jstr(facts->v[i].value));
	return o;
}

char *cert_json_text(const json_t *j, size_t *len)
{
	/* Sorted keys and a fixed layout: the same data give the same bytes,
	 * so verify can compare what it recomputes with what is packaged. */
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text) {
		errorf("cannot write JSON (out of memory?)");
		abort();
	}
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, text);
	sb_addc(&sb, '\n');
	free(text);
	*len = sb.len;
	return sb_steal(&sb);
}

static const char *verdict_or_dash(enum verdict v)
{
	return v == VERDICT_NONE ? "-" : verdict_name(v);
}

char *cert_verdicts_tsv(const struct cert_eval *e, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "kernel\tcase\tbaseline\trun\treason\tflaky\tmust-pass\tcategory\toutcome\twaiver\n");
	for (size_t i = 0; i < e->rows.n; i++) {
		const struct cert_row *r = &e->rows.v[i];
		sb_addf(&sb, "%s\t%s\t%s\t%s\t", r->kernel, r->name, verdict_or_dash(r->baseline), verdict_or_dash(r->run));
		if (r->reason)
			value_write(&sb, r->reason); /* quoted if it holds a tab or space */
		else
			sb_addc(&sb, '-');
		sb_addf(&sb, "\t%s\t%s\t%s\t%s\t", r->flaky ? "yes" : "no", r->must_pass ? "yes" : "no",
			category_info(r->cat)->name, cert_outcome_name(r->outcome));
		if (r->waiver)
			sb_addf(&sb, "%ld", r->waiver->id);
		else
			sb_addc(&sb, '-');
		sb_addc(&sb, '\n');
	}
	*len = sb.len;
	return sb_steal(&sb);
}

json_t *cert_waivers_json(const struct cert_eval *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->waivers.n; i++) {
		const struct cert_waiver_use *u = &e->waivers.v[i];
		const struct waiver *w = u->w;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(w->id));
		json_object_set_new(o, "profile", jstr(w->profile));
		json_object_set_new(o, "case", jstr(w->case_glob));
		json_object_set_new(o, "vmm_version", jstr(w->vmm_glob));
		json_object_set_new(o, "reason", jstr(w->reason));
		json_object_set_new(o, "ticket", jstr(w->ticket));
		json_object_set_new(o, "expires", jstr(w->expires));
		json_object_set_new(o, "created", jstr(w->created));
		json_object_set_new(o, "cases_waived", json_integer(u->waived));
		json_object_set_new(o, "cases_expired", json_integer(u->expired));
		json_object_set_new(o, "cases_passing", json_integer(u->unneeded));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *cert_conformance_json(const struct cert_eval *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(cert_verdict_name(e->verdict)));
	json_object_set_new(o, "cases", json_integer((json_int_t)e->rows.n));
	json_object_set_new(o, "deviations", json_integer(e->deviations));
	json_object_set_new(o, "waived", json_integer(e->waived));
	json_t *cats = json_object();
	for (int c = 0; c < CAT_COUNT; c++)
		if (e->rep.counts[c])
			json_object_set_new(cats, category_info((enum category)c)->name, json_integer(e->rep.counts[c]));
	json_object_set_new(o, "categories", cats);
	return o;
}

char *cert_log_path(const char *kernel)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s%s.log", CERT_LOGS, kernel);
	return sb_steal(&sb);
}

char *cert_rerun_path(const char *kernel, const char *name, int round)
{
	char *stem = rerun_log_stem(kernel, name, round);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s%s.log", CERT_LOGS, stem);
	free(stem);
	return sb_steal(&sb);
}

static json_t *kernel_json(const struct kresult *k, const struct cert_release *rel)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", jstr(k->kernel));
	json_object_set_new(o, "verdict", json_string(kernel_verdict_name(k->verdict)));
	json_object_set_new(o, "detail", jstr(k->detail));
	json_object_set_new(o, "suite_version", jstr(k->suite_version));
	json_object_set_new(o, "image_sha256", jstr(k->sha256));
	json_object_set_new(o, "cmdline", jstr(k->cmdline));
	json_object_set_new(o, "command", jstr(k->command));
	json_object_set_new(o, "duration_ms", k->duration_ms < 0 ? json_null() : json_integer(k->duration_ms));
	json_object_set_new(o, "cases_announced", k->begin_count < 0 ? json_null() : json_integer(k->begin_count));
	json_object_set_new(o, "notes", k->notes.len ? jstr(k->notes.buf) : json_null());
	/* The log's place in the package and its hash when the run was stored. */
	char *log = cert_log_path(k->kernel);
	json_object_set_new(o, "log", k->log_sha256 ? jstr(log) : json_null());
	free(log);
	json_object_set_new(o, "log_sha256", jstr(k->log_sha256));
	json_t *reruns = json_array();
	for (size_t i = 0; i < rel->n_reruns; i++) {
		const struct cert_rerun *r = &rel->reruns[i];
		if (!str_eq(r->kernel, k->kernel))
			continue;
		json_t *x = json_object();
		json_object_set_new(x, "case", jstr(r->name));
		json_object_set_new(x, "round", json_integer(r->round));
		char *path = cert_rerun_path(r->kernel, r->name, r->round);
		json_object_set_new(x, "log", jstr(path));
		free(path);
		json_array_append_new(reruns, x);
	}
	json_object_set_new(o, "reruns", reruns);
	json_object_set_new(o, "facts", facts_json(&k->facts));
	return o;
}

json_t *cert_manifest(const struct run *run, const struct baseline *b, const struct must_pass *mp,
		      const struct cert_eval *e, const struct cert_release *rel)
{
	json_t *m = json_object();
	json_object_set_new(m, "format", json_string(CERT_FORMAT));

	json_t *r = json_object();
	json_object_set_new(r, "date", jstr(rel->date));
	json_object_set_new(r, "vmm_version_certified", jstr(rel->vmm_certified));
	json_object_set_new(r, "certify_version", json_string(CERTIFY_VERSION));
	json_object_set_new(r, "signer", jstr(rel->signer));
	json_object_set_new(m, "release", r);

	json_t *o = json_object();
	json_object_set_new(o, "id", jstr(run->uuid));
	json_object_set_new(o, "provenance", json_string(provenance_name(run->provenance)));
	json_object_set_new(o, "profile", jstr(run->profile));
	json_object_set_new(o, "vmm_version", jstr(run->vmm_version));
	json_object_set_new(o, "vmm_binary", jstr(run->vmm_binary));
	json_object_set_new(o, "machine", jstr(run->machine));
	json_object_set_new(o, "label", jstr(run->label));
	json_object_set_new(o, "suite_version", jstr(run->suite_version));
	json_object_set_new(o, "started", jstr(run->started));
	json_object_set_new(o, "finished", jstr(run->finished));
	json_object_set_new(o, "host_facts", facts_json(&run->host_facts));
	json_object_set_new(m, "run", o);

	json_t *ks = json_array();
	for (size_t i = 0; i < run->kernels.n; i++)
		json_array_append_new(ks, kernel_json(run->kernels.v[i], rel));
	json_object_set_new(m, "kernels", ks);

	o = json_object();
	json_object_set_new(o, "file", json_string(CERT_BASELINE));
	json_object_set_new(o, "name", jstr(b->name));
	json_object_set_new(o, "uuid", jstr(b->uuid));
	json_object_set_new(o, "provenance", json_string(provenance_name(b->provenance)));
	json_object_set_new(o, "machine", jstr(b->machine));
	json_object_set_new(o, "identity", jstr(b->identity));
	json_object_set_new(o, "recorded", jstr(b->created));
	json_object_set_new(o, "suite_version", jstr(b->suite_version));
	json_object_set_new(m, "baseline", o);

	o = json_object();
	json_object_set_new(o, "file", json_string(CERT_MUST_PASS));
	json_object_set_new(o, "source", jstr(rel->must_pass_file));
	json_object_set_new(o, "suite_version", jstr(mp->suite));
	json_object_set_new(o, "sha256", json_string(mp->sha256));
	json_object_set_new(o, "baselines", json_integer(mp->n_baselines));
	json_object_set_new(o, "cases", json_integer((json_int_t)mp->cases.n));
	json_object_set_new(m, "must_pass", o);

	json_object_set_new(m, "conformance", cert_conformance_json(e));
	return m;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The string at m.a.b, NULL when absent or not a string. */
static const char *jget(const json_t *m, const char *a, const char *b)
{
	const json_t *x = json_object_get(m, a);
	return json_string_value(b ? json_object_get(x, b) : x);
}

/* Inline code in Markdown that shows s as it is: a fence longer than any
 * backtick run in it, line breaks as spaces. */
static void md_code(struct strbuf *sb, const char *s)
{
	if (!s || !*s) {
		sb_adds(sb, "(none)");
		return;
	}
	size_t run = 0, longest = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		sb_addc(sb, '`');
	bool pad = s[0] == '`' || s[strlen(s) - 1] == '`' || longest;
	if (pad)
		sb_addc(sb, ' ');
	for (const char *p = s; *p; p++)
		sb_addc(sb, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
	if (pad)
		sb_addc(sb, ' ');
	for (size_t i = 0; i <= longest; i++)
		sb_addc(sb, '`');
}

static void md_row(struct strbuf *sb, const char *what, const char *value)
{
	sb_addf(sb, "| %s | ", what);
	md_code(sb, value);
	sb_adds(sb, " |\n");
}

static void row_item(struct strbuf *sb, const struct cert_row *r)
{
	char *line = cert_row_line(r);
	sb_adds(sb, "- ");
	md_code(sb, line);
	sb_addc(sb, '\n');
	free(line);
}

static void waivers_section(struct strbuf *sb, const struct cert_eval *e, const char *date)
{
	sb_adds(sb, "\n## Waivers used\n\n");
	if (!e->waivers.n)
		sb_adds(sb, "None: no waiver matched a case.\n");
	for (size_t i = 0; i < e->waivers.n; i++) {
		const struct cert_waiver_use *u = &e->waivers.v[i];
		const struct waiver *w = u->w;
		bool expired = w->expires && strcmp(w->expires, date) < 0;
		sb_addf(sb, "- waiver #%ld for ", w->id);
		md_code(sb, w->case_glob);
		sb_adds(sb, " (profile ");
		md_code(sb, w->profile);
		if (w->vmm_glob) {
			sb_adds(sb, ", VMM version ");
			md_code(sb, w->vmm_glob);
		}
		sb_adds(sb, "): reason ");
		md_code(sb, w->reason);
		sb_adds(sb, ", ticket ");
		md_code(sb, w->ticket);
		sb_addf(sb, ", expires %s%s; covers %d case(s)", str_or(w->expires, "never"),
			expired ? " (EXPIRED on the release date: it does not count)" : "", u->waived);
		if (u->expired)
			sb_addf(sb, ", %d case(s) it would cover count as deviations", u->expired);
		if (u->unneeded)
			sb_addf(sb, ", %d matching case(s) pass now", u->unneeded);
		sb_adds(sb, ".\n");
	}
}

char *cert_statement(const json_t *m, const struct cert_eval *e, const struct baseline *b,
		     const struct must_pass *mp, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *date = jget(m, "release", "date");
	sb_addf(&sb, "# Certification statement\n\n**%s**\n\n", cert_verdict_name(e->verdict));
	sb_adds(&sb, "The VMM of profile ");
	md_code(&sb, jget(m, "run", "profile"));
	sb_adds(&sb, ", version ");
	md_code(&sb, jget(m, "release", "vmm_version_certified"));
	sb_adds(&sb, ", ran the conformance suite ");
	md_code(&sb, jget(m, "run", "suite_version"));
	sb_adds(&sb, " and was compared, case by case, with the baseline ");
	md_code(&sb, b->name);
	sb_addf(&sb, ", recorded %s on machine ", b->provenance == PROV_BARE_METAL ? "on bare metal" : "under a VMM");
	md_code(&sb, b->machine);
	sb_addf(&sb, ". Verdict on %s: %s.\n", str_or(date, "?"), cert_verdict_name(e->verdict));
	switch (e->verdict) {
	case CERT_CONFORMANT:
		sb_adds(&sb, "Every case that passes on the baseline, and every must-pass case, passes here.\n");
		break;
	case CERT_CONFORMANT_WITH_WAIVERS:
		sb_addf(&sb, "Every case that passes on the baseline, and every must-pass case, passes here, "
			     "except %d case(s) covered by an unexpired waiver (listed below).\n", e->waived);
		break;
	default:
		sb_addf(&sb, "%d case(s) that pass on the baseline or are must-pass do not pass here and hold "
			     "no unexpired waiver (listed below).\n", e->deviations);
	}
	if (b->provenance != PROV_BARE_METAL)
		sb_adds(&sb, "\n**The baseline was recorded under a VMM, not on real hardware: this is a comparison "
			     "with that VMM, not a certification against hardware.**\n");

	sb_adds(&sb, "\n## What was certified\n\n| | |\n|---|---|\n");
	md_row(&sb, "VMM profile", jget(m, "run", "profile"));
	md_row(&sb, "VMM version certified", jget(m, "release", "vmm_version_certified"));
	md_row(&sb, "VMM version reported", jget(m, "run", "vmm_version"));
	md_row(&sb, "VMM binary", jget(m, "run", "vmm_binary"));
	md_row(&sb, "run", jget(m, "run", "id"));
	md_row(&sb, "run started", jget(m, "run", "started"));
	md_row(&sb, "run finished", jget(m, "run", "finished"));
	md_row(&sb, "suite version", jget(m, "run", "suite_version"));
	md_row(&sb, "certify version", jget(m, "release", "certify_version"));
	/* Sorted by key: the order of a JSON object is no part of its data. */
	const json_t *hf = json_object_get(json_object_get(m, "run"), "host_facts");
	str_vec keys = { 0 };
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)hf, key, val) {
		char *k = xstrdup(key);
		VEC_PUSH(keys, k);
	}
	if (keys.n)
		qsort(keys.v, keys.n, sizeof(*keys.v), str_ptr_cmp);
	for (size_t f = 0; f < keys.n; f++) {
		struct strbuf k = STRBUF_INIT;
		sb_addf(&k, "host fact %s", keys.v[f]);
		md_row(&sb, k.buf, json_string_value(json_object_get(hf, keys.v[f])));
		sb_free(&k);
	}
	str_vec_free(&keys);
	md_row(&sb, "baseline", b->name);
	md_row(&sb, "baseline provenance", provenance_name(b->provenance));
	md_row(&sb, "baseline machine", b->machine);
	md_row(&sb, "baseline identity", b->identity);
	md_row(&sb, "baseline recorded", b->created);
	struct strbuf x = STRBUF_INIT;
	sb_addf(&x, "suite %s, %zu case(s), resting on %d bare-metal baseline(s), SHA-256 %s", mp->suite,
		mp->cases.n, mp->n_baselines, mp->sha256);
	md_row(&sb, "must-pass list", x.buf);
	sb_free(&x);
	md_row(&sb, "release date (waivers judged on it)", date);
	md_row(&sb, "signed by", str_or(jget(m, "release", "signer"), "not signed"));
	sb_adds(&sb, "\nKernel images (SHA-256):\n\n");
	const json_t *ks = json_object_get(m, "kernels");
	size_t i;
	const json_t *k;
	json_array_foreach(ks, i, k) {
		sb_adds(&sb, "- ");
		md_code(&sb, json_string_value(json_object_get(k, "name")));
		sb_adds(&sb, " ");
		md_code(&sb, json_string_value(json_object_get(k, "image_sha256")));
		sb_addf(&sb, ", %s\n", str_or(json_string_value(json_object_get(k, "verdict")), "?"));
	}

	sb_adds(&sb, "\n## Result\n\n");
	char *summary = report_summary(&e->rep);
	sb_addf(&sb, "%zu case(s): %s.\n", e->rows.n, summary);
	free(summary);
	if (mp->n_baselines == 0)
		sb_adds(&sb, "\nThe must-pass list rests on no bare-metal baseline (none was recorded for this "
			     "suite version yet), so it holds no case: the run is held to this baseline alone.\n");
	else
		sb_addf(&sb, "\nThe must-pass list rests on %d bare-metal baseline(s) and holds %zu case(s).\n",
			mp->n_baselines, mp->cases.n);

	sb_adds(&sb, "\n## Deviations\n\n");
	if (!e->deviations)
		sb_adds(&sb, "None.\n");
	for (i = 0; i < e->rows.n; i++)
		if (e->rows.v[i].outcome == OUTCOME_DEVIATION)
			row_item(&sb, &e->rows.v[i]);
	sb_adds(&sb, "\n## Waived cases\n\n");
	if (!e->waived)
		sb_adds(&sb, "None.\n");
	for (i = 0; i < e->rows.n; i++)
		if (e->rows.v[i].outcome == OUTCOME_WAIVED)
			row_item(&sb, &e->rows.v[i]);
	waivers_section(&sb, e, str_or(date, ""));
	if (e->rep.notes.n) {
		sb_adds(&sb, "\n## Notes\n\n");
		for (i = 0; i < e->rep.notes.n; i++) {
			sb_adds(&sb, "- ");
			md_code(&sb, e->rep.notes.v[i]);
			sb_addc(&sb, '\n');
		}
	}
	sb_adds(&sb,
		"\n## Checking this package\n\n"
		"`certify verify PACKAGE --pubkey KEY.pub` checks every hash and the signature, parses every log "
		"again, recomputes every verdict from the logs, the baseline, the must-pass list and the waivers, "
		"and prints the verdict. Without certify: `sha256sum -c SHA256SUMS` in the extracted directory, "
		"and `openssl pkeyutl -verify -pubin -inkey KEY.pub -rawin -in SHA256SUMS -sigfile "
		"SHA256SUMS.sig` for the signature.\n");
	*len = sb.len;
	return sb_steal(&sb);
}

char *cert_top_dir(const char *profile, const char *vmm, const char *date)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "certification-");
	/* Only characters that are safe in a file name on any system; runs of
	 * others become one '-'. */
	const char *parts[] = { profile, vmm, date };
	for (int p = 0; p < 3; p++) {
		size_t start = sb.len, kept = 0;
		for (const char *s = parts[p] ? parts[p] : "unknown"; *s && kept < 48; s++) {
			char c = *s;
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '.' || c == '_' || c == '+';
			if (!ok && (sb.len == start || sb.buf[sb.len - 1] == '-'))
				continue;
			sb_addc(&sb, ok ? c : '-');
			kept++;
		}
		while (sb.len > start && sb.buf[sb.len - 1] == '-')
			sb.buf[--sb.len] = '\0';
		if (sb.len == start)
			sb_adds(&sb, "unknown");
		if (p < 2)
			sb_addc(&sb, '-');
	}
	return sb_steal(&sb);
}

/* cert_check.c: checking a certification package: hashes, signature, logs parsed again, conformance recomputed. */
#include <stdlib.h>
#include <string.h>

#include "baseline_file.h"
#include "certification.h"
#include "lava_log.h"
#include "parse.h"
#include "value.h"

/* ---- integrity: SHA256SUMS and its signature ---- */

static bool is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void check_sums(const struct package *p, str_vec *problems)
{
	const struct pkg_file *sums = package_get(p, PKG_SUMS);
	if (!sums) {
		problem(problems, "no %s in the package: it is not a certification package, or it was cut", PKG_SUMS);
		return;
	}
	str_vec listed = { 0 };
	int lineno = 0;
	for (const char *s = sums->data, *end = sums->data + sums->len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		lineno++;
		/* "HASH  PATH" as sha256sum writes it (" *" for binary mode). */
		if (n < 67 || !is_hex64(s, 64) || s[64] != ' ' || (s[65] != ' ' && s[65] != '*') ||
		    memchr(s, '\0', n)) {
			problem(problems, "%s line %d: not \"SHA-256  PATH\" as sha256sum writes it", PKG_SUMS, lineno);
			s += n + 1;
			continue;
		}
		char *path = xstrndup(s + 66, n - 66);
		const struct pkg_file *f = package_get(p, path);
		if (str_vec_has(&listed, path)) {
			problem(problems, "%s: listed twice in %s", path, PKG_SUMS);
		} else if (!f) {
			problem(problems, "%s: listed in %s but missing from the package (removed?)", path, PKG_SUMS);
		} else if (strcmp(path, PKG_SUMS) == 0 || strcmp(path, PKG_SIG) == 0) {
			problem(problems, "%s: listed in %s, which cannot cover itself or its signature", path, PKG_SUMS);
		} else {
			char hex[65];
			sha256_hex(f->data, f->len, hex);
			if (memcmp(hex, s, 64) != 0)
				problem(problems, "%s: SHA-256 mismatch (%s says %.12s..., the file has %.12s...): the "
					"file was changed", path, PKG_SUMS, s, hex);
		}
		VEC_PUSH(listed, path);
		s += n + 1;
	}
	for (size_t i = 0; i < p->files.n; i++) {
		const char *path = p->files.v[i].path;
		if (strcmp(path, PKG_SUMS) != 0 && strcmp(path, PKG_SIG) != 0 && !str_vec_has(&listed, path))
			problem(problems, "extra file not in %s: %s (added after the package was made?)", PKG_SUMS, path);
	}
	str_vec_free(&listed);
}

static void check_signature(const struct package *p, EVP_PKEY *pubkey, struct cert_check *out, str_vec *problems)
{
	const struct pkg_file *sig = package_get(p, PKG_SIG);
	const struct pkg_file *signer = package_get(p, CERT_SIGNER);
	const struct pkg_file *sums = package_get(p, PKG_SUMS);
	if (!sig) {
		if (pubkey)
			problem(problems, "the package is not signed (no %s), but --pubkey asks for a signature by "
				"that key", PKG_SIG);
		return;
	}
	out->signed_pkg = true;
	if (!signer) {
		problem(problems, "%s is there but %s, the key it was made with, is missing", PKG_SIG, CERT_SIGNER);
		return;
	}
	EVP_PKEY *inside = ed25519_public_from_pem(signer->data, signer->len, CERT_SIGNER);
	if (!inside) {
		problem(problems, "%s: not an Ed25519 public key in PEM form", CERT_SIGNER);
		return;
	}
	ed25519_fingerprint(inside, out->signer);
	if (pubkey && !ed25519_same_public(pubkey, inside)) {
		char given[KEY_FINGERPRINT_LEN];
		ed25519_fingerprint(pubkey, given);
		problem(problems, "wrong key: the package was signed with key %s, not with the --pubkey key %s",
			out->signer, given);
	}
	EVP_PKEY *key = pubkey ? pubkey : inside;
	char fp[KEY_FINGERPRINT_LEN];
	ed25519_fingerprint(key, fp);
	if (!sums || !ed25519_verify(key, sums->data, sums->len, (const unsigned char *)sig->data, sig->len))
		problem(problems, "%s: signature does not verify with key %s: %s was changed after signing, or "
			"the signature was made with another key", PKG_SIG, fp, PKG_SUMS);
	EVP_PKEY_free(inside);
}

/* ---- content: what the files say, and what follows from them ---- */

/* One line of verdicts.tsv as recorded. */
struct recorded {
	char *kernel, *name, *run, *reason, *flaky;
	int line;
	bool seen;	/* matched by a case of the logs */
};
typedef VEC(struct recorded) recorded_vec;

static void recorded_free(recorded_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].kernel);
		free(v->v[i].name);
		free(v->v[i].run);
		free(v->v[i].reason);
		free(v->v[i].flaky);
	}
	free(v->v);
}

static struct recorded *recorded_find(recorded_vec *v, const char *kernel, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].kernel, kernel) == 0 && strcmp(v->v[i].name, name) == 0)
			return &v->v[i];
	return NULL;
}

#define TSV_COLUMNS 10

static int parse_verdicts(const struct pkg_file *f, recorded_vec *out, str_vec *problems)
{
	char *text = xstrndup(f->data, f->len);
	int lineno = 0, rc = 0;
	struct strbuf val = STRBUF_INIT;
	char *cursor = text;
	for (char *line; rc == 0 && (line = next_line(&cursor));) {
		lineno++;
		if (lineno == 1)
			continue; /* the header; the byte comparison later checks it */
		char *col[TSV_COLUMNS];
		int n = 0;
		for (char *c = line; n < TSV_COLUMNS; n++) {
			col[n] = c;
			char *tab = strchr(c, '\t');
			if (!tab) {
				n++;
				break;
			}
			*tab = '\0';
			c = tab + 1;
		}
		if (n != TSV_COLUMNS || strchr(col[TSV_COLUMNS - 1], '\t')) {
			problem(problems, "%s line %d: not %d tab-separated columns", CERT_VERDICTS, lineno, TSV_COLUMNS);
			rc = -1;
			break;
		}
		struct recorded r = { xstrdup(col[0]), xstrdup(col[1]), xstrdup(col[3]), NULL, xstrdup(col[5]), lineno,
				      false };
		if (strcmp(col[4], "-") != 0) {
			const char *s = col[4];
			value_read(&s, &val);
			r.reason = xstrdup(val.buf);
		}
		if (recorded_find(out, r.kernel, r.name))
			problem(problems, "%s line %d: case %s/%s is listed twice", CERT_VERDICTS, lineno, r.kernel, r.name);
		VEC_PUSH(*out, r);
	}
	sb_free(&val);
	free(text);
	return rc;
}

static json_t *load_json(const struct package *p, const char *path, str_vec *problems)
{
	const struct pkg_file *f = package_get(p, path);
	if (!f) {
		problem(problems, "%s is missing: every certification package has one", path);
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		problem(problems, "%s: not valid JSON (line %d: %s)", path, err.line, err.text);
	return j;
}

/* m.a.b as a string; NULL (and a problem when required) otherwise. */
static const char *jstring(const json_t *m, const char *a, const char *b, bool required, str_vec *problems)
{
	const json_t *x = json_object_get(m, a);
	if (b)
		x = json_object_get(x, b);
	const char *s = json_string_value(x);
	if (!s && required)
		problem(problems, "%s: %s%s%s is missing or not a string", CERT_MANIFEST, a, b ? "." : "", b ? b : "");
	return s;
}

/* The waivers of waivers.json, in their order. */
static int parse_waivers(const json_t *j, waiver_vec *out, str_vec *problems)
{
	if (!json_is_array(j)) {
		problem(problems, "%s: not a JSON array of waivers", CERT_WAIVERS);
		return -1;
	}
	size_t i;
	const json_t *o;
	json_array_foreach(j, i, o) {
		const json_t *id = json_object_get(o, "id");
		const char *profile = json_string_value(json_object_get(o, "profile"));
		const char *glob = json_string_value(json_object_get(o, "case"));
		const char *reason = json_string_value(json_object_get(o, "reason"));
		if (!json_is_integer(id) || !profile || !glob || !reason) {
			problem(problems, "%s: waiver %zu lacks an id, profile, case or reason", CERT_WAIVERS, i + 1);
			return -1;
		}
		struct waiver w = { 0 };
		w.id = (long)json_integer_value(id);
		w.profile = xstrdup(profile);
		w.case_glob = xstrdup(glob);
		w.reason = xstrdup(reason);
		w.ticket = xstrdup_or_null(json_string_value(json_object_get(o, "ticket")));
		w.expires = xstrdup_or_null(json_string_value(json_object_get(o, "expires")));
		w.vmm_glob = xstrdup_or_null(json_string_value(json_object_get(o, "vmm_version")));
		w.created = xstrdup_or_null(json_string_value(json_object_get(o, "created")));
		VEC_PUSH(*out, w);
	}
	return 0;
}

/* The kernel's section of a parsed log, chosen as `run` and `import`
 * chose it: the first that names the kernel, else the first that began
 * (SOTEST VERSION), else none (an empty result). Taken out of p. */
static struct kresult *take_section(struct parser *p, const char *kernel)
{
	struct kresult **pick = NULL;
	for (size_t i = 0; i < p->logs.n && !pick; i++)
		if (p->logs.v[i]->version_seen && str_eq(p->logs.v[i]->kernel, kernel))
			pick = &p->logs.v[i];
	for (size_t i = 0; i < p->logs.n && !pick; i++)
		if (p->logs.v[i]->version_seen)
			pick = &p->logs.v[i];
	if (!pick)
		return kresult_new();
	struct kresult *k = *pick;
	*pick = kresult_new();
	return k;
}

/* Does the log agree with the kernel verdict the run recorded? The
 * verdicts that depend on the VMM (hang, crash, vmm-error) cannot be told
 * apart from the log; the ones the log decides can. */
static void check_kernel_verdict(const struct kresult *k, const char *name, enum kernel_verdict v, str_vec *problems)
{
	if (v == KV_COMPLETE && !k->end_seen)
		problem(problems, "%s: kernel %s is recorded complete but its log has no SOTEST END", CERT_MANIFEST, name);
	else if (v != KV_COMPLETE && k->end_seen)
		problem(problems, "%s: kernel %s is recorded %s but its log reaches SOTEST END", CERT_MANIFEST, name,
			kernel_verdict_name(v));
	else if (v == KV_NO_BOOT && k->version_seen)
		problem(problems, "%s: kernel %s is recorded no-boot but its log has SOTEST VERSION", CERT_MANIFEST,
			name);
	else if (v != KV_NO_BOOT && !k->version_seen)
		problem(problems, "%s: kernel %s is recorded %s but its log never began (no SOTEST VERSION)",
			CERT_MANIFEST, name, kernel_verdict_name(v));
}

/* The cases of kernel that passed in its rerun boots (`run --rerun`),
 * from the rerun logs the manifest lists; their paths go to allowed. */
static void rerun_passes(const struct package *p, const json_t *jk, const char *kernel, str_vec *passed,
			 str_vec *allowed, str_vec *problems)
{
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(jk, "reruns"), i, x) {
		const char *name = json_string_value(json_object_get(x, "case"));
		const json_t *round = json_object_get(x, "round");
		const char *log = json_string_value(json_object_get(x, "log"));
		if (!name || !is_case_name(name) || !json_is_integer(round) || json_integer_value(round) < 1 ||
		    json_integer_value(round) > 100 || !log) {
			problem(problems, "%s: a rerun of kernel %s without a valid case, round or log", CERT_MANIFEST,
				kernel);
			continue;
		}
		char *want = cert_rerun_path(kernel, name, (int)json_integer_value(round));
		const struct pkg_file *f = package_get(p, log);
		if (strcmp(log, want) != 0)
			problem(problems, "%s: the rerun log of %s/%s is %s, not %s", CERT_MANIFEST, kernel, name, log, want);
		else if (!f)
			problem(problems, "%s: missing, but %s names it as a rerun log of %s/%s", log, CERT_MANIFEST, kernel,
				name);
		free(want);
		if (!f)
			continue;
		char *copy = xstrdup(log);
		VEC_PUSH(*allowed, copy);
		struct parser parser;
		parser_init(&parser);
		if (parse_capture(&parser, f->data, f->len, log) == 0) {
			struct kresult *k = take_section(&parser, kernel);
			struct case_result *c = kresult_case(k, name);
			if (c && c->verdict == VERDICT_PASS && !str_vec_has(passed, name)) {
				char *n = xstrdup(name);
				VEC_PUSH(*passed, n);
			}
			kresult_free(k);
		}
		parser_free(&parser);
	}
}

/* The kernel's results from its log, compared with verdicts.tsv. */
static struct kresult *kernel_from_log(const struct package *p, const json_t *jk, recorded_vec *rec,
				       str_vec *allowed, str_vec *problems)
{
	const char *name = json_string_value(json_object_get(jk, "name"));
	const char *verdict = json_string_value(json_object_get(jk, "verdict"));
	const char *log = json_string_value(json_object_get(jk, "log"));
	const char *log_sha = json_string_value(json_object_get(jk, "log_sha256"));
	int kv = verdict ? kernel_verdict_parse(verdict) : -1;
	if (!name || !is_kernel_name(name) || kv < 0) {
		problem(problems, "%s: a kernel without a valid name or verdict", CERT_MANIFEST);
		return NULL;
	}
	struct parser parser;
	parser_init(&parser);
	char *want = cert_log_path(name);
	if (log) {
		const struct pkg_file *f = package_get(p, log);
		if (strcmp(log, want) != 0)
			problem(problems, "%s: kernel %s's log is %s, not %s", CERT_MANIFEST, name, log, want);
		else if (!f)
			problem(problems, "%s: missing, but %s names it as kernel %s's serial log", log, CERT_MANIFEST, name);
		else {
			char hex[65];
			sha256_hex(f->data, f->len, hex);
			if (!log_sha || strcmp(hex, log_sha) != 0)
				problem(problems, "%s: not the log the run stored (its SHA-256 differs from log_sha256 in %s)",
					log, CERT_MANIFEST);
			if (parse_capture(&parser, f->data, f->len, log))
				problem(problems, "%s: holds no serial output", log);
		}
	}
	free(want);
	struct kresult *k = take_section(&parser, name);
	parser_free(&parser);
	check_kernel_verdict(k, name, (enum kernel_verdict)kv, problems);
	/* Cases the run knew from earlier runs but the kernel never reached
	 * (docs/certify.md "not-run"): recorded, so named here too. */
	str_vec known = { 0 };
	for (size_t i = 0; i < rec->n; i++)
		if (strcmp(rec->v[i].kernel, name) == 0 && strcmp(rec->v[i].run, "-") != 0 &&
		    !kresult_case(k, rec->v[i].name)) {
			char *x = xstrdup(rec->v[i].name);
			VEC_PUSH(known, x);
		}
	kresult_finish(k, (enum kernel_verdict)kv, (const char *const *)known.v, known.n);
	str_vec_free(&known);
	free(k->kernel);
	k->kernel = xstrdup(name);
	str_vec passed = { 0 };
	rerun_passes(p, jk, name, &passed, allowed, problems);
	for (size_t i = 0; i < k->cases.n; i++) {
		struct case_result *c = &k->cases.v[i];
		struct recorded *r = recorded_find(rec, name, c->name);
		if (!r || strcmp(r->run, "-") == 0) {
			problem(problems, "%s: case %s/%s has no run verdict recorded but its log says %s", CERT_VERDICTS,
				name, c->name, verdict_name(c->verdict));
			continue;
		}
		r->seen = true;
		if (strcmp(r->run, verdict_name(c->verdict)) != 0)
			problem(problems, "%s: case %s/%s recorded %s but its log says %s", CERT_VERDICTS, name, c->name,
				r->run, verdict_name(c->verdict));
		else if (!str_eq(r->reason, c->reason))
			problem(problems, "%s: case %s/%s recorded reason %s but its log says %s", CERT_VERDICTS, name,
				c->name, str_or(r->reason, "none"), str_or(c->reason, "none"));
		/* Flaky: failed here, passed in a rerun boot of its own. */
		c->flaky = c->verdict == VERDICT_FAIL && str_vec_has(&passed, c->name);
		if (c->flaky != (strcmp(r->flaky, "yes") == 0))
			problem(problems, "%s: case %s/%s recorded %s but %s", CERT_VERDICTS, name, c->name,
				c->flaky ? "not flaky" : "flaky",
				c->flaky ? "a rerun log shows it passing after it failed"
					 : "no rerun log shows it passing after a failure");
	}
	str_vec_free(&passed);
	return k;
}

/* The first line where a and b differ, for messages. */
static void first_difference(const char *a, size_t na, const char *b, size_t nb, int *line, char **la, char **lb)
{
	size_t i = 0, start = 0;
	*line = 1;
	while (i < na && i < nb && a[i] == b[i]) {
		if (a[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
		i++;
	}
	size_t ea = start, eb = start;
	while (ea < na && a[ea] != '\n')
		ea++;
	while (eb < nb && b[eb] != '\n')
		eb++;
	*la = xstrndup(a + start, ea - start);
	*lb = xstrndup(b + start, eb - start);
}

static void compare_text(const struct package *p, const char *path, const char *want, size_t n, const char *from,
			 str_vec *problems)
{
	const struct pkg_file *f = package_get(p, path);
	if (!f) {
		problem(problems, "%s is missing: every certification package has one", path);
		return;
	}
	if (f->len == n && memcmp(f->data, want, n) == 0)
		return;
	int line;
	char *got, *exp;
	first_difference(f->data, f->len, want, n, &line, &got, &exp);
	problem(problems, "%s line %d: says \"%s\" but %s give \"%s\"", path, line, got, from, exp);
	free(got);
	free(exp);
}

static void compare_json(const json_t *got, const json_t *want, const char *what, str_vec *problems)
{
	if (json_equal((json_t *)got, (json_t *)want))
		return;
	size_t n1, n2;
	char *a = cert_json_text(got, &n1), *b = cert_json_text(want, &n2);
	int line;
	char *la, *lb;
	first_difference(a, n1, b, n2, &line, &la, &lb);
	problem(problems, "%s: line %d says \"%s\" but the logs, baseline, must-pass list and waivers give \"%s\"",
		what, line, la, lb);
	free(la);
	free(lb);
	free(a);
	free(b);
}

/* The files a package may hold; anything else was slipped in. */
static void check_file_set(const struct package *p, const struct run *run, const str_vec *reruns,
			   str_vec *problems)
{
	static const char *const fixed[] = { CERT_STATEMENT, CERT_MANIFEST, CERT_VERDICTS, CERT_WAIVERS,
					     CERT_BASELINE, CERT_MUST_PASS, PKG_SUMS, PKG_SIG, CERT_SIGNER };
	for (size_t i = 0; i < p->files.n; i++) {
		const char *path = p->files.v[i].path;
		bool known = str_vec_has(reruns, path);
		for (size_t f = 0; f < sizeof(fixed) / sizeof(fixed[0]) && !known; f++)
			known = strcmp(path, fixed[f]) == 0;
		for (size_t k = 0; k < run->kernels.n && !known; k++) {
			const struct kresult *kr = run->kernels.v[k];
			known = kr->log_path && strcmp(path, kr->log_path) == 0;
		}
		if (!known)
			problem(problems, "%s: not part of a certification package (%s names no such file)", path,
				CERT_MANIFEST);
	}
}

static void describe(struct cert_check *out, const struct cert_eval *e, const char *date)
{
	out->verdict = e->verdict;
	for (size_t i = 0; i < e->rows.n; i++) {
		const struct cert_row *r = &e->rows.v[i];
		char *line = cert_row_line(r);
		if (r->outcome == OUTCOME_DEVIATION)
			VEC_PUSH(out->deviations, line);
		else if (r->outcome == OUTCOME_WAIVED)
			VEC_PUSH(out->waived, line);
		else
			free(line);
	}
	for (size_t i = 0; i < e->waivers.n; i++) {
		const struct waiver *w = e->waivers.v[i].w;
		if (w->expires && strcmp(w->expires, date) < 0)
			str_vec_pushf(&out->expired, "waiver #%ld for %s (%s) expired on %s, before the release date %s",
				      w->id, w->case_glob, w->reason, w->expires, date);
	}
	out->cases = e->rows.n;
}

/* Everything inside an intact package: manifest, baseline, must-pass list,
 * waivers, logs, and the verdicts, statement and conformance they give. */
static void check_content(const struct package *p, struct cert_check *out, str_vec *problems)
{
	size_t before = problems->n;
	json_t *m = load_json(p, CERT_MANIFEST, problems);
	json_t *wj = load_json(p, CERT_WAIVERS, problems);
	const struct pkg_file *bf = package_get(p, CERT_BASELINE);
	const struct pkg_file *mf = package_get(p, CERT_MUST_PASS);
	const struct pkg_file *vf = package_get(p, CERT_VERDICTS);
	struct baseline *b = NULL;
	struct must_pass mp = { 0 };
	bool mp_ok = false;
	waiver_vec ws = { 0 };
	recorded_vec rec = { 0 };
	str_vec rerun_logs = { 0 };
	struct run *run = NULL;
	if (!bf || !mf || !vf) {
		problem(problems, "%s is missing: every certification package has one",
			!bf ? CERT_BASELINE : !mf ? CERT_MUST_PASS : CERT_VERDICTS);
		goto out;
	}
	if (!m || !wj)
		goto out;
	if (!str_eq(json_string_value(json_object_get(m, "format")), CERT_FORMAT)) {
		problem(problems, "%s: format is not \"%s\": made by another certify version? (update certify)",
			CERT_MANIFEST, CERT_FORMAT);
		goto out;
	}
	/* Waivers expire by the date the package was made, not the date it is
	 * checked: a package stays what it was when released, so a waiver
	 * that runs out later cannot turn an old release into a deviation. */
	const char *date = jstring(m, "release", "date", true, problems);
	const char *profile = jstring(m, "run", "profile", true, problems);
	const char *prov = jstring(m, "run", "provenance", true, problems);
	const char *signer = jstring(m, "release", "signer", false, problems);
	if (!date || !profile || !prov)
		goto out;
	if (!str_eq(signer, out->signed_pkg ? out->signer : NULL))
		problem(problems, "%s: release.signer is %s but the package is %s%s", CERT_MANIFEST,
			str_or(signer, "null"), out->signed_pkg ? "signed with key " : "not signed",
			out->signed_pkg ? out->signer : "");

	b = baseline_parse(bf->data, bf->len, CERT_BASELINE);
	if (!b) {
		problem(problems, "%s: not a valid baseline file (see the message above)", CERT_BASELINE);
		goto out;
	}
	if (!str_eq(b->name, jstring(m, "baseline", "name", true, problems)) ||
	    !str_eq(b->uuid, jstring(m, "baseline", "uuid", true, problems)))
		problem(problems, "%s: baseline name or uuid differ from %s", CERT_MANIFEST, CERT_BASELINE);
	if (must_pass_parse(mf->data, mf->len, CERT_MUST_PASS, &mp)) {
		problem(problems, "%s: not a valid must-pass list (see the message above)", CERT_MUST_PASS);
		goto out;
	}
	mp_ok = true;
	if (!str_eq(mp.sha256, jstring(m, "must_pass", "sha256", true, problems)))
		problem(problems, "%s: must_pass.sha256 is not the SHA-256 of %s", CERT_MANIFEST, CERT_MUST_PASS);
	if (parse_waivers(wj, &ws, problems) || parse_verdicts(vf, &rec, problems))
		goto out;

	/* The run again, from the manifest and the logs. */
	run = run_new();
	snprintf(run->uuid, sizeof(run->uuid), "%s", str_or(jstring(m, "run", "id", true, problems), ""));
	run->provenance = provenance_parse(prov) == PROV_BARE_METAL ? PROV_BARE_METAL : PROV_VMM;
	run->profile = xstrdup(profile);
	run->vmm_version = xstrdup_or_null(jstring(m, "run", "vmm_version", false, problems));
	run->suite_version = xstrdup_or_null(jstring(m, "run", "suite_version", false, problems));
	const json_t *ks = json_object_get(m, "kernels");
	if (!json_is_array(ks) || !json_array_size(ks)) {
		problem(problems, "%s: kernels is missing or empty", CERT_MANIFEST);
		goto out;
	}
	size_t i;
	const json_t *jk;
	json_array_foreach(ks, i, jk) {
		struct kresult *k = kernel_from_log(p, jk, &rec, &rerun_logs, problems);
		if (!k)
			goto out;
		if (run_kernel(run, k->kernel)) {
			problem(problems, "%s: kernel %s is listed twice", CERT_MANIFEST, k->kernel);
			kresult_free(k);
			goto out;
		}
		k->log_path = xstrdup_or_null(json_string_value(json_object_get(jk, "log")));
		VEC_PUSH(run->kernels, k);
	}
	for (i = 0; i < rec.n; i++)
		if (!rec.v[i].seen && strcmp(rec.v[i].run, "-") != 0)
			problem(problems, "%s line %d: case %s/%s recorded %s, but %s", CERT_VERDICTS, rec.v[i].line,
				rec.v[i].kernel, rec.v[i].name, rec.v[i].run,
				run_kernel(run, rec.v[i].kernel) ? "its kernel's log has no such case"
								  : "its kernel is not in the run");
	check_file_set(p, run, &rerun_logs, problems);
	out->kernels = run->kernels.n;
	if (problems->n > before)
		goto out;

	/* The verdicts again, and every file that states them. */
	struct cert_eval e;
	cert_evaluate(&e, run, b, &mp, &ws, date);
	size_t n;
	char *tsv = cert_verdicts_tsv(&e, &n);
	compare_text(p, CERT_VERDICTS, tsv, n, "the logs, baseline, must-pass list and waivers", problems);
	free(tsv);
	json_t *conf = cert_conformance_json(&e);
	compare_json(json_object_get(m, "conformance"), conf, CERT_MANIFEST " conformance", problems);
	json_decref(conf);
	json_t *wnew = cert_waivers_json(&e);
	compare_json(wj, wnew, CERT_WAIVERS, problems);
	json_decref(wnew);
	char *st = cert_statement(m, &e, b, &mp, &n);
	compare_text(p, CERT_STATEMENT, st, n, "the package's data", problems);
	free(st);
	describe(out, &e, date);
	out->must_pass_cases = (int)mp.cases.n;
	out->must_pass_baselines = mp.n_baselines;
	out->baseline = xstrdup(b->name);
	out->profile = xstrdup(profile);
	out->vmm = xstrdup_or_null(jstring(m, "release", "vmm_version_certified", false, problems));
	out->date = xstrdup(date);
	out->suite = xstrdup_or_null(run->suite_version);
	cert_eval_free(&e);
out:
	run_free(run);
	str_vec_free(&rerun_logs);
	recorded_free(&rec);
	waivers_free(&ws);
	if (mp_ok)
		must_pass_free(&mp);
	baseline_free(b);
	json_decref(m);
	json_decref(wj);
}

int cert_check_package(const struct package *p, EVP_PKEY *pubkey, struct cert_check *out, str_vec *problems)
{
	memset(out, 0, sizeof(*out));
	size_t before = problems->n;
	out->files = p->files.n;
	check_sums(p, problems);
	check_signature(p, pubkey, out, problems);
	/* What an altered package says is not worth reading: content is
	 * checked only once every byte is the one that was released. */
	if (problems->n == before)
		check_content(p, out, problems);
	return problems->n == before ? 0 : -1;
}

void cert_check_free(struct cert_check *c)
{
	str_vec_free(&c->waived);
	str_vec_free(&c->deviations);
	str_vec_free(&c->expired);
	free(c->baseline);
	free(c->profile);
	free(c->vmm);
	free(c->date);
	free(c->suite);
	memset(c, 0, sizeof(*c));
}

/* mustpass.c: reading, looking up and deriving must-pass lists (the format of docs/certification.md). */
#include "mustpass.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "value.h"

static int parse_line(struct must_pass *mp, const char *line, struct strbuf *a, struct strbuf *b,
		      bool *format_seen, int *declared)
{
	const char *s = line;
	if (str_starts(s, "format ")) {
		s += 7;
		if (!value_next(&s, a) || strcmp(a->buf, "1") != 0)
			return -1;
		*format_seen = true;
	} else if (str_starts(s, "suite ")) {
		s += 6;
		if (!value_next(&s, a) || mp->suite)
			return -1;
		mp->suite = xstrdup(a->buf);
	} else if (str_starts(s, "baselines ")) {
		s += 10;
		if (!value_next(&s, a) || *declared >= 0 || !parse_int(a->buf, 0, 100000, declared))
			return -1;
	} else if (str_starts(s, "baseline ")) {
		s += 9;
		if (!value_next(&s, a))
			return -1;
		/* NAME, then key=value fields kept as text for people. */
		struct strbuf desc = STRBUF_INIT;
		sb_adds(&desc, a->buf);
		while (value_next(&s, b))
			sb_addf(&desc, " %s", b->buf);
		char *d = sb_steal(&desc);
		VEC_PUSH(mp->baselines, d);
	} else if (str_starts(s, "case ")) {
		s += 5;
		if (!value_next(&s, a) || !is_kernel_name(a->buf) || !value_next(&s, b) || !is_case_name(b->buf))
			return -1;
		while (*s == ' ')
			s++;
		if (*s || must_pass_has(mp, a->buf, b->buf))
			return -1;
		struct must_pass_case c = { xstrdup(a->buf), xstrdup(b->buf) };
		VEC_PUSH(mp->cases, c);
	} else {
		return -1;
	}
	return 0;
}

int must_pass_parse(const char *text, size_t n, const char *what, struct must_pass *out)
{
	memset(out, 0, sizeof(*out));
	sha256_hex(text, n, out->sha256);
	if (strnlen(text, n) != n) {
		errorf("%s holds NUL bytes: not a must-pass list", what);
		return -1;
	}
	char *copy = xstrndup(text, n);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	bool format_seen = false;
	int declared = -1, lineno = 0, rc = 0;
	char *cursor = copy;
	for (char *p; rc == 0 && (p = next_line(&cursor));) {
		lineno++;
		if (!*p || *p == '#')
			continue;
		if (parse_line(out, p, &a, &b, &format_seen, &declared)) {
			errorf("%s:%d: not a valid must-pass line (see docs/certification.md, \"Must-pass lists\")", what,
			       lineno);
			rc = -1;
		}
	}
	if (rc == 0 && (!format_seen || !out->suite || declared < 0)) {
		errorf("%s: a must-pass list needs format, suite and baselines lines", what);
		rc = -1;
	}
	if (rc == 0 && (size_t)declared != out->baselines.n) {
		errorf("%s: says it rests on %d baseline(s) but names %zu", what, declared, out->baselines.n);
		rc = -1;
	}
	/* Passing on every one of no baselines would hold for any case: a
	 * list that rests on none must hold none. */
	if (rc == 0 && declared == 0 && out->cases.n) {
		errorf("%s: lists cases but rests on no baseline: a must-pass case must pass on bare metal", what);
		rc = -1;
	}
	out->n_baselines = declared;
	sb_free(&a);
	sb_free(&b);
	free(copy);
	if (rc)
		must_pass_free(out);
	return rc;
}

int must_pass_load(const char *path, struct must_pass *out, char **text, size_t *len)
{
	*text = read_file(path, len);
	if (!*text) {
		errorf("cannot read the must-pass list %s: %s", path, strerror(errno));
		return -1;
	}
	if (must_pass_parse(*text, *len, path, out)) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

bool must_pass_has(const struct must_pass *mp, const char *kernel, const char *name)
{
	for (size_t i = 0; i < mp->cases.n; i++)
		if (strcmp(mp->cases.v[i].name, name) == 0 && strcmp(mp->cases.v[i].kernel, kernel) == 0)
			return true;
	return false;
}

void must_pass_free(struct must_pass *mp)
{
	free(mp->suite);
	str_vec_free(&mp->baselines);
	for (size_t i = 0; i < mp->cases.n; i++) {
		free(mp->cases.v[i].kernel);
		free(mp->cases.v[i].name);
	}
	free(mp->cases.v);
	memset(mp, 0, sizeof(*mp));
}

static int case_cmp(const void *pa, const void *pb)
{
	const struct baseline_case *a = *(const struct baseline_case *const *)pa;
	const struct baseline_case *b = *(const struct baseline_case *const *)pb;
	int c = strcmp(a->kernel, b->kernel);
	return c ? c : strcmp(a->name, b->name);
}

static void field(struct strbuf *out, const char *key, const char *value)
{
	sb_addf(out, " %s=", key);
	value_write(out, value ? value : "");
}

int must_pass_derive(struct baseline *const *bs, size_t n, const char *suite, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct baseline *b = bs[i];
		if (b->provenance != PROV_BARE_METAL) {
			errorf("baseline %s was recorded under a VMM (provenance %s): a must-pass list rests on bare "
			       "metal only", b->name, provenance_name(b->provenance));
			return -1;
		}
		if (!b->suite_version) {
			errorf("baseline %s does not say which suite version it was recorded with (no suite line): "
			       "record it again with a current certify", b->name);
			return -1;
		}
		if (strcmp(b->suite_version, suite) != 0) {
			errorf("baseline %s was recorded with suite %s, not %s: its cases may differ; use baselines "
			       "of suite %s (or --suite %s)", b->name, b->suite_version, suite, suite, b->suite_version);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(bs[j]->uuid, b->uuid) == 0) {
				errorf("baseline %s is given twice: each machine counts once", b->name);
				return -1;
			}
	}
	/* Every case passing on all of them: the first baseline's passes,
	 * kept when each other baseline passes it too. */
	VEC(const struct baseline_case *) keep = { 0 };
	for (size_t j = 0; n && j < bs[0]->cases.n; j++) {
		const struct baseline_case *c = &bs[0]->cases.v[j];
		bool all = c->verdict == VERDICT_PASS;
		for (size_t i = 1; all && i < n; i++) {
			const struct baseline_case *o = baseline_case(bs[i], c->kernel, c->name);
			all = o && o->verdict == VERDICT_PASS;
		}
		if (all)
			VEC_PUSH(keep, c);
	}
	if (keep.n)
		qsort(keep.v, keep.n, sizeof(*keep.v), case_cmp);

	sb_addf(out,
		"# certify must-pass list for suite %s, written by `certify must-pass`.\n"
		"# A VMM release is conformant only if it passes every case below or\n"
		"# holds an unexpired waiver for it: the cases that pass on every\n"
		"# bare-metal baseline named here. Regenerate it, never edit it.\n",
		suite);
	sb_addf(out, "format 1\nsuite ");
	value_write(out, suite);
	sb_addf(out, "\nbaselines %zu\n", n);
	if (!n)
		sb_adds(out, "# No bare-metal baseline of this suite version has been recorded yet,\n"
			     "# so the list rests on none and holds no case: a release is judged\n"
			     "# against its own baseline alone, and its statement says so.\n");
	for (size_t i = 0; i < n; i++) {
		sb_adds(out, "baseline ");
		value_write(out, bs[i]->name);
		field(out, "machine", bs[i]->machine);
		field(out, "identity", bs[i]->identity);
		field(out, "uuid", bs[i]->uuid);
		field(out, "recorded", bs[i]->created);
		sb_addc(out, '\n');
	}
	for (size_t i = 0; i < keep.n; i++)
		sb_addf(out, "case %s %s\n", keep.v[i]->kernel, keep.v[i]->name);
	free(keep.v);
	return 0;
}

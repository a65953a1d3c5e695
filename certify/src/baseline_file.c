/* baseline_file.c: writing and reading the baseline text format (docs/certify.md "Baseline files"). */
#include "baseline_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static int case_cmp(const void *pa, const void *pb)
{
	const struct baseline_case *a = pa, *b = pb;
	int c = strcmp(a->kernel, b->kernel);
	return c ? c : strcmp(a->name, b->name);
}

static void line(FILE *out, const char *key, const char *value)
{
	if (!value)
		return;
	struct strbuf sb = STRBUF_INIT;
	value_write(&sb, value);
	fprintf(out, "%s %s\n", key, sb.buf);
	sb_free(&sb);
}

void baseline_write(const struct baseline *b, FILE *out)
{
	/* Sorted copies so the file diffs well whatever order the DB had. */
	struct baseline_case *cases = xmalloc(b->cases.n * sizeof(*cases) + 1);
	if (b->cases.n)
		memcpy(cases, b->cases.v, b->cases.n * sizeof(*cases));
	qsort(cases, b->cases.n, sizeof(*cases), case_cmp);
	fact_vec facts = { 0 };
	for (size_t i = 0; i < b->facts.n; i++)
		facts_set(&facts, b->facts.v[i].key, b->facts.v[i].value);
	facts_sort(&facts);

	fputs("# certify baseline: per-case verdicts of one machine. Written by\n"
	      "# `certify baseline export`, read by `certify baseline import`.\n",
	      out);
	fputs("format 1\n", out);
	line(out, "name", b->name);
	line(out, "uuid", b->uuid);
	line(out, "provenance", provenance_name(b->provenance));
	line(out, "machine", b->machine);
	line(out, "identity", b->identity);
	line(out, "source-run", b->source_run);
	line(out, "recorded", b->created);
	line(out, "suite", b->suite_version);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < facts.n; i++) {
		sb_reset(&sb);
		value_write(&sb, facts.v[i].value);
		fprintf(out, "fact %s %s\n", facts.v[i].key, sb.buf);
	}
	for (size_t i = 0; i < b->cases.n; i++) {
		const struct baseline_case *c = &cases[i];
		fprintf(out, "case %s %s %s", c->kernel, c->name, verdict_name(c->verdict));
		if (c->ref) {
			sb_reset(&sb);
			value_write(&sb, c->ref);
			fprintf(out, " ref=%s", sb.buf);
		}
		if (c->msg) {
			sb_reset(&sb);
			value_write(&sb, c->msg);
			fprintf(out, " msg=%s", sb.buf);
		}
		fputc('\n', out);
	}
	sb_free(&sb);
	facts_free(&facts);
	free(cases);
}

static int parse_case(struct baseline *b, const char *s, struct strbuf *tmp)
{
	struct baseline_case c = { 0 };
	if (!value_next(&s, tmp) || !is_kernel_name(tmp->buf))
		return -1;
	c.kernel = xstrdup(tmp->buf);
	if (!value_next(&s, tmp) || !is_case_name(tmp->buf))
		goto bad;
	c.name = xstrdup(tmp->buf);
	if (!value_next(&s, tmp) || (c.verdict = verdict_parse(tmp->buf)) == VERDICT_NONE)
		goto bad;
	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		char **slot = str_starts(s, "ref=") ? &c.ref : str_starts(s, "msg=") ? &c.msg : NULL;
		if (!slot)
			goto bad;
		s += 4;
		if (!value_read(&s, tmp))
			goto bad;
		free(*slot);
		*slot = xstrdup(tmp->buf);
	}
	if (baseline_case(b, c.kernel, c.name))
		goto bad;
	VEC_PUSH(b->cases, c);
	return 0;
bad:
	free(c.kernel);
	free(c.name);
	free(c.ref);
	free(c.msg);
	return -1;
}

struct baseline *baseline_read(const char *path)
{
	size_t n;
	char *text = read_file(path, &n);
	if (!text) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct baseline *b = baseline_parse(text, n, path);
	free(text);
	return b;
}

struct baseline *baseline_parse(const char *data, size_t n, const char *path)
{
	char *text = xstrndup(data, n);
	if (strlen(text) != n) {
		errorf("%s holds NUL bytes: not a baseline file", path);
		free(text);
		return NULL;
	}
	struct baseline *b = baseline_new();
	b->created[0] = '\0';
	b->uuid[0] = '\0';
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	bool format_seen = false, ok = true;
	int prov = -1;
	int lineno = 0;
	char *cursor = text;
	for (char *p; ok && (p = next_line(&cursor));) {
		lineno++;
		size_t len = strlen(p);
		if (len && p[len - 1] == '\r')
			p[len - 1] = '\0';
		if (!*p || *p == '#')
			continue;
		const char *s = p;
		const char *sp = strchr(s, ' ');
		if (!sp) {
			ok = false;
			break;
		}
		sb_reset(&key);
		sb_add(&key, s, (size_t)(sp - s));
		s = sp + 1;
		const char *k = key.buf;
		if (strcmp(k, "case") == 0) {
			ok = parse_case(b, s, &val) == 0;
			continue;
		}
		if (strcmp(k, "fact") == 0) {
			struct strbuf fk = STRBUF_INIT;
			ok = value_next(&s, &fk) && is_fact_key(fk.buf) && value_next(&s, &val);
			if (ok)
				facts_set(&b->facts, fk.buf, val.buf);
			sb_free(&fk);
			continue;
		}
		ok = value_next(&s, &val);
		if (!ok)
			break;
		const char *v = val.buf;
		if (strcmp(k, "format") == 0) {
			if (strcmp(v, "1") != 0) {
				errorf("%s:%d: baseline format %s is newer than this certify understands (1)", path, lineno, v);
				goto fail;
			}
			format_seen = true;
		} else if (strcmp(k, "name") == 0) {
			free(b->name);
			b->name = xstrdup(v);
		} else if (strcmp(k, "uuid") == 0) {
			snprintf(b->uuid, sizeof(b->uuid), "%s", v);
		} else if (strcmp(k, "provenance") == 0) {
			ok = (prov = provenance_parse(v)) >= 0;
		} else if (strcmp(k, "machine") == 0) {
			free(b->machine);
			b->machine = xstrdup(v);
		} else if (strcmp(k, "identity") == 0) {
			free(b->identity);
			b->identity = xstrdup(v);
		} else if (strcmp(k, "source-run") == 0) {
			free(b->source_run);
			b->source_run = xstrdup(v);
		} else if (strcmp(k, "recorded") == 0) {
			snprintf(b->created, sizeof(b->created), "%s", v);
		} else if (strcmp(k, "suite") == 0) {
			free(b->suite_version);
			b->suite_version = xstrdup(v);
		} else {
			ok = false;
		}
	}
	if (!ok) {
		errorf("%s:%d: not a valid baseline line (see docs/certify.md, \"Baseline files\")", path, lineno);
		goto fail;
	}
	if (!format_seen || !b->name || prov < 0 || !b->machine) {
		errorf("%s: a baseline file needs format, name, provenance and machine lines", path);
		goto fail;
	}
	b->provenance = (enum provenance)prov;
	if (!b->uuid[0])
		run_make_uuid(b->uuid);
	if (!b->created[0])
		iso_time_now(b->created);
	if (!b->identity)
		b->identity = machine_identity(&b->facts);
	sb_free(&key);
	sb_free(&val);
	free(text);
	return b;
fail:
	sb_free(&key);
	sb_free(&val);
	free(text);
	baseline_free(b);
	return NULL;
}

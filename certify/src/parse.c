/* parse.c: turns raw console bytes (noise, CR/LF, escapes, bad UTF-8) into kernel sections of case results. */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

void parser_init(struct parser *p)
{
	memset(p, 0, sizeof(*p));
}

void parser_free(struct parser *p)
{
	for (size_t i = 0; i < p->logs.n; i++)
		kresult_free(p->logs.v[i]);
	free(p->logs.v);
	sb_free(&p->line);
	sb_free(&p->scratch);
	sb_free(&p->token);
	sb_free(&p->name);
	for (size_t i = 0; i < sizeof(p->fields) / sizeof(p->fields[0]); i++)
		sb_free(&p->fields[i]);
	memset(p, 0, sizeof(*p));
}

struct kresult *parser_current(const struct parser *p)
{
	return p->logs.n ? p->logs.v[p->logs.n - 1] : NULL;
}

static struct kresult *new_section(struct parser *p)
{
	struct kresult *k = kresult_new();
	VEC_PUSH(p->logs, k);
	return k;
}

/* Drop ANSI escape sequences (CSI, OSC and two-byte ones) and control bytes
 * in place; terminals and firmware consoles emit them around real lines. */
static size_t strip_escapes(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x1b) {
			if (i + 1 < n && s[i + 1] == '[') {
				i += 2;
				while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e))
					i++;
			} else if (i + 1 < n && s[i + 1] == ']') {
				i += 2;
				while (i < n && s[i] != 0x07 && !(s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\'))
					i++;
				if (i < n && s[i] == 0x1b)
					i++;
			} else {
				i++;
			}
			continue;
		}
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c == 0x7f)
			continue;
		s[o++] = (char)c;
	}
	return o;
}

static void append_detail(struct case_result *c, const char *line)
{
	size_t have = c->detail ? strlen(c->detail) : 0;
	size_t add = strlen(line);
	if (have + add + 1 > PARSE_MAX_DETAIL)
		return;
	c->detail = xrealloc(c->detail, have + add + 2);
	if (have)
		c->detail[have++] = '\n';
	memcpy(c->detail + have, line, add + 1);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

/* Record a verdict; a second, different verdict for the same case is a
 * contradiction in the log, which must not read as a pass. */
static void set_verdict(struct kresult *k, struct case_result *c, enum verdict v, const char *source)
{
	if (c->verdict == VERDICT_NONE || c->verdict == v) {
		c->verdict = v;
		return;
	}
	kresult_note(k, "case %s: %s says %s after %s; counted as fail", c->name, source,
		     verdict_name(v), verdict_name(c->verdict));
	c->verdict = VERDICT_FAIL;
	if (!c->reason)
		c->reason = xstrdup("conflict");
}

/* "test case: <name>" */
static void on_test_case(struct kresult *k, const char *name)
{
	/* Cyberus kernels prefix their names; ours print CERTIFY PROTOCOL first. */
	if (!k->protocol && str_starts(name, "test_") && name[5])
		name += 5;
	/* Names already known were checked when they were added. */
	struct case_result *c = kresult_case(k, name);
	if (c) {
		/* The same case again: a debugcon copy of the serial line. */
		k->current = (int)(c - k->cases.v);
		return;
	}
	if (!is_case_name(name)) {
		kresult_note(k, "ignored a case line with an invalid name");
		return;
	}
	if (k->current >= 0 && k->cases.v[k->current].verdict == VERDICT_NONE) {
		struct case_result *open = &k->cases.v[k->current];
		open->verdict = VERDICT_NOT_RUN;
		set_str(&open->msg, "the next case started before this one printed a verdict");
	}
	c = kresult_add_case(k, name);
	k->current = (int)(c - k->cases.v);
}

static struct case_result *open_case(struct kresult *k)
{
	return k->current >= 0 ? &k->cases.v[k->current] : NULL;
}

/* The case a `SOTEST SUCCESS/FAIL "<name>"` line is about. */
static struct case_result *sotest_case(struct kresult *k, const char *rest, struct strbuf *tmp)
{
	while (*rest == ' ')
		rest++;
	value_read(&rest, tmp);
	const char *name = sb_str(tmp);
	struct case_result *open = open_case(k);
	if (!k->protocol) {
		/* Cyberus logs: the verdict belongs to the case just announced. */
		if (open && open->verdict == VERDICT_NONE)
			return open;
		if (str_starts(name, "test_") && name[5])
			name += 5;
	}
	if (!*name)
		return open;
	struct case_result *c = kresult_case(k, name);
	if (!c) {
		if (!is_case_name(name)) {
			kresult_note(k, "ignored a verdict line with an invalid case name");
			return NULL;
		}
		c = kresult_add_case(k, name);
	}
	k->current = (int)(c - k->cases.v);
	return c;
}

static void on_sotest(struct parser *p, struct kresult *k, const char *rest)
{
	struct strbuf *tmp = &p->scratch;
	if (str_starts(rest, "SUCCESS")) {
		struct case_result *c = sotest_case(k, rest + 7, tmp);
		if (c)
			set_verdict(k, c, VERDICT_PASS, "SOTEST SUCCESS");
	} else if (str_starts(rest, "FAIL")) {
		struct case_result *c = sotest_case(k, rest + 4, tmp);
		if (c)
			set_verdict(k, c, VERDICT_FAIL, "SOTEST FAIL");
	} else if (str_starts(rest, "SKIP")) {
		struct case_result *c = rest[4] ? sotest_case(k, rest + 4, tmp) : open_case(k);
		if (!c) {
			kresult_note(k, "SOTEST SKIP outside any case ignored");
			return;
		}
		set_verdict(k, c, VERDICT_SKIP, "SOTEST SKIP");
	} else if (str_starts(rest, "BENCHMARK:")) {
		/* name:unit:value; the name may itself hold no colon, the unit neither. */
		const char *f = rest + 10;
		const char *c1 = strchr(f, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *end = NULL;
		long long v = c2 ? strtoll(c2 + 1, &end, 10) : 0;
		if (!c2 || end == c2 + 1 || c1 == f) {
			kresult_note(k, "ignored a malformed SOTEST BENCHMARK line");
			return;
		}
		struct benchmark b = { xstrndup(f, (size_t)(c1 - f)), xstrndup(c1 + 1, (size_t)(c2 - c1 - 1)), v };
		/* An identical figure again is the debugcon copy of the line. */
		for (size_t i = 0; i < k->benchmarks.n; i++) {
			struct benchmark *o = &k->benchmarks.v[i];
			if (o->value == v && strcmp(o->name, b.name) == 0 && strcmp(o->unit, b.unit) == 0) {
				free(b.name);
				free(b.unit);
				return;
			}
		}
		VEC_PUSH(k->benchmarks, b);
	} else if (str_starts(rest, "END")) {
		k->end_seen = true;
		struct case_result *c = open_case(k);
		if (c && c->verdict == VERDICT_NONE) {
			c->verdict = VERDICT_NOT_RUN;
			set_str(&c->msg, "SOTEST END came before this case printed a verdict");
		}
		k->current = -1;
	}
}

/* key=value fields after the positional ones of a CERTIFY line; the
 * values live in the parser's buffers until the next line. */
struct fields {
	const char *ms, *ref, *reason, *msg, *conditional;
};

static void read_fields(struct parser *p, const char *s, struct fields *f)
{
	static const char *const names[] = { "ms", "ref", "reason", "msg", "conditional" };
	const char **slots[] = { &f->ms, &f->ref, &f->reason, &f->msg, &f->conditional };
	_Static_assert(sizeof(names) / sizeof(names[0]) == sizeof(p->fields) / sizeof(p->fields[0]),
		       "one buffer per known field");
	f->ms = f->ref = f->reason = f->msg = f->conditional = NULL;
	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		const char *eq = s;
		while (*eq && *eq != '=' && *eq != ' ')
			eq++;
		if (*eq != '=') {
			s = eq;
			continue;
		}
		size_t klen = (size_t)(eq - s);
		struct strbuf *into = &p->scratch; /* a key of a later version: read past it */
		const char **slot = NULL;
		for (int i = 0; i < 5; i++) {
			if (strlen(names[i]) == klen && memcmp(s, names[i], klen) == 0) {
				into = &p->fields[i];
				slot = slots[i];
			}
		}
		s = eq + 1;
		value_read(&s, into);
		if (slot)
			*slot = sb_str(into);
	}
}

/* Split off the next space-separated token of s into tok. */
static const char *next_token(const char *s, struct strbuf *tok)
{
	while (*s == ' ')
		s++;
	const char *e = s;
	while (*e && *e != ' ')
		e++;
	sb_reset(tok);
	sb_add(tok, s, (size_t)(e - s));
	return e;
}

/* Cleaned text of a decoded value (which may hold any byte). */
static char *clean(const char *v)
{
	return v ? text_clean(v, strlen(v)) : NULL;
}

static void on_result(struct parser *p, struct kresult *k, const char *s)
{
	struct fields f;
	s = next_token(s, &p->name);
	s = next_token(s, &p->token);
	enum verdict v = verdict_parse(sb_str(&p->token));
	bool valid = v != VERDICT_NONE && v != VERDICT_NOT_RUN;
	struct case_result *c = valid ? kresult_case(k, sb_str(&p->name)) : NULL;
	if (!c && (!valid || !is_case_name(sb_str(&p->name)))) {
		kresult_note(k, "ignored a malformed CERTIFY RESULT line");
		return;
	}
	read_fields(p, s, &f);
	if (!c)
		c = kresult_add_case(k, sb_str(&p->name));
	k->current = (int)(c - k->cases.v);
	set_verdict(k, c, v, "CERTIFY RESULT");
	if (f.ms) {
		char *end;
		errno = 0;
		long ms = strtol(f.ms, &end, 10);
		if (*end == '\0' && ms >= 0 && errno != ERANGE)
			c->ms = ms;
		else
			kresult_note(k, "case %s: its ms= is not a duration in range; none stored", c->name);
	}
	if (f.ref && *f.ref) {
		free(c->ref);
		c->ref = clean(f.ref);
	}
	if (f.reason && *f.reason && !str_eq(c->reason, "conflict")) {
		free(c->reason);
		c->reason = clean(f.reason);
	}
	if (f.msg && *f.msg) {
		free(c->msg);
		c->msg = clean(f.msg);
	}
}

static bool keyword_is(const char *kw, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(kw, want, n) == 0;
}

static void on_certify(struct parser *p, struct kresult *k, const char *rest)
{
	struct strbuf *tok = &p->token;
	while (*rest == ' ')
		rest++;
	const char *kw = rest, *s = rest;
	while (*s && *s != ' ')
		s++;
	size_t kwlen = (size_t)(s - kw);
	while (*s == ' ')
		s++;
	if (keyword_is(kw, kwlen, "RESULT")) {
		on_result(p, k, s);
	} else if (keyword_is(kw, kwlen, "PROTOCOL")) {
		k->protocol = atoi(s);
		if (k->protocol < 1)
			k->protocol = 1;
		if (k->protocol > 1)
			kresult_note(k, "protocol version %d is newer than this certify (1); reading what it knows",
				     k->protocol);
	} else if (keyword_is(kw, kwlen, "KERNEL")) {
		s = next_token(s, tok);
		if (!is_kernel_name(sb_str(tok))) {
			kresult_note(k, "ignored a CERTIFY KERNEL line with an invalid kernel name");
			return;
		}
		set_str(&k->kernel, sb_str(tok));
		next_token(s, tok);
		char *v = clean(sb_str(tok));
		set_str(&k->suite_version, v);
		free(v);
	} else if (keyword_is(kw, kwlen, "FACT")) {
		const char *eq = strchr(s, '=');
		if (!eq) {
			kresult_note(k, "ignored a CERTIFY FACT line without '='");
			return;
		}
		sb_reset(tok);
		sb_add(tok, s, (size_t)(eq - s));
		if (!is_fact_key(sb_str(tok))) {
			kresult_note(k, "ignored a CERTIFY FACT line with an invalid key");
			return;
		}
		const char *v = eq + 1;
		value_read(&v, &p->scratch);
		char *val = text_clean(p->scratch.buf, p->scratch.len);
		facts_set(&k->facts, sb_str(tok), val);
		free(val);
	} else if (keyword_is(kw, kwlen, "LIST")) {
		s = next_token(s, tok);
		if (strcmp(sb_str(tok), "BEGIN") == 0) {
			char *end;
			long n = strtol(s, &end, 10);
			k->list_count = end != s && n >= 0 ? n : -1;
		} else if (strcmp(sb_str(tok), "END") == 0) {
			k->list_end_seen = true;
			if (k->list_count >= 0 && (size_t)k->list_count != k->listed.n)
				kresult_note(k, "CERTIFY LIST announced %ld cases but named %zu", k->list_count,
					     k->listed.n);
		}
	} else if (keyword_is(kw, kwlen, "CASE")) {
		s = next_token(s, tok);
		if (!is_case_name(sb_str(tok))) {
			kresult_note(k, "ignored a CERTIFY CASE line with an invalid name");
			return;
		}
		/* The same name again is the debugcon copy of the line. */
		for (size_t i = 0; i < k->listed.n; i++)
			if (strcmp(k->listed.v[i].name, sb_str(tok)) == 0)
				return;
		struct fields f;
		read_fields(p, s, &f);
		struct listed_case lc = { xstrdup(sb_str(tok)), f.ref && *f.ref ? clean(f.ref) : NULL,
					  str_eq(f.conditional, "yes") };
		VEC_PUSH(k->listed, lc);
	} else if (keyword_is(kw, kwlen, "CMDLINE-ERROR") || keyword_is(kw, kwlen, "PANIC")) {
		struct fields f;
		read_fields(p, s, &f);
		char *msg = clean(str_or(f.msg, "(no message)"));
		bool panic = kw[0] == 'P';
		kresult_note(k, "%s: %s", panic ? "kernel panic" : "command line error", msg);
		if (panic)
			k->panic = true;
		free(msg);
	}
	/* Unknown keywords belong to later protocol versions: ignored. */
}

static void on_detail(struct kresult *k, const char *line)
{
	struct case_result *c = open_case(k);
	if (!c || c->verdict != VERDICT_NONE)
		return;
	static const char cond[] = "- skipping as condition is NOT met:";
	if (str_starts(line, cond)) {
		const char *t = line + sizeof(cond) - 1;
		while (*t == ' ')
			t++;
		size_t n = strlen(t);
		if (n >= 2 && t[0] == '`' && t[n - 1] == '`')
			t++, n -= 2;
		set_str(&c->reason, "cond");
		free(c->msg);
		c->msg = xstrndup(t, n);
	} else if (str_starts(line, "- skipping as test case is disabled via cmdline")) {
		set_str(&c->reason, "cmdline");
	}
	append_detail(c, line);
}

/* Where a protocol record starts in a line, or NULL. A record may follow
 * chatter on the same line (firmware that prints no newline), but a detail
 * line ("- ...") is never a record even if it quotes one. */
static const char *find_record(const char *s)
{
	if (str_starts(s, "SOTEST ") || str_starts(s, "CERTIFY ") || str_starts(s, "test case: "))
		return s;
	if (str_starts(s, "- "))
		return NULL;
	const char *best = NULL;
	static const char *const marks[] = { "SOTEST ", "CERTIFY ", "test case: " };
	for (int i = 0; i < 3; i++) {
		const char *m = strstr(s, marks[i]);
		if (m && (!best || m < best))
			best = m;
	}
	return best;
}

static void on_version(struct parser *p, const char *rest)
{
	/* rest: "1 BEGIN <n>" */
	long n = -1;
	const char *b = strstr(rest, "BEGIN");
	if (b)
		n = strtol(b + 5, NULL, 10);
	struct kresult *k = parser_current(p);
	if (k && !k->end_seen && k->cases.n == 0 && !k->listed.n) {
		/* A second copy (debugcon) or the first VERSION after stray
		 * CERTIFY lines: the same section. */
		if (!k->version_seen || k->begin_count == n) {
			k->version_seen = true;
			k->begin_count = n;
			return;
		}
	}
	k = new_section(p);
	k->version_seen = true;
	k->begin_count = n;
}

static void parse_line(struct parser *p, char *line, size_t n)
{
	/* Nearly every line is printable ASCII already: then there is nothing
	 * to strip or clean. */
	size_t plain = 0;
	while (plain < n && (unsigned char)line[plain] >= 0x20 && (unsigned char)line[plain] < 0x7f)
		plain++;
	bool ascii = plain == n;
	if (!ascii) {
		n = strip_escapes(line, n);
		/* Escapes and control bytes are gone; only non-ASCII needs cleaning. */
		ascii = true;
		for (size_t i = 0; i < n && ascii; i++)
			ascii = (unsigned char)line[i] < 0x80;
	}
	line[n] = '\0';
	/* Trim trailing blanks that some consoles pad with. */
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	if (!n)
		return;
	char *text = ascii ? line : text_clean(line, n);
	const char *rec = find_record(text);
	struct kresult *k = parser_current(p);
	if (!rec) {
		if (k && !k->end_seen)
			on_detail(k, text);
		goto out;
	}
	if (str_starts(rec, "SOTEST VERSION ")) {
		on_version(p, rec + 15);
		goto out;
	}
	if (!k) {
		k = new_section(p);
	} else if (k->end_seen) {
		/* After SOTEST END only a new VERSION starts anything; the rest is
		 * a lagging second console repeating what was already read. */
		goto out;
	}
	if (str_starts(rec, "SOTEST "))
		on_sotest(p, k, rec + 7);
	else if (str_starts(rec, "CERTIFY "))
		on_certify(p, k, rec + 8);
	else {
		const char *name = rec + 11;
		while (*name == ' ')
			name++;
		on_test_case(k, name);
	}
out:
	if (text != line)
		free(text);
}

static void end_line(struct parser *p)
{
	p->lines++;
	if (p->dropped) {
		struct kresult *k = parser_current(p);
		if (k)
			kresult_note(k, "a line of %zu bytes was cut to %d", p->line.len + p->dropped,
				     PARSE_MAX_LINE);
		p->dropped = 0;
	}
	if (p->line.len)
		parse_line(p, p->line.buf, p->line.len);
	sb_reset(&p->line);
}

void parser_feed(struct parser *p, const char *buf, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Copy up to the next line end in one go. */
		const char *start = buf + i;
		size_t run = 0;
		while (i + run < n && start[run] != '\n' && start[run] != '\r')
			run++;
		size_t room = PARSE_MAX_LINE - p->line.len;
		size_t take = run < room ? run : room;
		/* NUL bytes would cut the C string short; drop them here. */
		for (size_t j = 0; j < take;) {
			const char *nul = memchr(start + j, '\0', take - j);
			size_t part = nul ? (size_t)(nul - (start + j)) : take - j;
			sb_add(&p->line, start + j, part);
			j += part + (nul ? 1 : 0);
		}
		p->dropped += run - take;
		i += run;
		if (i < n) {
			/* \r, \n and \r\n all end a line; empty lines are ignored. */
			end_line(p);
			i++;
		}
	}
}

void parser_finish(struct parser *p)
{
	if (p->line.len || p->dropped)
		end_line(p);
}

void parse_buffer(struct parser *p, const char *buf, size_t n)
{
	parser_feed(p, buf, n);
	parser_finish(p);
}

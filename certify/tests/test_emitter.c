/* test_emitter.c: the kernels' protocol emitter (platform/test/protocol.c) against certify's parser and store, field for field. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "store.h"
#include "test/protocol.h"

/*
 * Each scenario emits a log with the kernels' own emitter while it builds the
 * kresult certify must read back from it (the "want" model). The log is then
 * parsed as a serial capture delivers it (LF and CR LF, whole and in chunks
 * of every size), stored and loaded again, and every field of every result
 * must equal the model. Values are exact except where the documented text
 * hygiene applies (docs/certify.md "import"): control bytes other than tab
 * and newline are dropped, invalid UTF-8 becomes U+FFFD. Those corners state
 * their expected text explicitly.
 */

/* The emitter writes to a process-wide sink; the test points it at a buffer. */
static void to_strbuf(void *ctx, const char *s, size_t n)
{
	sb_add(ctx, s, n);
}

static void emit_to(struct strbuf *sb)
{
	protocol_set_sink(to_strbuf, sb);
}

struct corner {
	const char *what;
	const char *in;		/* what the kernel prints */
	const char *want;	/* what certify stores, NULL: the same */
};

#define U_FFFD "\xef\xbf\xbd"

static const struct corner corners[] = {
	{ "bare", "GenuineIntel", NULL },
	{ "every bare byte", "AZaz09_.:/+@%,-", NULL },
	{ "space", "two words", NULL },
	{ "only a space", " ", NULL },
	{ "padded", "  padded  ", NULL },
	{ "quotes", "say \"hi\"", NULL },
	{ "lone quote", "\"", NULL },
	{ "backslash", "back\\slash", NULL },
	{ "trailing backslash", "ends\\", NULL },
	{ "backslash quote", "\\\"", NULL },
	{ "escape-like text", "\\x41\\x4", NULL },
	{ "equals", "a=b", NULL },
	{ "field injection", "1 ref=evil reason=exception msg=x", NULL },
	{ "record injection", "SOTEST END", NULL },
	{ "line injection", "\nSOTEST FAIL \"x\"\nCERTIFY RESULT x pass", NULL },
	{ "tab", "a\tb", NULL },
	{ "newline", "line1\nline2", NULL },
	{ "percent", "100% %s %n", NULL },
	{ "backticks", "`a`", NULL },
	{ "carriage return", "a\rb", "ab" },
	{ "control bytes", "\x01\x02\x1b[31mred\x1b[0m\x7f", "[31mred[0m" },
	{ "latin", "caf\xc3\xa9", NULL },
	{ "cjk and emoji", "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82", NULL },
	{ "invalid utf-8", "a\xff" "b", "a" U_FFFD "b" },
	{ "overlong", "\xc0\xaf", U_FFFD U_FFFD },
	{ "surrogate", "\xed\xa0\x80", U_FFFD U_FFFD U_FFFD },
	{ "cut sequence", "\xe6\x97", U_FFFD U_FFFD },
	{ "empty", "", NULL },
};
#define N_CORNERS (sizeof(corners) / sizeof(corners[0]))

static const char *want_of(const struct corner *c)
{
	return c->want ? c->want : c->in;
}

/* ref= and msg= store nothing for an empty value. */
static char *dup_nonempty(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* ---- building the log and its model together ---- */

struct emitted {
	struct strbuf body;	/* cases and what follows them */
	struct kresult *want;
};

static struct case_result *want_case(struct kresult *w, const char *name, enum verdict v)
{
	struct case_result *c = kresult_add_case(w, name);
	c->verdict = v;
	return c;
}

static void detail(struct case_result *c, const char *line)
{
	protocol_printf("%s\n", line);
	struct strbuf sb = STRBUF_INIT;
	if (c->detail)
		sb_addf(&sb, "%s\n", c->detail);
	sb_adds(&sb, line);
	free(c->detail);
	c->detail = sb_steal(&sb);
}

static void pass(struct kresult *w, const char *name, uint64_t ms, long want_ms,
		 const char *ref, const char *want_ref)
{
	protocol_case_start(name);
	struct case_result *c = want_case(w, name, VERDICT_PASS);
	protocol_pass(name, ms, ref);
	c->ms = want_ms;
	c->ref = dup_nonempty(want_ref);
}

static void fail(struct kresult *w, const char *name, uint64_t ms, const char *ref, const char *want_ref,
		 const char *reason, const char *msg, const char *want_msg, const char *const *details)
{
	protocol_case_start(name);
	struct case_result *c = want_case(w, name, VERDICT_FAIL);
	for (; details && *details; details++)
		detail(c, *details);
	protocol_fail(name, ms, ref, reason, msg);
	c->ms = (long)ms;
	c->ref = dup_nonempty(want_ref);
	c->reason = xstrdup(reason);
	c->msg = dup_nonempty(want_msg);
}

static void skip_condition(struct kresult *w, const char *name, const char *condition)
{
	protocol_case_start(name);
	struct case_result *c = want_case(w, name, VERDICT_SKIP);
	protocol_skip_condition(name, condition);
	struct strbuf line = STRBUF_INIT;
	sb_addf(&line, "- skipping as condition is NOT met: `%s`", condition);
	c->detail = sb_steal(&line);
	c->reason = xstrdup("cond");
	c->msg = xstrdup(condition);
}

static void skip_cmdline(struct kresult *w, const char *name)
{
	protocol_case_start(name);
	struct case_result *c = want_case(w, name, VERDICT_SKIP);
	protocol_skip_cmdline(name);
	c->detail = xstrdup("- skipping as test case is disabled via cmdline");
	c->reason = xstrdup("cmdline");
}

static void benchmark(struct kresult *w, const char *name, const char *unit, int64_t value)
{
	protocol_benchmark(name, unit, value);
	struct benchmark b = { xstrdup(name), xstrdup(unit), value };
	VEC_PUSH(w->benchmarks, b);
}

static void fact(struct kresult *w, const char *key, const char *value, const char *want)
{
	protocol_fact(key, "%s", value);
	facts_set(&w->facts, key, want);
}

/* The header goes before the cases but carries how many are registered:
 * the cases are emitted into a body first, the header into the log after. */
static void header(struct strbuf *log, struct kresult *w, const char *kernel, const char *version, unsigned cases)
{
	emit_to(log);
	protocol_begin(cases);
	protocol_kernel(kernel, version);
	w->kernel = xstrdup(kernel);
	w->suite_version = xstrdup(version);
	w->protocol = PROTOCOL_VERSION;
	w->version_seen = true;
	w->begin_count = cases;
}

/* Every line kind and every escaping corner, as one complete kernel. */
static struct kresult *emit_corners(struct strbuf *log, const char *kernel)
{
	struct kresult *w = kresult_new();
	struct strbuf body = STRBUF_INIT, facts = STRBUF_INIT;

	emit_to(&facts);
	protocol_cmdline_error("unknown option --frobnicate");
	sb_adds(&w->notes, "command line error: unknown option --frobnicate\n");
	protocol_cmdline_error("--enable-testcases: no test case named 'a b\"c\\'");
	sb_adds(&w->notes, "command line error: --enable-testcases: no test case named 'a b\"c\\'\n");
	for (size_t i = 0; i < N_CORNERS; i++) {
		char key[32];
		snprintf(key, sizeof(key), "corner.v%02zu", i);
		fact(w, key, corners[i].in, want_of(&corners[i]));
	}
	fact(w, "cpu.vendor", "AuthenticAMD", "AuthenticAMD");
	fact(w, "cpu.vendor", "GenuineIntel", "GenuineIntel"); /* the last one wins */
	protocol_fact("cpu.signature", "0x%08x", 0x406f1u);
	facts_set(&w->facts, "cpu.signature", "0x000406f1");
	protocol_fact("timebase.tsc-khz", "%u", 2400000u);
	facts_set(&w->facts, "timebase.tsc-khz", "2400000");
	fact(w, "acpi.madt.ioapics", "1", "1");
	fact(w, "fallback.rsdp-scan", "no RSDP from the loader: found by BIOS scan",
	     "no RSDP from the loader: found by BIOS scan");
	char full[256];
	memset(full, 'f', sizeof(full) - 1);
	full[sizeof(full) - 1] = '\0';
	fact(w, "emitter.longest-fact", full, full); /* the emitter's fact buffer holds 255 bytes */

	emit_to(&body);
	static const char *const reasons[] = { "assert", "timeout", "exception", "watchdog" };
	for (size_t i = 0; i < N_CORNERS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "ref_corner_%02zu", i);
		pass(w, name, i, (long)i, corners[i].in, want_of(&corners[i]));
		snprintf(name, sizeof(name), "msg_corner_%02zu", i);
		char line[64];
		snprintf(line, sizeof(line), "- ASSERT failed at kernels/x/main.c:%zu", i);
		const char *const details[] = { line, "-   expected: 1", "-   got: 0", NULL };
		fail(w, name, 1000 + i, "SDM Vol. 3A 11.5.4", "SDM Vol. 3A 11.5.4", reasons[i % 4],
		     corners[i].in, want_of(&corners[i]), details);
	}
	/* Detail lines are free text: a record quoted in one stays a detail. */
	const char *const quoting[] = { "- got: \"SOTEST END\" and CERTIFY RESULT x pass",
					"-   test case: not_a_case", "- \"quoted\" \\ back`tick`", NULL };
	fail(w, "detail_quotes_records", 5, NULL, NULL, "assert", "see detail", "see detail", quoting);
	static const char *const conditions[] = {
		"x2apic_supported()", "cpuid(1).ecx & (1u << 21)", "has(\"hpet\") && !quirk('\\\\')",
		"`backticked`", " leading space", "trailing space ", "caf\xc3\xa9()",
	};
	for (size_t i = 0; i < sizeof(conditions) / sizeof(conditions[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "skipped_on_condition_%zu", i);
		skip_condition(w, name, conditions[i]);
	}
	skip_cmdline(w, "disabled_via_cmdline");
	/* Our kernels print the bare name; only Cyberus logs lose a test_ prefix. */
	pass(w, "test_prefixed_name", 0, 0, NULL, NULL);
	pass(w, "_", 1, 1, "", "");
	pass(w, "X2APIC_Mixed_Case_9", 2, 2, "AMD APM Vol. 2 16.3", "AMD APM Vol. 2 16.3");
	char longname[301];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	pass(w, longname, 3, 3, "r", "r");
	pass(w, "ms_2_pow_31", 1ull << 31, 1l << 31, NULL, NULL);
	pass(w, "ms_2_pow_53", 1ull << 53, 1l << 53, NULL, NULL);
	pass(w, "ms_long_max", (uint64_t)LONG_MAX, LONG_MAX, NULL, NULL);
	/* A duration past what certify stores is dropped, not wrapped. */
	pass(w, "ms_out_of_range", UINT64_MAX, -1, NULL, NULL);
	sb_adds(&w->notes, "case ms_out_of_range: its ms= is not a duration in range; none stored\n");
	/* No message: msg= is left out and nothing is stored. */
	fail(w, "fails_without_message", 7, "", "", "exception", "", "", NULL);
	fail(w, "fails_with_null_ref", 8, NULL, NULL, "watchdog", "stuck", "stuck", NULL);

	benchmark(w, "platform_discovery", "us", 1234);
	benchmark(w, "irq latency", "ns", -5);
	benchmark(w, "max", "count", INT64_MAX);
	benchmark(w, "min", "count", INT64_MIN);
	benchmark(w, "zero", "x", 0);
	protocol_end();
	w->end_seen = true;

	header(log, w, kernel, "0.1.0-12-gdeadbeef+dirty", (unsigned)w->cases.n);
	sb_add(log, sb_str(&facts), facts.len);
	sb_add(log, sb_str(&body), body.len);
	sb_free(&facts);
	sb_free(&body);
	return w;
}

/* A kernel that panics inside its second case: no SOTEST END follows. */
static struct kresult *emit_panic(struct strbuf *log, const char *kernel, const char *msg, const char *want_msg)
{
	struct kresult *w = kresult_new();
	struct strbuf body = STRBUF_INIT;
	emit_to(&body);
	pass(w, "before_the_panic", 1, 1, "SDM", "SDM");
	protocol_case_start("panics_here");
	want_case(w, "panics_here", VERDICT_NONE);
	protocol_panic(msg);
	w->panic = true;
	sb_addf(&w->notes, "kernel panic: %s\n", want_msg);
	w->current = 1;
	header(log, w, kernel, "0.1.0", 3); /* one registered case never started */
	sb_add(log, sb_str(&body), body.len);
	sb_free(&body);
	return w;
}

/* --list output: no SOTEST lines at all. */
static struct kresult *emit_list(struct strbuf *log)
{
	struct kresult *w = kresult_new();
	emit_to(log);
	protocol_kernel("lapic-timer", "0.1.0");
	w->kernel = xstrdup("lapic-timer");
	w->suite_version = xstrdup("0.1.0");
	static const struct { const char *name, *ref, *want_ref; bool cond; } listed[] = {
		{ "lapic_timer_oneshot_fires_once", "SDM Vol. 3A 11.5.4", "SDM Vol. 3A 11.5.4", false },
		{ "x2apic_msr_access_out_of_x2mode_raises_gp", "SDM \"Vol. 3A\" \\ 11.12", "SDM \"Vol. 3A\" \\ 11.12", true },
		{ "no_reference", NULL, NULL, false },
		{ "odd_reference", "\x01\xff", U_FFFD, true },
	};
	size_t n = sizeof(listed) / sizeof(listed[0]);
	protocol_list_begin((unsigned)n);
	w->list_count = (long)n;
	for (size_t i = 0; i < n; i++) {
		protocol_list_case(listed[i].name, listed[i].ref, listed[i].cond);
		struct listed_case lc = { xstrdup(listed[i].name), dup_nonempty(listed[i].want_ref), listed[i].cond };
		VEC_PUSH(w->listed, lc);
	}
	protocol_list_end();
	w->list_end_seen = true;
	return w;
}

/* ---- comparing ---- */

/* Shows a value with its bytes escaped, cut to a readable length. */
static void show(const char *label, const char *s)
{
	fprintf(stderr, "    %s: ", label);
	if (!s) {
		fprintf(stderr, "(null)\n");
		return;
	}
	size_t n = strlen(s);
	for (size_t i = 0; i < n && i < 160; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "%s (%zu bytes)\n", n > 160 ? "..." : "", n);
}

static void same_str(const char *got, const char *want, const char *how, const char *where, const char *field)
{
	if ((got == NULL) == (want == NULL) && (!got || strcmp(got, want) == 0))
		return;
	check_failures++;
	fprintf(stderr, "%s: %s: %s differs\n", how, where, field);
	show("want", want);
	show("got ", got);
}

static void same_int(long long got, long long want, const char *how, const char *where, const char *field)
{
	if (got == want)
		return;
	check_failures++;
	fprintf(stderr, "%s: %s: %s is %lld, want %lld\n", how, where, field, got, want);
}

/* stored: what went through SQLite, which keeps no protocol version, panic
 * flag or --list output (a kernel verdict and the notes say it instead). */
static void check_kernel(const struct kresult *got, const struct kresult *want, const char *how, bool stored)
{
	char where[400];
	snprintf(where, sizeof(where), "kernel %s", str_or(want->kernel, "(unnamed)"));
	same_str(got->kernel, want->kernel, how, where, "name");
	same_str(got->suite_version, want->suite_version, how, where, "suite version");
	same_int(got->begin_count, want->begin_count, how, where, "SOTEST VERSION count");
	same_int(got->version_seen, want->version_seen, how, where, "SOTEST VERSION seen");
	same_int(got->end_seen, want->end_seen, how, where, "SOTEST END seen");
	same_str(sb_str(&got->notes), sb_str(&want->notes), how, where, "notes");
	if (!stored) {
		same_int(got->protocol, want->protocol, how, where, "protocol version");
		same_int(got->panic, want->panic, how, where, "panic");
		same_int(got->current, want->current, how, where, "open case");
		same_int(got->list_count, want->list_count, how, where, "CERTIFY LIST count");
		same_int(got->list_end_seen, want->list_end_seen, how, where, "CERTIFY LIST END seen");
		same_int(got->listed.n, want->listed.n, how, where, "listed cases");
		for (size_t i = 0; i < got->listed.n && i < want->listed.n; i++) {
			const struct listed_case *g = &got->listed.v[i], *w = &want->listed.v[i];
			snprintf(where, sizeof(where), "kernel %s, listed case %zu", want->kernel, i);
			same_str(g->name, w->name, how, where, "name");
			same_str(g->ref, w->ref, how, where, "ref");
			same_int(g->conditional, w->conditional, how, where, "conditional");
		}
	}
	snprintf(where, sizeof(where), "kernel %s", str_or(want->kernel, "(unnamed)"));
	same_int(got->facts.n, want->facts.n, how, where, "number of facts");
	for (size_t i = 0; i < got->facts.n && i < want->facts.n; i++) {
		snprintf(where, sizeof(where), "kernel %s, fact %zu (%s)", want->kernel, i, want->facts.v[i].key);
		same_str(got->facts.v[i].key, want->facts.v[i].key, how, where, "key");
		same_str(got->facts.v[i].value, want->facts.v[i].value, how, where, "value");
	}
	snprintf(where, sizeof(where), "kernel %s", str_or(want->kernel, "(unnamed)"));
	same_int(got->cases.n, want->cases.n, how, where, "number of cases");
	for (size_t i = 0; i < got->cases.n && i < want->cases.n; i++) {
		const struct case_result *g = &got->cases.v[i], *w = &want->cases.v[i];
		snprintf(where, sizeof(where), "kernel %s, case %zu (%.200s)", want->kernel, i, w->name);
		same_str(g->name, w->name, how, where, "name");
		same_str(verdict_name(g->verdict), verdict_name(w->verdict), how, where, "verdict");
		same_int(g->ms, w->ms, how, where, "ms");
		same_str(g->ref, w->ref, how, where, "ref");
		same_str(g->reason, w->reason, how, where, "reason");
		same_str(g->msg, w->msg, how, where, "msg");
		same_str(g->detail, w->detail, how, where, "detail");
		same_int(g->flaky, w->flaky, how, where, "flaky");
		same_int(g->attempts, w->attempts, how, where, "attempts");
	}
	snprintf(where, sizeof(where), "kernel %s", str_or(want->kernel, "(unnamed)"));
	same_int(got->benchmarks.n, want->benchmarks.n, how, where, "number of benchmarks");
	for (size_t i = 0; i < got->benchmarks.n && i < want->benchmarks.n; i++) {
		snprintf(where, sizeof(where), "kernel %s, benchmark %zu", want->kernel, i);
		same_str(got->benchmarks.v[i].name, want->benchmarks.v[i].name, how, where, "name");
		same_str(got->benchmarks.v[i].unit, want->benchmarks.v[i].unit, how, where, "unit");
		same_int(got->benchmarks.v[i].value, want->benchmarks.v[i].value, how, where, "value");
	}
}

/* The same log the way a 16550 console sends it: CR LF line ends. */
static char *crlf(const struct strbuf *log, size_t *n)
{
	struct strbuf out = STRBUF_INIT;
	for (size_t i = 0; i < log->len; i++) {
		if (log->buf[i] == '\n')
			sb_addc(&out, '\r');
		sb_addc(&out, log->buf[i]);
	}
	*n = out.len;
	return sb_steal(&out);
}

static void parse_in_chunks(struct parser *p, const char *buf, size_t n, size_t chunk)
{
	parser_init(p);
	for (size_t at = 0; at < n; at += chunk)
		parser_feed(p, buf + at, n - at < chunk ? n - at : chunk);
	parser_finish(p);
}

/* Parses log every way a capture can arrive; every way must yield wants. */
static void check_log(const struct strbuf *log, struct kresult *const *wants, size_t n_wants, const char *what)
{
	size_t n_crlf;
	char *with_cr = crlf(log, &n_crlf);
	static const size_t chunks[] = { 0, 1, 3, 64, 4096 };
	for (int cr = 0; cr < 2; cr++) {
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			const char *buf = cr ? with_cr : log->buf;
			size_t n = cr ? n_crlf : log->len;
			struct parser p;
			parse_in_chunks(&p, buf, n, chunks[c] ? chunks[c] : n);
			char how[128];
			snprintf(how, sizeof(how), "%s, %s, %s %zu", what, cr ? "CR LF" : "LF",
				 chunks[c] ? "chunks of" : "whole,", chunks[c] ? chunks[c] : n);
			same_int(p.logs.n, n_wants, how, "log", "number of kernel sections");
			for (size_t i = 0; i < p.logs.n && i < n_wants; i++)
				check_kernel(p.logs.v[i], wants[i], how, false);
			parser_free(&p);
		}
	}
	free(with_cr);
}

static void free_wants(struct kresult **wants, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kresult_free(wants[i]);
}

/* ---- the tests ---- */

static void test_every_line_and_corner(void)
{
	struct strbuf log = STRBUF_INIT;
	struct kresult *w = emit_corners(&log, "emitter-corners");
	check_log(&log, &w, 1, "corners");
	sb_free(&log);
	kresult_free(w);
}

/* The suite ISO boots kernels one after another into one capture. */
static void test_kernels_in_one_log(void)
{
	struct strbuf log = STRBUF_INIT, part = STRBUF_INIT;
	struct kresult *w[3];
	w[0] = emit_corners(&part, "hello-world");
	sb_add(&log, part.buf, part.len);
	sb_free(&part);
	w[1] = emit_corners(&part, "lapic-timer");
	sb_add(&log, part.buf, part.len);
	sb_free(&part);
	w[2] = emit_panic(&part, "0day-x", "exception #PF at 0xffff\x01 \"outside\" any case", "exception #PF at 0xffff \"outside\" any case");
	sb_add(&log, part.buf, part.len);
	sb_free(&part);
	check_log(&log, w, 3, "three kernels");
	sb_free(&log);
	free_wants(w, 3);
}

static void test_list(void)
{
	struct strbuf log = STRBUF_INIT;
	struct kresult *w = emit_list(&log);
	check_log(&log, &w, 1, "--list");
	/* A debugcon copy of every line names each case once. */
	struct strbuf twice = STRBUF_INIT;
	for (const char *s = log.buf; *s;) {
		const char *e = strchr(s, '\n') + 1;
		sb_add(&twice, s, (size_t)(e - s));
		sb_add(&twice, s, (size_t)(e - s));
		s = e;
	}
	check_log(&twice, &w, 1, "--list twice");
	sb_free(&twice);
	sb_free(&log);
	kresult_free(w);
}

/* Lines near and past certify's 64 KiB line limit, details past the
 * detail limit, and facts past the emitter's fact buffer. */
static void test_long_lines(void)
{
	struct strbuf log = STRBUF_INIT, body = STRBUF_INIT;
	struct kresult *w = kresult_new();
	emit_to(&body);
	/* 60000 bytes (quoted, as it has spaces): one line of ~60 KiB, exact. */
	char *near = xmalloc(60001);
	for (size_t i = 0; i < 60000; i++)
		near[i] = i % 10 == 9 ? ' ' : (char)('a' + i % 26);
	near[60000] = '\0';
	fail(w, "long_message", 1, "SDM", "SDM", "assert", near, near, NULL);
	/* 8000 bytes of two-byte UTF-8: 32000 bytes once escaped, exact. */
	char *utf = xmalloc(8001);
	for (size_t i = 0; i < 8000; i += 2)
		utf[i] = '\xc3', utf[i + 1] = '\xa9';
	utf[8000] = '\0';
	fail(w, "long_utf8_message", 2, "SDM", "SDM", "assert", utf, utf, NULL);
	/* Past the line limit: cut, noted, and the next line reads normally. */
	char *far = xmalloc(70001);
	memset(far, 'x', 70000);
	far[70000] = '\0';
	protocol_case_start("too_long_message");
	protocol_fail("too_long_message", 3, "SDM", "assert", far);
	pass(w, "after_the_long_line", 4, 4, "SDM", "SDM");
	/* Detail lines beyond PARSE_MAX_DETAIL are dropped. */
	protocol_case_start("many_details");
	char line[200];
	memset(line, 'd', sizeof(line) - 1);
	line[0] = '-', line[1] = ' ', line[sizeof(line) - 1] = '\0';
	for (int i = 0; i < 200; i++)
		protocol_printf("%s\n", line);
	protocol_fail("many_details", 5, "SDM", "assert", "m");
	protocol_fact("cmdline", "%s", far);
	protocol_end();
	header(&log, w, "long-lines", "0.1.0", 5);
	sb_add(&log, body.buf, body.len);

	struct parser p;
	parse_in_chunks(&p, log.buf, log.len, 4096);
	CHECK_INT(p.logs.n, 1);
	struct kresult *k = p.logs.n ? p.logs.v[0] : NULL;
	if (k) {
		CHECK_INT(k->cases.n, 5);
		const struct case_result *c = kresult_case(k, "long_message");
		same_str(c ? c->msg : NULL, near, "long lines", "long_message", "msg");
		c = kresult_case(k, "long_utf8_message");
		same_str(c ? c->msg : NULL, utf, "long lines", "long_utf8_message", "msg");
		c = kresult_case(k, "too_long_message");
		CHECK(c && c->verdict == VERDICT_FAIL);
		CHECK(c && c->msg && strlen(c->msg) > 65000 && strncmp(c->msg, far, strlen(c->msg)) == 0);
		c = kresult_case(k, "after_the_long_line");
		CHECK(c && c->verdict == VERDICT_PASS && c->ms == 4);
		c = kresult_case(k, "many_details");
		CHECK(c && c->verdict == VERDICT_FAIL && c->detail);
		if (c && c->detail) {
			CHECK(strlen(c->detail) < PARSE_MAX_DETAIL && strlen(c->detail) > PARSE_MAX_DETAIL - 400);
			CHECK(strncmp(c->detail, line, strlen(line)) == 0);
		}
		CHECK(strstr(sb_str(&k->notes), "was cut to 65536") != NULL);
		CHECK(k->end_seen);
		/* The emitter formats a fact into 256 bytes: longer values (a
		 * command line can hold 4095) arrive cut, never corrupted. */
		const char *cmdline = facts_get(&k->facts, "cmdline");
		CHECK(cmdline && strncmp(cmdline, far, strlen(cmdline)) == 0);
		if (cmdline && strlen(cmdline) < strlen(far))
			fprintf(stderr, "note: the emitter cut a %zu-byte fact to %zu bytes (platform/test/protocol.c)\n",
				strlen(far), strlen(cmdline));
	}
	parser_free(&p);
	free(near);
	free(utf);
	free(far);
	sb_free(&body);
	sb_free(&log);
	kresult_free(w);
}

/* What the parser read must also come back from the database unchanged. */
static void test_store_round_trip(void)
{
	struct strbuf log = STRBUF_INIT, part = STRBUF_INIT;
	struct kresult *w[2];
	w[0] = emit_corners(&part, "hello-world");
	sb_add(&log, part.buf, part.len);
	sb_free(&part);
	w[1] = emit_panic(&part, "panics", "double fault\nin \"handler\"", "double fault\nin \"handler\"");
	sb_add(&log, part.buf, part.len);
	sb_free(&part);

	struct parser p;
	parse_in_chunks(&p, log.buf, log.len, log.len);
	struct run *r = run_new();
	r->provenance = PROV_BARE_METAL;
	r->machine = xstrdup("lab");
	for (size_t i = 0; i < p.logs.n; i++) {
		struct kresult *k = p.logs.v[i];
		kresult_finish(k, k->end_seen ? KV_COMPLETE : KV_CRASH, NULL, 0);
		VEC_PUSH(r->kernels, k);
	}
	p.logs.n = 0;
	parser_free(&p);
	/* What finishing a crashed kernel adds, as import does. */
	struct case_result *open = &w[1]->cases.v[1];
	open->verdict = VERDICT_FAIL;
	open->reason = xstrdup("crash");
	open->msg = xstrdup("the kernel crashed in this case");
	sb_adds(&w[1]->notes, "1 of 3 registered cases never reported and their names are unknown\n");
	w[1]->current = -1;

	struct store s;
	CHECK_INT(store_open(&s, ":memory:", STORE_CREATE), 0);
	CHECK_INT(store_save_run(&s, r), 0);
	struct run *back = store_load_run(&s, r->uuid);
	CHECK(back != NULL);
	if (back) {
		CHECK_INT(back->kernels.n, 2);
		for (size_t i = 0; i < back->kernels.n && i < 2; i++)
			check_kernel(back->kernels.v[i], w[i], "stored and loaded", true);
		CHECK_STR(kernel_verdict_name(back->kernels.v[1]->verdict), "crash");
	}
	run_free(back);
	run_free(r);
	store_close(&s);
	sb_free(&log);
	free_wants(w, 2);
}

int main(void)
{
	RUN(test_every_line_and_corner);
	RUN(test_kernels_in_one_log);
	RUN(test_list);
	RUN(test_long_lines);
	RUN(test_store_round_trip);
	return CHECK_DONE();
}

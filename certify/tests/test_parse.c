/* test_parse.c: unit tests of the protocol parser: every line kind, noise, truncation and broken bytes. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "parse.h"
#include "value.h"

static struct parser parsed(const char *text, size_t n)
{
	struct parser p;
	parser_init(&p);
	parse_buffer(&p, text, n);
	return p;
}

static struct parser parsed_s(const char *text)
{
	return parsed(text, strlen(text));
}


static void check_example(const struct kresult *k)
{
	CHECK(k->version_seen);
	CHECK(k->end_seen);
	CHECK_INT(k->begin_count, 4);
	CHECK_INT(k->protocol, 1);
	CHECK_STR(k->kernel, "hello-world");
	CHECK_STR(k->suite_version, "0.1.0");
	CHECK_STR(facts_get(&k->facts, "cpu.brand"), "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz");
	CHECK_STR(facts_get(&k->facts, "cmdline"), "--serial --disable-testcases=fails_on_purpose");
	CHECK_INT(k->cases.n, 4);
	if (k->cases.n != 4)
		return;
	const struct case_result *c = k->cases.v;
	CHECK_STR(c[0].name, "boots_into_long_mode");
	CHECK_INT(c[0].verdict, VERDICT_PASS);
	CHECK_INT(c[0].ms, 0);
	CHECK_STR(c[0].ref, "SDM Vol. 3A 9.8.5");
	CHECK_INT(c[1].verdict, VERDICT_FAIL);
	CHECK_STR(c[1].reason, "timeout");
	CHECK_STR(c[1].msg, "no IRQ on vector 0x40 within 20 ms");
	CHECK_INT(c[1].ms, 20);
	CHECK(c[1].ref == NULL);
	CHECK(c[1].detail && strstr(c[1].detail, "expected: 1"));
	CHECK(c[1].detail && strstr(c[1].detail, "main.c:57"));
	CHECK_INT(c[2].verdict, VERDICT_SKIP);
	CHECK_STR(c[2].reason, "cond");
	CHECK_STR(c[2].msg, "x2apic_supported()");
	CHECK_INT(c[3].verdict, VERDICT_SKIP);
	CHECK_STR(c[3].reason, "cmdline");
	CHECK_INT(k->benchmarks.n, 1);
	if (k->benchmarks.n == 1) {
		CHECK_STR(k->benchmarks.v[0].name, "calibration");
		CHECK_STR(k->benchmarks.v[0].unit, "us");
		CHECK_INT(k->benchmarks.v[0].value, 1234);
	}
}

static void test_spec_example(void)
{
	size_t n;
	char *s = fixture_read("protocol-example.log", &n);
	struct parser p = parsed(s, n);
	CHECK_INT(p.logs.n, 1);
	if (p.logs.n)
		check_example(p.logs.v[0]);
	CHECK_STR(sb_str(&p.logs.v[0]->notes), "");
	parser_free(&p);
	free(s);
}

/* Every chunking of the input must give the same result. */
static void test_byte_by_byte(void)
{
	size_t n;
	char *s = fixture_read("protocol-example.log", &n);
	struct parser p;
	parser_init(&p);
	for (size_t i = 0; i < n; i++)
		parser_feed(&p, s + i, 1);
	parser_finish(&p);
	CHECK_INT(p.logs.n, 1);
	if (p.logs.n)
		check_example(p.logs.v[0]);
	parser_free(&p);
	free(s);
}

/* CRLF, ANSI colour, NULs, chatter before records, debugcon duplicates. */
static void test_noise(void)
{
	size_t n;
	char *s = fixture_read("protocol-example.log", &n);
	struct strbuf noisy = STRBUF_INIT;
	sb_adds(&noisy, "\x1b[2J\x1b[1;1HSeaBIOS (version 1.16.2)\r\n\xff\xfe garbage \x80\r\n");
	sb_adds(&noisy, "iPXE\x1b]0;title\x07 booting\r\nGRUB ");
	for (const char *line = s; *line;) {
		const char *e = strchr(line, '\n');
		size_t len = (size_t)(e - line);
		/* serial copy with CRLF and colour, then a debugcon copy */
		sb_adds(&noisy, "\x1b[32m");
		sb_add(&noisy, line, len);
		sb_adds(&noisy, "\x1b[0m\r\n");
		sb_add(&noisy, line, len);
		sb_add(&noisy, "\0\n", 2);
		line = e + 1;
	}
	sb_adds(&noisy, "reboot: Power down\r\n");
	struct parser p = parsed(noisy.buf, noisy.len);
	CHECK_INT(p.logs.n, 1);
	if (p.logs.n) {
		check_example(p.logs.v[0]);
		CHECK_STR(sb_str(&p.logs.v[0]->notes), "");
	}
	parser_free(&p);
	sb_free(&noisy);
	free(s);
}

static void test_cyberus(void)
{
	size_t n;
	char *s = fixture_read("cyberus.log", &n);
	struct parser p = parsed(s, n);
	CHECK_INT(p.logs.n, 1);
	struct kresult *k = p.logs.v[0];
	CHECK(k->kernel == NULL);
	CHECK(k->end_seen);
	CHECK_INT(k->cases.n, 4);
	if (k->cases.n == 4) {
		CHECK_STR(k->cases.v[0].name, "lapic_timer_oneshot");
		CHECK_INT(k->cases.v[0].verdict, VERDICT_PASS);
		CHECK_STR(k->cases.v[1].name, "x2apic_mode");
		CHECK_INT(k->cases.v[1].verdict, VERDICT_SKIP);
		CHECK_STR(k->cases.v[1].reason, "cond");
		CHECK_STR(k->cases.v[2].name, "tsc_deadline");
		CHECK_INT(k->cases.v[2].verdict, VERDICT_FAIL);
		CHECK(k->cases.v[2].detail && strstr(k->cases.v[2].detail, "Assertion failed"));
		CHECK_STR(k->cases.v[3].reason, "cmdline");
	}
	parser_free(&p);
	free(s);
}

/* A capture that stops in the middle of a case. */
static void test_truncated(void)
{
	struct parser p = parsed_s("SOTEST VERSION 1 BEGIN 3\nCERTIFY PROTOCOL 1\n"
				   "test case: a\nSOTEST SUCCESS \"a\"\ntest case: b\n- waiting\nSOTEST SUC");
	struct kresult *k = p.logs.v[0];
	CHECK(!k->end_seen);
	CHECK_INT(k->cases.n, 2);
	CHECK_INT(k->cases.v[1].verdict, VERDICT_NONE);
	const char *known[] = { "a", "b", "c" };
	kresult_finish(k, KV_INCOMPLETE, known, 3);
	CHECK_INT(k->cases.n, 3);
	CHECK_INT(k->cases.v[1].verdict, VERDICT_NOT_RUN);
	CHECK_INT(k->cases.v[2].verdict, VERDICT_NOT_RUN);
	parser_free(&p);

	p = parsed_s("SOTEST VERSION 1 BEGIN 5\nCERTIFY PROTOCOL 1\ntest case: a\n- hangs here\n");
	k = p.logs.v[0];
	kresult_finish(k, KV_HANG, NULL, 0);
	CHECK_INT(k->cases.v[0].verdict, VERDICT_FAIL);
	CHECK_STR(k->cases.v[0].reason, "hang");
	CHECK(strstr(sb_str(&k->notes), "4 of 5 registered cases") != NULL);
	parser_free(&p);
}

static void test_long_line(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "SOTEST VERSION 1 BEGIN 1\nCERTIFY PROTOCOL 1\ntest case: a\n- ");
	for (int i = 0; i < 300000; i++)
		sb_addc(&sb, (char)('a' + i % 26));
	sb_adds(&sb, "\nCERTIFY RESULT a fail ms=3 reason=assert msg=\"");
	for (int i = 0; i < 200000; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\"\nSOTEST END\n");
	struct parser p = parsed(sb.buf, sb.len);
	struct kresult *k = p.logs.v[0];
	CHECK(k->end_seen);
	CHECK_INT(k->cases.n, 1);
	CHECK_INT(k->cases.v[0].verdict, VERDICT_FAIL);
	CHECK(k->cases.v[0].msg && strlen(k->cases.v[0].msg) < PARSE_MAX_LINE);
	CHECK(strstr(sb_str(&k->notes), "was cut") != NULL);
	parser_free(&p);
	sb_free(&sb);
}

static void test_invalid_utf8_and_escapes(void)
{
	const char log[] = "SOTEST VERSION 1 BEGIN 1\nCERTIFY PROTOCOL 1\n"
			   "CERTIFY FACT acpi.oem=\"BOCHS \\x00\\xffx\\\"q\\\\\"\n"
			   "test case: a\n- got \xc3\x28 bad \xe2\x82\xac ok\n"
			   "SOTEST FAIL \"a\"\nCERTIFY RESULT a fail ms=1 reason=assert msg=\"tab\\x09\\xc3\\xa9\"\nSOTEST END\n";
	struct parser p = parsed(log, sizeof(log) - 1);
	struct kresult *k = p.logs.v[0];
	CHECK_STR(facts_get(&k->facts, "acpi.oem"), "BOCHS \xef\xbf\xbdx\"q\\");
	CHECK_STR(k->cases.v[0].detail, "- got \xef\xbf\xbd( bad \xe2\x82\xac ok");
	CHECK_STR(k->cases.v[0].msg, "tab\t\xc3\xa9");
	parser_free(&p);
}

static void test_conflict_and_malformed(void)
{
	struct parser p = parsed_s("SOTEST VERSION 1 BEGIN 2\nCERTIFY PROTOCOL 1\n"
				   "test case: a\nSOTEST SUCCESS \"a\"\nCERTIFY RESULT a fail ms=1 reason=assert\n"
				   "CERTIFY RESULT bad-name pass\nCERTIFY RESULT b maybe\nCERTIFY FACT novalue\n"
				   "SOTEST BENCHMARK:x\nCERTIFY UNKNOWN-KEYWORD whatever\n"
				   "CERTIFY RESULT b pass ms=2 ref=SDM newfield=\"z z\"\nSOTEST END\n");
	struct kresult *k = p.logs.v[0];
	CHECK_INT(k->cases.n, 2);
	CHECK_INT(k->cases.v[0].verdict, VERDICT_FAIL);
	CHECK_STR(k->cases.v[0].reason, "conflict");
	CHECK_INT(k->cases.v[1].verdict, VERDICT_PASS);
	CHECK_STR(k->cases.v[1].ref, "SDM");
	CHECK(strstr(sb_str(&k->notes), "malformed CERTIFY RESULT") != NULL);
	CHECK(strstr(sb_str(&k->notes), "malformed SOTEST BENCHMARK") != NULL);
	parser_free(&p);
}

static void test_sections_list_panic(void)
{
	struct parser p = parsed_s("SOTEST VERSION 1 BEGIN 1\nCERTIFY PROTOCOL 1\nCERTIFY KERNEL one 1\n"
				   "test case: a\nSOTEST SUCCESS \"a\"\nSOTEST END\nSOTEST END\n"
				   "SOTEST VERSION 1 BEGIN 2\nCERTIFY PROTOCOL 1\nCERTIFY KERNEL two 1\n"
				   "test case: b\nCERTIFY PANIC msg=\"#PF outside any case\"\n");
	CHECK_INT(p.logs.n, 2);
	CHECK_STR(p.logs.v[0]->kernel, "one");
	CHECK_STR(p.logs.v[1]->kernel, "two");
	CHECK(p.logs.v[1]->panic);
	CHECK(strstr(sb_str(&p.logs.v[1]->notes), "#PF outside any case") != NULL);
	parser_free(&p);

	p = parsed_s("CERTIFY LIST BEGIN 2\nCERTIFY CASE a ref=\"SDM 1\" conditional=no\n"
		     "CERTIFY CASE b ref=\"\" conditional=yes\nCERTIFY LIST END\n");
	CHECK_INT(p.logs.n, 1);
	struct kresult *k = p.logs.v[0];
	CHECK(k->list_end_seen);
	CHECK_INT(k->listed.n, 2);
	CHECK_STR(k->listed.v[0].ref, "SDM 1");
	CHECK(k->listed.v[1].conditional);
	CHECK_INT(k->list_count, 2);
	CHECK_STR(sb_str(&k->notes), "");
	parser_free(&p);

	/* A debugcon copy names a case twice; a cut list names fewer than announced. */
	p = parsed_s("CERTIFY LIST BEGIN 3\nCERTIFY CASE a conditional=no\nCERTIFY CASE a conditional=no\n"
		     "CERTIFY CASE b conditional=no\nCERTIFY LIST END\n");
	k = p.logs.v[0];
	CHECK_INT(k->listed.n, 2);
	CHECK_STR(sb_str(&k->notes), "CERTIFY LIST announced 3 cases but named 2\n");
	parser_free(&p);
}

static void test_duration_out_of_range(void)
{
	struct parser p = parsed_s("SOTEST VERSION 1 BEGIN 3\nCERTIFY PROTOCOL 1\n"
				   "CERTIFY RESULT a pass ms=9223372036854775807\n"
				   "CERTIFY RESULT b pass ms=9223372036854775808\n"
				   "CERTIFY RESULT c pass ms=-1\nSOTEST END\n");
	struct kresult *k = p.logs.v[0];
	CHECK_INT(k->cases.n, 3);
	CHECK_INT(k->cases.v[0].ms, 9223372036854775807LL);
	CHECK_INT(k->cases.v[1].ms, -1);
	CHECK_INT(k->cases.v[2].ms, -1);
	CHECK(strstr(sb_str(&k->notes), "case b: its ms= is not a duration") != NULL);
	CHECK(strstr(sb_str(&k->notes), "case c: its ms= is not a duration") != NULL);
	parser_free(&p);
}

static void test_values(void)
{
	struct strbuf sb = STRBUF_INIT;
	value_write(&sb, "plain-1.0");
	CHECK_STR(sb_str(&sb), "plain-1.0");
	sb_reset(&sb);
	value_write(&sb, "");
	CHECK_STR(sb_str(&sb), "\"\"");
	sb_reset(&sb);
	value_write(&sb, "a \"b\" \\ \x01\xc3\xa9");
	CHECK_STR(sb_str(&sb), "\"a \\\"b\\\" \\\\ \\x01\\xc3\\xa9\"");
	struct strbuf back = STRBUF_INIT;
	const char *s = sb_str(&sb);
	CHECK(value_read(&s, &back));
	CHECK_STR(sb_str(&back), "a \"b\" \\ \x01\xc3\xa9");
	CHECK(*s == '\0');
	s = "\"unterminated";
	CHECK(!value_read(&s, &back));
	CHECK_STR(sb_str(&back), "unterminated");
	CHECK(is_case_name("_a1"));
	CHECK(!is_case_name("1a"));
	CHECK(!is_case_name(""));
	CHECK(is_kernel_name("lapic-timer"));
	CHECK(!is_kernel_name("-x"));
	CHECK(is_fact_key("cpu.tsc-deadline"));
	sb_free(&sb);
	sb_free(&back);
}

static void test_cut_case_and_orphans(void)
{
	/* A verdict without a "test case:" line, and a case that never ends. */
	struct parser p = parsed_s("CERTIFY RESULT early pass ms=1\nSOTEST VERSION 1 BEGIN 3\n"
				   "CERTIFY PROTOCOL 1\ntest case: a\ntest case: b\nSOTEST SUCCESS \"b\"\n"
				   "SOTEST END\n");
	CHECK_INT(p.logs.n, 2);
	struct kresult *k = p.logs.v[1];
	CHECK_INT(k->cases.v[0].verdict, VERDICT_NOT_RUN);
	CHECK_INT(k->cases.v[1].verdict, VERDICT_PASS);
	parser_free(&p);
}

int main(void)
{
	RUN(test_spec_example);
	RUN(test_byte_by_byte);
	RUN(test_noise);
	RUN(test_cyberus);
	RUN(test_truncated);
	RUN(test_long_line);
	RUN(test_invalid_utf8_and_escapes);
	RUN(test_conflict_and_malformed);
	RUN(test_sections_list_panic);
	RUN(test_values);
	RUN(test_cut_case_and_orphans);
	RUN(test_duration_out_of_range);
	return CHECK_DONE();
}

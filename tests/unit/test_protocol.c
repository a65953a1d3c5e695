/* The protocol emitter: the exact lines of docs/protocol.md, and the value
 * escaping rule. With --emit it prints a sample log for certify's parser
 * (certify/tests/test_emitter.c tests the emitter against certify's parser). */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "test/protocol.h"

static char out[8192];
static size_t used;

static void sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n && used + 1 < sizeof(out); i++)
        out[used++] = s[i];
    out[used] = '\0';
}

static void file_sink(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, ctx);
}

static const char *emit_value(const char *v)
{
    used = 0;
    out[0] = '\0';
    protocol_put_value(v);
    return out;
}

static void emit_sample(void)
{
    protocol_begin(4);
    protocol_kernel("hello-world", "0.1.0");
    protocol_fact("cpu.brand", "%s", "Intel(R) Xeon(R) CPU \"E5\" @ 2.40GHz\\x");
    protocol_fact("cmdline", "%s", "--serial --disable-testcases=b");
    protocol_case_start("a");
    protocol_pass("a", 3, "SDM Vol. 3A 11.5.4");
    protocol_case_start("b");
    protocol_skip_cmdline("b");
    protocol_case_start("c");
    protocol_printf("- detail line\n");
    protocol_fail("c", 20, "", "timeout", "no IRQ on vector 0x40 within 20 ms");
    protocol_case_start("d");
    protocol_skip_condition("d", "x2apic_supported()");
    protocol_benchmark("calibration", "us", 1234);
    protocol_end();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--emit") == 0) {
        protocol_set_sink(file_sink, stdout);
        emit_sample();
        return 0;
    }
    protocol_set_sink(sink, NULL);

    CHECK_STR(emit_value("GenuineIntel"), "GenuineIntel");
    CHECK_STR(emit_value("a-b_c.d:e/f+g@h%i,j"), "a-b_c.d:e/f+g@h%i,j");
    CHECK_STR(emit_value(""), "\"\"");
    CHECK_STR(emit_value("two words"), "\"two words\"");
    CHECK_STR(emit_value("say \"hi\""), "\"say \\\"hi\\\"\"");
    CHECK_STR(emit_value("back\\slash"), "\"back\\\\slash\"");
    CHECK_STR(emit_value("tab\there"), "\"tab\\x09here\"");
    CHECK_STR(emit_value("nl\n"), "\"nl\\x0a\"");
    CHECK_STR(emit_value("\x7f\xc3\xa9"), "\"\\x7f\\xc3\\xa9\"");
    CHECK_STR(emit_value("a=b"), "\"a=b\"");

    /* A fact longer than PROTOCOL_FACT_MAX goes out whole by value. */
    char long_value[1500];
    memset(long_value, 'x', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    used = 0;
    protocol_fact_value("cmdline", long_value);
    CHECK(used == strlen("CERTIFY FACT cmdline=") + strlen(long_value) + 1);

    used = 0;
    emit_sample();
    const char *expected =
        "SOTEST VERSION 1 BEGIN 4\n"
        "CERTIFY PROTOCOL 1\n"
        "CERTIFY KERNEL hello-world 0.1.0\n"
        "CERTIFY FACT cpu.brand=\"Intel(R) Xeon(R) CPU \\\"E5\\\" @ 2.40GHz\\\\x\"\n"
        "CERTIFY FACT cmdline=\"--serial --disable-testcases=b\"\n"
        "test case: a\n"
        "SOTEST SUCCESS \"a\"\n"
        "CERTIFY RESULT a pass ms=3 ref=\"SDM Vol. 3A 11.5.4\"\n"
        "test case: b\n"
        "- skipping as test case is disabled via cmdline\n"
        "SOTEST SKIP\n"
        "CERTIFY RESULT b skip reason=cmdline\n"
        "test case: c\n"
        "- detail line\n"
        "SOTEST FAIL \"c\"\n"
        "CERTIFY RESULT c fail ms=20 ref=\"\" reason=timeout msg=\"no IRQ on vector 0x40 within 20 ms\"\n"
        "test case: d\n"
        "- skipping as condition is NOT met: `x2apic_supported()`\n"
        "SOTEST SKIP\n"
        "CERTIFY RESULT d skip reason=cond\n"
        "SOTEST BENCHMARK:calibration:us:1234\n"
        "SOTEST END\n";
    CHECK_STR(out, expected);
    return check_report();
}

/* Emitter of the output protocol; see protocol.h and docs/protocol.md. */
#include "test/protocol.h"

#include <stdarg.h>

static format_sink protocol_sink;
static void *protocol_ctx;

void protocol_set_sink(format_sink sink, void *ctx)
{
    protocol_sink = sink;
    protocol_ctx = ctx;
}

static void put_chars(const char *s, size_t n)
{
    if (protocol_sink && n)
        protocol_sink(protocol_ctx, s, n);
}

static void put(char c)
{
    put_chars(&c, 1);
}

static void puts_raw(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    put_chars(s, n);
}

void protocol_printf(const char *fmt, ...)
{
    if (!protocol_sink)
        return;
    va_list ap;
    va_start(ap, fmt);
    vformat(protocol_sink, protocol_ctx, fmt, ap);
    va_end(ap);
}

static bool is_bare_byte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '@' ||
           c == '%' || c == ',' || c == '-';
}

void protocol_put_value(const char *value)
{
    static const char hex[] = "0123456789abcdef";
    bool bare = value[0] != '\0';
    for (const char *p = value; *p && bare; p++)
        bare = is_bare_byte((unsigned char)*p);
    if (bare) {
        puts_raw(value);
        return;
    }
    put('"');
    const char *run = value;   /* bytes that need no escape, sent as one piece */
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        bool escaped = *p == '"' || *p == '\\' || *p < 0x20 || *p >= 0x7f;
        if (!escaped)
            continue;
        put_chars(run, (size_t)((const char *)p - run));
        run = (const char *)p + 1;
        if (*p == '"' || *p == '\\') {
            char esc[2] = { '\\', (char)*p };
            put_chars(esc, sizeof(esc));
        } else {
            char esc[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 0xf] };
            put_chars(esc, sizeof(esc));
        }
    }
    puts_raw(run);
    put('"');
}

static void put_field(const char *key, const char *value)
{
    put(' ');
    puts_raw(key);
    put('=');
    protocol_put_value(value);
}

void protocol_begin(unsigned cases)
{
    protocol_printf("SOTEST VERSION 1 BEGIN %u\n", cases);
    protocol_printf("CERTIFY PROTOCOL %d\n", PROTOCOL_VERSION);
}

void protocol_kernel(const char *kernel, const char *suite_version)
{
    protocol_printf("CERTIFY KERNEL %s %s\n", kernel, suite_version);
}

void protocol_fact_value(const char *key, const char *value)
{
    protocol_printf("CERTIFY FACT %s=", key);
    protocol_put_value(value);
    put('\n');
}

void protocol_fact(const char *key, const char *fmt, ...)
{
    char value[PROTOCOL_FACT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vformat_string(value, sizeof(value), fmt, ap);
    va_end(ap);
    protocol_fact_value(key, value);
}

void protocol_case_start(const char *name)
{
    protocol_printf("test case: %s\n", name);
}

void protocol_pass(const char *name, uint64_t ms, const char *ref)
{
    protocol_printf("SOTEST SUCCESS \"%s\"\n", name);
    protocol_printf("CERTIFY RESULT %s pass ms=%llu", name, (unsigned long long)ms);
    put_field("ref", ref ? ref : "");
    put('\n');
}

void protocol_fail(const char *name, uint64_t ms, const char *ref,
                   const char *reason, const char *msg)
{
    protocol_printf("SOTEST FAIL \"%s\"\n", name);
    protocol_printf("CERTIFY RESULT %s fail ms=%llu", name, (unsigned long long)ms);
    put_field("ref", ref ? ref : "");
    put_field("reason", reason);
    if (msg && *msg)
        put_field("msg", msg);
    put('\n');
}

void protocol_skip_condition(const char *name, const char *condition)
{
    protocol_printf("- skipping as condition is NOT met: `%s`\n", condition);
    protocol_printf("SOTEST SKIP\n");
    protocol_printf("CERTIFY RESULT %s skip reason=cond\n", name);
}

void protocol_skip_cmdline(const char *name)
{
    protocol_printf("- skipping as test case is disabled via cmdline\n");
    protocol_printf("SOTEST SKIP\n");
    protocol_printf("CERTIFY RESULT %s skip reason=cmdline\n", name);
}

void protocol_benchmark(const char *name, const char *unit, int64_t value)
{
    protocol_printf("SOTEST BENCHMARK:%s:%s:%lld\n", name, unit, (long long)value);
}

void protocol_end(void)
{
    protocol_printf("SOTEST END\n");
}

void protocol_cmdline_error(const char *msg)
{
    puts_raw("CERTIFY CMDLINE-ERROR");
    put_field("msg", msg);
    put('\n');
}

void protocol_panic(const char *msg)
{
    puts_raw("CERTIFY PANIC");
    put_field("msg", msg);
    put('\n');
}

void protocol_list_begin(unsigned cases)
{
    protocol_printf("CERTIFY LIST BEGIN %u\n", cases);
}

void protocol_list_case(const char *name, const char *ref, bool conditional)
{
    protocol_printf("CERTIFY CASE %s", name);
    put_field("ref", ref ? ref : "");
    put_field("conditional", conditional ? "yes" : "no");
    put('\n');
}

void protocol_list_end(void)
{
    protocol_printf("CERTIFY LIST END\n");
}

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

/* How each byte of a value is written (docs/protocol.md): bare bytes need
 * no quotes; a quote, a backslash, a control byte and a non-ASCII byte are
 * escaped inside quotes. One table look-up a byte: values such as the
 * command line are long, and a VMM that emulates the guest pays for every
 * instruction. */
enum value_byte { QUOTED, BARE, ESCAPED };   /* the rest of ' ' to '~' is QUOTED */

static const unsigned char value_byte_class[256] = {
    [0x00 ... 0x1f] = ESCAPED, [0x7f ... 0xff] = ESCAPED,
    ['"'] = ESCAPED, ['\\'] = ESCAPED,
    ['A' ... 'Z'] = BARE, ['a' ... 'z'] = BARE, ['0' ... '9'] = BARE,
    ['_'] = BARE, ['.'] = BARE, [':'] = BARE, ['/'] = BARE, ['+'] = BARE,
    ['@'] = BARE, ['%'] = BARE, [','] = BARE, ['-'] = BARE,
};

static enum value_byte value_byte(const char *p)
{
    return (enum value_byte)value_byte_class[(unsigned char)*p];
}

void protocol_put_value(const char *value)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = value;
    while (value_byte(p) == BARE)
        p++;
    if (*p == '\0' && p != value) {
        put_chars(value, (size_t)(p - value));
        return;
    }
    put('"');
    const char *run = value;   /* bytes that need no escape, sent as one piece */
    for (; *p; p++) {
        if (value_byte(p) != ESCAPED)
            continue;
        put_chars(run, (size_t)(p - run));
        run = p + 1;
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            put_chars(esc, sizeof(esc));
        } else {
            char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };
            put_chars(esc, sizeof(esc));
        }
    }
    put_chars(run, (size_t)(p - run));
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

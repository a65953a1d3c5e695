/* A small printf for freestanding code, also built hosted for unit tests. */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"

struct spec {
    bool left, zero, plus, space, upper, alternate;
    int width, precision;   /* precision < 0: none */
    int base;
};

struct out {
    format_sink sink;
    void *ctx;
    int count;
};

static void put_chars(struct out *o, const char *s, size_t n)
{
    if (!n)
        return;
    o->sink(o->ctx, s, n);
    o->count += (int)n;
}

static void put(struct out *o, char c)
{
    put_chars(o, &c, 1);
}

static void pad(struct out *o, char c, int n)
{
    static const char spaces[] = "                ", zeros[] = "0000000000000000";
    const char *run = c == '0' ? zeros : spaces;
    for (; n > 0; n -= (int)(sizeof(spaces) - 1))
        put_chars(o, run, n < (int)(sizeof(spaces) - 1) ? (size_t)n : sizeof(spaces) - 1);
}

static void put_string(struct out *o, const struct spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int len = (int)(s->precision < 0 ? strlen(str) : strnlen(str, (size_t)s->precision));
    if (!s->left)
        pad(o, ' ', s->width - len);
    put_chars(o, str, (size_t)len);
    if (s->left)
        pad(o, ' ', s->width - len);
}

static void put_number(struct out *o, const struct spec *s, uint64_t value, bool negative)
{
    const char *digits = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];   /* filled from the end: the digits come out in order */
    int len = 0;
    do {
        buf[sizeof(buf) - 1 - len++] = digits[value % (unsigned)s->base];
        value /= (unsigned)s->base;
    } while (value);
    const char *first = &buf[sizeof(buf) - len];

    char sign = negative ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
    /* '#': 0x/0X before a non-zero hex value, a leading 0 for octal. */
    const char *prefix = "";
    if (s->alternate && s->base == 16 && !(len == 1 && first[0] == '0'))
        prefix = s->upper ? "0X" : "0x";
    else if (s->alternate && s->base == 8 && first[0] != '0')
        prefix = "0";
    int prefix_len = prefix[0] ? (prefix[1] ? 2 : 1) : 0;
    int zeros = s->precision > len ? s->precision - len : 0;
    int total = len + zeros + (sign != 0) + prefix_len;
    if (s->zero && !s->left && s->precision < 0 && s->width > total) {
        zeros += s->width - total;
        total = s->width;
    }
    if (!s->left)
        pad(o, ' ', s->width - total);
    if (sign)
        put(o, sign);
    put_chars(o, prefix, (size_t)prefix_len);
    pad(o, '0', zeros);
    put_chars(o, first, (size_t)len);
    if (s->left)
        pad(o, ' ', s->width - total);
}

static int parse_int(const char **p)
{
    int v = 0;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { sink, ctx, 0 };
    va_list args;
    va_copy(args, ap);

    const char *end = fmt + strlen(fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            const char *percent = memchr(p, '%', (size_t)(end - p));
            const char *run_end = percent ? percent : end;
            put_chars(&o, p, (size_t)(run_end - p));
            p = run_end - 1;
            continue;
        }
        struct spec s = { .precision = -1, .base = 10 };
        for (;; p++) {
            if (p[1] == '-') s.left = true;
            else if (p[1] == '0') s.zero = true;
            else if (p[1] == '+') s.plus = true;
            else if (p[1] == ' ') s.space = true;
            else if (p[1] == '#') s.alternate = true;
            else break;
        }
        p++;
        if (*p == '*') {
            s.width = va_arg(args, int);
            if (s.width < 0) {
                s.left = true;
                s.width = -s.width;
            }
            p++;
        } else {
            s.width = parse_int(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                s.precision = va_arg(args, int);
                p++;
            } else {
                s.precision = parse_int(&p);
            }
        }
        int length = 0;   /* 0: int, 1: long, 2: long long, -1: short, -2: char */
        for (;; p++) {
            if (*p == 'l') length++;
            else if (*p == 'h') length--;
            else if (*p == 'z' || *p == 'j' || *p == 't') length = 2;
            else break;
        }

        uint64_t u;
        int64_t i;
        switch (*p) {
        case 'd':
        case 'i':
            if (length >= 2) i = va_arg(args, long long);
            else if (length == 1) i = va_arg(args, long);
            else i = va_arg(args, int);
            if (length == -1) i = (short)i;
            if (length <= -2) i = (signed char)i;
            put_number(&o, &s, i < 0 ? -(uint64_t)i : (uint64_t)i, i < 0);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            if (length >= 2) u = va_arg(args, unsigned long long);
            else if (length == 1) u = va_arg(args, unsigned long);
            else u = va_arg(args, unsigned int);
            if (length == -1) u = (unsigned short)u;
            if (length <= -2) u = (unsigned char)u;
            s.base = *p == 'o' ? 8 : *p == 'u' ? 10 : 16;
            s.upper = *p == 'X';
            put_number(&o, &s, u, false);
            break;
        case 'p':
            u = (uintptr_t)va_arg(args, void *);
            put_chars(&o, "0x", 2);
            s.base = 16;
            put_number(&o, &s, u, false);
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            if (!s.left)
                pad(&o, ' ', s.width - 1);
            put(&o, c);
            if (s.left)
                pad(&o, ' ', s.width - 1);
            break;
        }
        case 's':
            put_string(&o, &s, va_arg(args, const char *));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            p--;   /* a lone '%' at the end: print nothing more */
            break;
        default:   /* unknown conversion: show it as written */
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    va_end(args);
    return o.count;
}

struct string_sink {
    char *buf;
    size_t size, used;
};

static void string_put(void *ctx, const char *text, size_t n)
{
    struct string_sink *s = ctx;
    if (s->used + 1 < s->size) {
        size_t room = s->size - 1 - s->used;
        memcpy(s->buf + s->used, text, n < room ? n : room);
    }
    s->used += n;
}

int vformat_string(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct string_sink s = { buf, size, 0 };
    int n = vformat(string_put, &s, fmt, ap);
    if (size)
        buf[s.used < size ? s.used : size - 1] = '\0';
    return n;
}

int format_string(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat_string(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

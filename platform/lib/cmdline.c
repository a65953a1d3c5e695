/* Parsing of the kernel command line; see cmdline.h. */
#include "lib/cmdline.h"

#include <stdarg.h>

#include "lib/format.h"
#include "lib/string.h"

void cmdline_error(struct cmdline *c, const char *fmt, ...)
{
    if (c->error_count < CMDLINE_MAX_ERRORS) {
        va_list ap;
        va_start(ap, fmt);
        vformat_string(c->errors[c->error_count], CMDLINE_ERROR_LENGTH, fmt, ap);
        va_end(ap);
    }
    c->error_count++;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses a port number, decimal or 0x-prefixed hex, up to 0xffff. */
static bool parse_port(const char *s, size_t len, uint16_t *out)
{
    unsigned base = 10;
    uint32_t v = 0;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
        else return false;
        v = v * base + d;
        if (v > 0xffff)
            return false;
    }
    *out = (uint16_t)v;
    return true;
}

/* True if the token is exactly `name` or starts with `name=`; *value then
 * points after the '=' (or is NULL). */
static bool match_option(const char *tok, size_t len, const char *name,
                         const char **value, size_t *value_len)
{
    size_t n = strlen(name);
    if (len < n || strncmp(tok, name, n) != 0)
        return false;
    if (len == n) {
        *value = NULL;
        *value_len = 0;
        return true;
    }
    if (tok[n] != '=')
        return false;
    *value = tok + n + 1;
    *value_len = len - n - 1;
    return true;
}

static void parse_console(struct cmdline *c, const char *name, const char *value,
                          size_t value_len, bool *enable, uint16_t *port)
{
    *enable = true;
    if (value && !parse_port(value, value_len, port))
        cmdline_error(c, "%s: '%.*s' is not an I/O port number (0..0xffff)",
                      name, (int)value_len, value);
}

static void parse_list(struct cmdline *c, const char *name, const char *value,
                       size_t value_len, struct name_list *list)
{
    if (list->present)
        cmdline_error(c, "%s given twice; the last one counts", name);
    list->text = value ? value : "";
    list->length = value_len;
    list->present = true;
    if (value_len == 0) {
        cmdline_error(c, "%s: empty list of test cases", name);
        return;
    }
    size_t pos = 0;
    const char *item;
    size_t item_len;
    while (name_list_next(list, &pos, &item, &item_len))
        if (item_len == 0)
            cmdline_error(c, "%s: empty name in the list", name);
}

void cmdline_parse(const char *text, struct cmdline *c)
{
    memset(c, 0, sizeof(*c));
    c->serial_port = CMDLINE_DEFAULT_SERIAL;
    c->debugcon_port = CMDLINE_DEFAULT_DEBUGCON;
    if (!text)
        text = "";

    bool first = true;
    const char *p = text;
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && !is_space(*p))
            p++;
        size_t len = (size_t)(p - tok);
        const char *value;
        size_t value_len;

        if (first && tok[0] != '-') {
            /* Multiboot loaders pass the image's path as the first word. */
            first = false;
            continue;
        }
        first = false;

        if (match_option(tok, len, "--serial", &value, &value_len))
            parse_console(c, "--serial", value, value_len, &c->serial, &c->serial_port);
        else if (match_option(tok, len, "--debugcon", &value, &value_len))
            parse_console(c, "--debugcon", value, value_len, &c->debugcon, &c->debugcon_port);
        else if (match_option(tok, len, "--disable-testcases", &value, &value_len))
            parse_list(c, "--disable-testcases", value, value_len, &c->disabled);
        else if (match_option(tok, len, "--enable-testcases", &value, &value_len))
            parse_list(c, "--enable-testcases", value, value_len, &c->enabled);
        else if (len == 6 && strncmp(tok, "--list", 6) == 0)
            c->list = true;
        else
            cmdline_error(c, "unknown option '%.*s'", (int)(len > 64 ? 64 : len), tok);
    }
    if (!c->serial && !c->debugcon)
        c->serial = c->debugcon = true;
}

bool name_list_next(const struct name_list *l, size_t *pos,
                    const char **name, size_t *length)
{
    if (!l->present || *pos > l->length || l->length == 0)
        return false;
    const char *start = l->text + *pos;
    const char *comma = memchr(start, ',', l->length - *pos);
    size_t n = comma ? (size_t)(comma - start) : l->length - *pos;
    *name = start;
    *length = n;
    *pos += n + 1;
    return true;
}

bool name_list_contains(const struct name_list *l, const char *name)
{
    size_t pos = 0, len, want = strlen(name);
    const char *item;
    while (name_list_next(l, &pos, &item, &len))
        if (len == want && strncmp(item, name, len) == 0)
            return true;
    return false;
}

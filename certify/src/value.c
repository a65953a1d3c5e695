/* value.c: quoting and unquoting of CERTIFY values; cleaning text to valid UTF-8. */
#include "value.h"

#include <string.h>

static bool is_bare_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_.:/+@%,-", c));
}

bool value_is_bare(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (!is_bare_byte((unsigned char)*v))
			return false;
	return true;
}

void value_write(struct strbuf *out, const char *v)
{
	if (value_is_bare(v)) {
		sb_adds(out, v);
		return;
	}
	sb_addc(out, '"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\') {
			sb_addc(out, '\\');
			sb_addc(out, (char)*p);
		} else if (*p < 0x20 || *p >= 0x7f) {
			sb_addf(out, "\\x%02x", *p);
		} else {
			sb_addc(out, (char)*p);
		}
	}
	sb_addc(out, '"');
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool value_read(const char **p, struct strbuf *out)
{
	const char *s = *p;
	sb_reset(out);
	sb_add(out, "", 0);
	if (*s != '"') {
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		sb_add(out, s, (size_t)(e - s));
		*p = e;
		return true;
	}
	s++;
	while (*s && *s != '"') {
		size_t run = strcspn(s, "\"\\");
		if (run) {
			sb_add(out, s, run);
			s += run;
			continue;
		}
		if (*s == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 && hexval(s[3]) >= 0) {
			sb_addc(out, (char)(hexval(s[2]) * 16 + hexval(s[3])));
			s += 4;
		} else if (*s == '\\' && s[1]) {
			/* \" and \\; an unknown escape keeps the escaped byte, which is
			 * the most useful reading of a slightly wrong emitter. */
			sb_addc(out, s[1]);
			s += 2;
		} else {
			sb_addc(out, *s++);
		}
	}
	bool closed = *s == '"';
	*p = closed ? s + 1 : s;
	return closed;
}

bool value_next(const char **p, struct strbuf *out)
{
	while (**p == ' ')
		(*p)++;
	return **p && value_read(p, out);
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

char *text_clean(const char *s, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	/* Nearly every line is plain printable ASCII: copy it in one go. */
	size_t plain = 0;
	while (plain < n && p[plain] >= 0x20 && p[plain] < 0x7f)
		plain++;
	if (plain == n)
		return xstrndup(s, n);
	sb_add(&out, s, plain);
	for (size_t i = plain; i < n;) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (p[i] == '\t' || p[i] == '\n')
				sb_addc(&out, (char)p[i]);
			i++;
			continue;
		}
		size_t len = utf8_len(p + i, n - i);
		if (len == 0) {
			sb_adds(&out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		sb_add(&out, s + i, len);
		i += len;
	}
	return sb_steal(&out);
}

bool is_case_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool is_kernel_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

bool is_fact_key(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (*s && strchr("_.-", *s))))
			return false;
	return true;
}

/* value.h: the protocol's value escaping (docs/protocol.md "Names and values") and text hygiene. */
#ifndef CERTIFY_VALUE_H
#define CERTIFY_VALUE_H

#include <stdbool.h>

#include "util.h"

/* True when the value may be written without quotes. */
bool value_is_bare(const char *v);
/* Append v in protocol form: bare when allowed, else quoted and escaped. */
void value_write(struct strbuf *out, const char *v);
/* Read one value (bare or quoted) at *p into out, leaving *p after it.
 * Unterminated quotes run to the end of the string (a truncated line still
 * yields what it had). Returns false if a quoted value was unterminated. */
bool value_read(const char **p, struct strbuf *out);
/* The next space-separated value of a line: skips spaces, then as
 * value_read; false at the end of the line. */
bool value_next(const char **p, struct strbuf *out);

/* Make text safe to store and render: invalid UTF-8 becomes U+FFFD, control
 * bytes other than tab and newline are dropped. Returns a new string. */
char *text_clean(const char *s, size_t n);

bool is_case_name(const char *s);
bool is_kernel_name(const char *s);
bool is_fact_key(const char *s);

#endif

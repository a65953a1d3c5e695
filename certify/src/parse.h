/* parse.h: the one reader of the output protocol (docs/protocol.md), shared by run and import. */
#ifndef CERTIFY_PARSE_H
#define CERTIFY_PARSE_H

#include <stddef.h>

#include "result.h"

/* Bytes of one line kept; the rest of a longer line is dropped (and noted),
 * so a runaway guest cannot make certify use unbounded memory. */
#define PARSE_MAX_LINE 65536
/* Detail text kept per case. */
#define PARSE_MAX_DETAIL 16384

/* A streaming parser: feed it bytes as they arrive, in chunks of any size.
 * Each `SOTEST VERSION` line starts a new kernel section (a log may hold
 * several kernels one after the other, e.g. from the suite ISO). */
struct parser {
	struct strbuf line;
	size_t dropped;			/* bytes dropped from the current line */
	VEC(struct kresult *) logs;	/* sections in log order */
	/* Reused from line to line, so reading a record allocates nothing:
	 * a decoded value, tokens, and the values of the key=value fields
	 * certify knows (ms, ref, reason, msg, conditional). */
	struct strbuf scratch, token, name, fields[5];
	unsigned long long lines;
};

void parser_init(struct parser *p);
void parser_feed(struct parser *p, const char *buf, size_t n);
/* Read a final line that has no newline. */
void parser_finish(struct parser *p);
/* The section being read, NULL before the first protocol line. */
struct kresult *parser_current(const struct parser *p);
/* Frees the parser and every section still in logs. */
void parser_free(struct parser *p);

/* Parse one whole buffer (a log file). */
void parse_buffer(struct parser *p, const char *buf, size_t n);

#endif

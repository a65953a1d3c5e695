/* util.h: helpers every layer shares: allocation, growable strings and arrays, messages. */
#ifndef CERTIFY_UTIL_H
#define CERTIFY_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Out of memory is not a condition certify can report usefully per call, so
 * these abort with a message instead of making every caller check. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup that maps NULL to NULL. */
char *xstrdup_or_null(const char *s);

struct strbuf {
	char *buf;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
const char *sb_str(const struct strbuf *sb); /* "" when empty */
char *sb_steal(struct strbuf *sb);	     /* caller owns the result */
void sb_free(struct strbuf *sb);

/* A growable array of any element type: VEC(struct foo) v = {0}; */
#define VEC(type) struct { type *v; size_t n; size_t cap; }
#define VEC_PUSH(vec, item)                                                    \
	do {                                                                   \
		if ((vec).n == (vec).cap) {                                    \
			(vec).cap = (vec).cap ? (vec).cap * 2 : 8;             \
			(vec).v = xrealloc((vec).v, (vec).cap * sizeof(*(vec).v)); \
		}                                                              \
		(vec).v[(vec).n++] = (item);                                   \
	} while (0)

typedef VEC(char *) str_vec;
void str_vec_free(str_vec *v);
/* Appends a newly formatted string. */
void str_vec_pushf(str_vec *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_vec_vpushf(str_vec *v, const char *fmt, va_list ap);
bool str_vec_has(const str_vec *v, const char *s);

/* Messages on stderr, prefixed "certify: ". Errors say what to do next. */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verrorf(const char *fmt, va_list ap);
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool str_eq(const char *a, const char *b); /* NULL-safe */
/* Inline: the parser asks this of every line, and with a literal prefix
 * the compiler folds its length. */
static inline bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}
const char *str_or(const char *s, const char *fallback);
/* mkdir -p: the folder and any missing parents. Prints why not. */
int make_dirs(const char *path);
/* Read a whole file; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);

/* The "key = value" files (kernel.conf, profiles): reads the next setting
 * of a text, splitting it in place. Blank lines and '#' comments are
 * skipped; key and value come trimmed. Returns 1 with *key and *value, 0
 * at the end, -1 for a line without '='; *lineno counts the lines read, so
 * it names the line an error is about. */
int kv_next_line(char **cursor, int *lineno, char **key, char **value);
/* Cuts the next line off the text at *cursor, in place (its '\n' becomes
 * '\0'), moves *cursor past it and returns it; NULL once the text is used
 * up (or *cursor is NULL). */
char *next_line(char **cursor);
/* v as a whole decimal number from lo to hi into *out; false (and *out
 * unchanged) when v is empty, has anything after the digits or is out of
 * range. */
bool parse_int(const char *v, int lo, int hi, int *out);
/* Current UTC time as ISO 8601 with milliseconds (YYYY-MM-DDTHH:MM:SS.mmmZ). */
void iso_time_now(char out[32]);
/* Today's date (YYYY-MM-DD); $CERTIFY_TODAY overrides it so tests are stable. */
void today(char out[11]);
/* Milliseconds from a monotonic clock. */
long long mono_ms(void);

#endif

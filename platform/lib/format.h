/* A small printf: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ' '#',
 * width and precision (also '*'), length modifiers hh h l ll z j t. */
#ifndef PLATFORM_LIB_FORMAT_H
#define PLATFORM_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the output in pieces: n bytes at s, not NUL-terminated. A
 * literal run of the format, or one converted field, comes as one piece:
 * under a VMM that emulates every memory access a call per character was
 * most of the cost of printing. */
typedef void (*format_sink)(void *ctx, const char *s, size_t n);

/* Formats to a sink; returns the characters sent. */
int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always terminated when size > 0, returns the length
 * the full output would have had. */
int format_string(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vformat_string(char *buf, size_t size, const char *fmt, va_list ap);

#endif

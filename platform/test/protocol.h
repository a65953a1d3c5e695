/* Emitter of the output protocol (docs/protocol.md): the SoTest lines and
 * the CERTIFY lines. Builds hosted too, so the emitter can be tested against
 * certify's parser. */
#ifndef PLATFORM_TEST_PROTOCOL_H
#define PLATFORM_TEST_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"

#define PROTOCOL_VERSION 1

/* Where the lines go: the console in a kernel, a buffer in a unit test. */
void protocol_set_sink(format_sink sink, void *ctx);

/* printf to the sink (detail lines, free text). */
void protocol_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes `value` as a protocol value: bare when every byte is in the safe
 * set, else double-quoted with \" \\ and \xHH escapes. */
void protocol_put_value(const char *value);

void protocol_begin(unsigned cases);
void protocol_kernel(const char *kernel, const char *suite_version);
/* A formatted fact value is cut at PROTOCOL_FACT_MAX - 1 bytes; a longer
 * one (the command line) goes through protocol_fact_value, uncut. */
#define PROTOCOL_FACT_MAX 256
void protocol_fact(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void protocol_fact_value(const char *key, const char *value);
void protocol_case_start(const char *name);
void protocol_pass(const char *name, uint64_t ms, const char *ref);
void protocol_fail(const char *name, uint64_t ms, const char *ref,
                   const char *reason, const char *msg);
void protocol_skip_condition(const char *name, const char *condition);
void protocol_skip_cmdline(const char *name);
void protocol_benchmark(const char *name, const char *unit, int64_t value);
void protocol_end(void);
void protocol_cmdline_error(const char *msg);
void protocol_panic(const char *msg);
void protocol_list_begin(unsigned cases);
void protocol_list_case(const char *name, const char *ref, bool conditional);
void protocol_list_end(void);

#endif

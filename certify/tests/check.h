/* check.h: the few assertion macros certify's unit tests need; a failed check reports file:line and goes on. */
#ifndef CERTIFY_CHECK_H
#define CERTIFY_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                            \
		}                                                                    \
	} while (0)

#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *g_ = (got), *w_ = (want);                                    \
		if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) {        \
			fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  expected: %s\n  got:      %s\n", \
				__FILE__, __LINE__, #got, w_ ? w_ : "(null)", g_ ? g_ : "(null)"); \
			check_failures++;                                                \
		}                                                                        \
	} while (0)

#define CHECK_INT(got, want)                                                             \
	do {                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                 \
		if (g_ != w_) {                                                          \
			fprintf(stderr, "%s:%d: CHECK_INT failed: %s\n  expected: %lld\n  got:      %lld\n", \
				__FILE__, __LINE__, #got, w_, g_);                      \
			check_failures++;                                                \
		}                                                                        \
	} while (0)

#define RUN(test)                                   \
	do {                                        \
		int before_ = check_failures;       \
		test();                             \
		fprintf(stderr, "%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #test); \
	} while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : 0)

#endif

/* The test framework: case registration, assertions, and what a case may
 * ask of the runner.
 *
 *   TEST_CASE(lapic_timer_oneshot_fires_once, "SDM Vol. 3A 11.5.4") { ... }
 *   TEST_CASE_CONDITIONAL(x2apic_..., cpu_has_x2apic(), "SDM Vol. 3A 11.12") { ... }
 *
 * The manual reference is optional. Cases are registered in a linker
 * section (no heap, no constructors) and run in definition order. Each runs
 * inside the runner's catch frame: a failed ASSERT or an unexpected
 * exception ends the case, and the runner restores the platform. */
#ifndef PLATFORM_TEST_TEST_H
#define PLATFORM_TEST_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"

struct test_case {
    const char *name;
    void (*fn)(void);
    bool (*condition)(void);     /* NULL: always runs */
    const char *condition_text;
    const char *ref;             /* manual section, "" if none */
    const char *file;
    unsigned line;
};

#define TEST_CASE_DEFINE_(name_, cond_fn_, cond_text_, ref_)                     \
    static void test_body_##name_(void);                                         \
    static const struct test_case test_desc_##name_                              \
        __attribute__((used, section(".test_cases"), aligned(8))) = {            \
            #name_, test_body_##name_, cond_fn_, cond_text_, ref_, __FILE__,      \
            __LINE__ };                                                          \
    static void test_body_##name_(void)

/* TEST_CASE(name [, "manual reference"]) */
#define TEST_CASE(name_, ...) TEST_CASE_DEFINE_(name_, 0, 0, "" __VA_ARGS__)

/* TEST_CASE_CONDITIONAL(name, condition [, "manual reference"]): skipped with
 * the condition's text when it is false. */
#define TEST_CASE_CONDITIONAL(name_, cond_, ...)                                 \
    static bool test_cond_##name_(void) { return (cond_); }                      \
    TEST_CASE_DEFINE_(name_, test_cond_##name_, #cond_, "" __VA_ARGS__)

/* Why a case failed (docs/protocol.md, CERTIFY RESULT reason=). */
enum test_failure {
    FAIL_ASSERT,
    FAIL_TIMEOUT,
    FAIL_EXCEPTION,
    FAIL_WATCHDOG,
};

/* ------------------------------------------------------------ assertions */

/* Records a failure with detail lines; `fatal` ends the case. */
void test_fail(const char *file, unsigned line, bool fatal, enum test_failure why,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void test_fail_compare(const char *file, unsigned line, bool fatal, const char *expr,
                       const char *relation, uint64_t expected, uint64_t got, bool is_signed);
void test_fail_exception(const char *file, unsigned line, bool fatal, const char *expr,
                         exinfo_t expected, exinfo_t got);

enum test_op { TEST_OP_EQ, TEST_OP_NE, TEST_OP_LT, TEST_OP_LE, TEST_OP_GT, TEST_OP_GE };

bool test_compare_holds(enum test_op op, uint64_t got, uint64_t want, bool is_signed);

#define TEST_IS_SIGNED_(x)                                                      \
    _Generic((x), signed char: 1, short: 1, int: 1, long: 1, long long: 1, default: 0)

#define TEST_CMP_(fatal_, a_, op_, sym_, b_)                                    \
    do {                                                                        \
        uint64_t got__ = (uint64_t)(a_);                                        \
        uint64_t want__ = (uint64_t)(b_);                                       \
        bool signed__ = TEST_IS_SIGNED_(a_) || TEST_IS_SIGNED_(b_);             \
        if (!test_compare_holds(op_, got__, want__, signed__))                  \
            test_fail_compare(__FILE__, __LINE__, fatal_, #a_, sym_ " " #b_,    \
                              want__, got__, signed__);                         \
    } while (0)

#define ASSERT_EQ(a, b) TEST_CMP_(true, a, TEST_OP_EQ, "==", b)
#define ASSERT_NE(a, b) TEST_CMP_(true, a, TEST_OP_NE, "!=", b)
#define ASSERT_LT(a, b) TEST_CMP_(true, a, TEST_OP_LT, "<", b)
#define ASSERT_LE(a, b) TEST_CMP_(true, a, TEST_OP_LE, "<=", b)
#define ASSERT_GT(a, b) TEST_CMP_(true, a, TEST_OP_GT, ">", b)
#define ASSERT_GE(a, b) TEST_CMP_(true, a, TEST_OP_GE, ">=", b)
#define EXPECT_EQ(a, b) TEST_CMP_(false, a, TEST_OP_EQ, "==", b)
#define EXPECT_NE(a, b) TEST_CMP_(false, a, TEST_OP_NE, "!=", b)

#define ASSERT_TRUE(cond)                                                       \
    do {                                                                        \
        if (!(cond))                                                            \
            test_fail(__FILE__, __LINE__, true, FAIL_ASSERT,                    \
                      "expected true: %s", #cond);                              \
    } while (0)
#define ASSERT_FALSE(cond)                                                      \
    do {                                                                        \
        if (cond)                                                               \
            test_fail(__FILE__, __LINE__, true, FAIL_ASSERT,                    \
                      "expected false: %s", #cond);                             \
    } while (0)

/* ASSERT_EXCEPTION(wrmsr_safe(...), EXINFO_EC(X86_EXC_GP, 0)) */
#define ASSERT_EXCEPTION(expr, expected)                                        \
    do {                                                                        \
        exinfo_t got__ = (expr), want__ = (expected);                           \
        if (got__ != want__)                                                    \
            test_fail_exception(__FILE__, __LINE__, true, #expr, want__, got__); \
    } while (0)
#define ASSERT_NO_EXCEPTION(expr) ASSERT_EXCEPTION(expr, EXINFO_NONE)

#define FAIL(...) test_fail(__FILE__, __LINE__, true, FAIL_ASSERT, __VA_ARGS__)

/* ------------------------------------------------------------ waits */

/* A bounded wait tells the runner how it ended, so a failed assertion on
 * its result says what was waited for ("no IRQ on vector 0x40 within
 * 20 ms") and fails with reason=timeout. */
void test_note_wait(bool timed_out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ runner */

struct cmdline;

/* Number of registered cases. */
unsigned test_count(void);
/* Checks the case names of --enable/--disable-testcases (errors go into c). */
void test_check_cmdline(struct cmdline *c);
void test_list_all(void);
void test_run_all(const struct cmdline *c);

/* The case running now, or NULL. */
const struct test_case *test_current(void);

#endif

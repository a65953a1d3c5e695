/* The case runner: order, select, run each case in a catch frame, report
 * one verdict per case, restore the platform after it. */
#include "test/test.h"

#include <stdarg.h>

#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/interrupt.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/string.h"
#include "test/isolation.h"
#include "test/protocol.h"
#include "time/nmi_watchdog.h"
#include "time/timebase.h"

#define MAX_CASES 2048
#define MESSAGE_LENGTH 200

extern const struct test_case __test_cases_start[], __test_cases_end[];

/* What one case has done so far; reset before each case. */
struct case_state {
    const struct test_case *tc;
    unsigned failures;
    enum test_failure reason;       /* of the first failure */
    char msg[MESSAGE_LENGTH];       /* first failure, one line */
    bool wait_timed_out;
    char wait_msg[MESSAGE_LENGTH];
    bool verdict_printed;           /* SOTEST SUCCESS/FAIL is out */
};

static struct case_state state;
/* Filled before it is read: no zeroing at entry. */
static const struct test_case *ordered[MAX_CASES] __attribute__((section(".bss.noinit")));
static unsigned ordered_count;

static const char *const reason_names[] = {
    [FAIL_ASSERT] = "assert",
    [FAIL_TIMEOUT] = "timeout",
    [FAIL_EXCEPTION] = "exception",
    [FAIL_WATCHDOG] = "watchdog",
};

/* Definition order: each object file's cases are contiguous in the
 * section, but a compiler may emit one file's descriptors in any order, so
 * sort each run of same-file cases by line (insertion sort: stable, tiny). */
static void order_cases(void)
{
    if (ordered_count)
        return;
    for (const struct test_case *tc = __test_cases_start;
         tc < __test_cases_end && ordered_count < MAX_CASES; tc++)
        ordered[ordered_count++] = tc;
    for (unsigned i = 1; i < ordered_count; i++) {
        const struct test_case *x = ordered[i];
        unsigned j = i;
        while (j > 0 && ordered[j - 1]->file == x->file && ordered[j - 1]->line > x->line) {
            ordered[j] = ordered[j - 1];
            j--;
        }
        ordered[j] = x;
    }
}

unsigned test_count(void)
{
    order_cases();
    return ordered_count;
}

const struct test_case *test_current(void)
{
    return state.tc;
}

static const struct test_case *find_case(const char *name, size_t len)
{
    for (unsigned i = 0; i < ordered_count; i++)
        if (strncmp(ordered[i]->name, name, len) == 0 && ordered[i]->name[len] == '\0')
            return ordered[i];
    return NULL;
}

static void check_list(struct cmdline *c, const struct name_list *l, const char *option)
{
    size_t pos = 0, len;
    const char *name;
    while (name_list_next(l, &pos, &name, &len))
        if (len && !find_case(name, len))
            cmdline_error(c, "%s: no test case named '%.*s' in this kernel", option,
                          (int)(len > 80 ? 80 : len), name);
}

void test_check_cmdline(struct cmdline *c)
{
    order_cases();
    check_list(c, &c->enabled, "--enable-testcases");
    check_list(c, &c->disabled, "--disable-testcases");
}

void test_list_all(void)
{
    order_cases();
    protocol_list_begin(ordered_count);
    for (unsigned i = 0; i < ordered_count; i++)
        protocol_list_case(ordered[i]->name, ordered[i]->ref, ordered[i]->condition != NULL);
    protocol_list_end();
}

static void record_failure(enum test_failure why, const char *msg)
{
    if (state.failures++ == 0) {
        state.reason = why;
        format_string(state.msg, sizeof(state.msg), "%s", msg);
    }
}

/* An assertion right after a wait that ran out is a timeout: the message
 * then says what was waited for. */
static enum test_failure classify(enum test_failure why)
{
    return why == FAIL_ASSERT && state.wait_timed_out ? FAIL_TIMEOUT : why;
}

static void fail_common(bool fatal, enum test_failure why, const char *headline)
{
    why = classify(why);
    if (why == FAIL_TIMEOUT && state.wait_msg[0]) {
        protocol_printf("-   waited for: %s\n", state.wait_msg);
        record_failure(why, state.wait_msg);
    } else {
        record_failure(why, headline);
    }
    if (fatal)
        catch_unwind(1);
}

void test_fail(const char *file, unsigned line, bool fatal, enum test_failure why,
               const char *fmt, ...)
{
    char text[MESSAGE_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    vformat_string(text, sizeof(text), fmt, ap);
    va_end(ap);
    protocol_printf("- %s at %s:%u\n", text, file, line);
    fail_common(fatal, why, text);
}

bool test_compare_holds(enum test_op op, uint64_t got, uint64_t want, bool is_signed)
{
    int64_t sg = (int64_t)got, sw = (int64_t)want;
    switch (op) {
    case TEST_OP_EQ: return got == want;
    case TEST_OP_NE: return got != want;
    case TEST_OP_LT: return is_signed ? sg < sw : got < want;
    case TEST_OP_LE: return is_signed ? sg <= sw : got <= want;
    case TEST_OP_GT: return is_signed ? sg > sw : got > want;
    case TEST_OP_GE: return is_signed ? sg >= sw : got >= want;
    }
    return false;
}

/* `relation` is the operator and the right-hand side as written, e.g.
 * "== 1": the failure prints "expression: irq_wait(...) == 1". */
void test_fail_compare(const char *file, unsigned line, bool fatal, const char *expr,
                       const char *relation, uint64_t expected, uint64_t got, bool is_signed)
{
    char headline[MESSAGE_LENGTH];
    protocol_printf("- ASSERT failed at %s:%u\n", file, line);
    protocol_printf("-   expression: %s %s\n", expr, relation);
    if (is_signed) {
        protocol_printf("-   expected: %lld (0x%llx)\n", (long long)expected,
                        (unsigned long long)expected);
        protocol_printf("-   got: %lld (0x%llx)\n", (long long)got, (unsigned long long)got);
    } else {
        protocol_printf("-   expected: %llu (0x%llx)\n", (unsigned long long)expected,
                        (unsigned long long)expected);
        protocol_printf("-   got: %llu (0x%llx)\n", (unsigned long long)got,
                        (unsigned long long)got);
    }
    format_string(headline, sizeof(headline), "%s %s failed: got %lld (0x%llx)", expr, relation,
                  (long long)got, (unsigned long long)got);
    fail_common(fatal, FAIL_ASSERT, headline);
}

void test_fail_exception(const char *file, unsigned line, bool fatal, const char *expr,
                         exinfo_t expected, exinfo_t got)
{
    char want[32], have[32], headline[MESSAGE_LENGTH];
    exinfo_format(expected, want, sizeof(want));
    exinfo_format(got, have, sizeof(have));
    protocol_printf("- ASSERT_EXCEPTION failed at %s:%u\n", file, line);
    protocol_printf("-   expression: %s\n", expr);
    protocol_printf("-   expected exception: %s\n", want);
    protocol_printf("-   got: %s\n", have);
    format_string(headline, sizeof(headline), "%s: expected %s, got %s", expr, want, have);
    fail_common(fatal, FAIL_ASSERT, headline);
}

void test_note_wait(bool timed_out, const char *fmt, ...)
{
    state.wait_timed_out = timed_out;
    va_list ap;
    va_start(ap, fmt);
    vformat_string(state.wait_msg, sizeof(state.wait_msg), fmt, ap);
    va_end(ap);
}

static bool is_disabled(const struct cmdline *c, const struct test_case *tc)
{
    if (c->enabled.present && !name_list_contains(&c->enabled, tc->name))
        return true;
    return c->disabled.present && name_list_contains(&c->disabled, tc->name);
}

static void run_body(void *arg)
{
    const struct test_case *tc = arg;
    tc->fn();
}

struct condition_call {
    const struct test_case *tc;
    bool holds;
};

static void evaluate_condition(void *arg)
{
    struct condition_call *call = arg;
    call->holds = call->tc->condition();
}

/* A condition that faults (say, it reads an MSR this CPU lacks) is false:
 * the feature it asks about is not usable. */
static bool condition_holds(const struct test_case *tc)
{
    struct condition_call call = { tc, false };
    if (!exinfo_raised(run_catching(evaluate_condition, &call)))
        return call.holds;
    return false;
}

static void report_exception(const struct exception_record *rec)
{
    char what[32], msg[MESSAGE_LENGTH];
    exinfo_format(rec->info, what, sizeof(what));
    format_string(msg, sizeof(msg), "unexpected exception %s at RIP 0x%llx (CR2 0x%llx)",
                  what, (unsigned long long)rec->frame.rip, (unsigned long long)rec->cr2);
    protocol_printf("- %s in case %s\n", msg, state.tc->name);
    exception_dump(rec, "-   ");
    record_failure(FAIL_EXCEPTION, msg);
}

static void run_case(const struct test_case *tc)
{
    memset(&state, 0, sizeof(state));
    state.tc = tc;
    struct isolation_snapshot snapshot;
    isolation_save(&snapshot);
    interrupt_unexpected_reset();

    uint64_t start = timebase_now_ns();
    struct catch_frame cf;
    isolation_case_begin();
    bool unwound = catch_call(run_body, (void *)tc, &cf);
    isolation_case_end();
    uint64_t elapsed_ms = (timebase_now_ns() - start) / 1000000;

    if (unwound && cf.unwind_reason == 0) {
        if (nmi_watchdog_fired())
            record_failure(FAIL_WATCHDOG, "the case did not finish within the watchdog limit "
                                          "(stopped by the NMI watchdog: interrupts were disabled)");
        else if (isolation_watchdog_fired())
            record_failure(FAIL_WATCHDOG, "the case did not finish within the watchdog limit");
        else
            report_exception(&cf.record);
    }
    struct unexpected_interrupts u = interrupt_unexpected();
    if (u.count) {
        char msg[MESSAGE_LENGTH];
        format_string(msg, sizeof(msg),
                      "%u unexpected interrupt(s), first on vector 0x%02x, last on 0x%02x",
                      u.count, u.first_vector, u.last_vector);
        protocol_printf("- %s\n", msg);
        record_failure(FAIL_ASSERT, msg);
    }
    isolation_restore(&snapshot);

    state.verdict_printed = true;
    if (state.failures)
        protocol_fail(tc->name, elapsed_ms, tc->ref, reason_names[state.reason], state.msg);
    else
        protocol_pass(tc->name, elapsed_ms, tc->ref);
    state.tc = NULL;
}

static void run_case_entry(void *arg)
{
    run_case(arg);
}

/* An exception in the framework's own code around a case body fails that
 * case instead of stopping the kernel: the runner's catch frame takes it,
 * the platform goes back to the state it had before the first case, and
 * the next case runs. (Seen once under this host's nested KVM: a #PF with
 * CR2 0 reported at an instruction that touches no memory, between two
 * cases.) */
static void run_case_guarded(const struct test_case *tc, const struct isolation_snapshot *clean)
{
    struct catch_frame outer;
    state.verdict_printed = false;
    if (!catch_call(run_case_entry, (void *)tc, &outer))
        return;
    char what[32], msg[MESSAGE_LENGTH];
    exinfo_format(outer.record.info, what, sizeof(what));
    format_string(msg, sizeof(msg), "exception %s at RIP 0x%llx in the framework around the case",
                  what, (unsigned long long)outer.record.frame.rip);
    protocol_printf("- %s %s\n", msg, tc->name);
    exception_dump(&outer.record, "-   ");
    isolation_case_end();
    isolation_restore(clean);
    if (!state.verdict_printed)
        protocol_fail(tc->name, 0, tc->ref, reason_names[FAIL_EXCEPTION], msg);
    state.tc = NULL;
}

void test_run_all(const struct cmdline *c)
{
    order_cases();
    struct isolation_snapshot clean;
    isolation_save(&clean);
    for (unsigned i = 0; i < ordered_count; i++) {
        const struct test_case *tc = ordered[i];
        protocol_case_start(tc->name);
        if (tc->condition && !condition_holds(tc)) {
            protocol_skip_condition(tc->name, tc->condition_text);
            continue;
        }
        if (is_disabled(c, tc)) {
            protocol_skip_cmdline(tc->name);
            continue;
        }
        run_case_guarded(tc, &clean);
    }
}

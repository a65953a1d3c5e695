/* IA32_TSC_ADJUST and writes to the TSC (SDM Vol. 3B 18.17.3): writing
 * TSC_ADJUST moves the TSC by the difference, and writing the TSC moves
 * TSC_ADJUST by the same amount. Each case puts TSC_ADJUST back, so the
 * TSC (and the timebase) returns to where it would have been. */
#include "tsc.h"

#include "cpu/cpu.h"
#include "test/test.h"
#include "time/timebase.h"

/* About a second at any TSC rate from 1 to 5 GHz: far above read jitter. */
#define ADJUST_DELTA   (1ull << 32)
/* A WRMSR and two RDTSCs, each possibly a VM exit on a nested host. */
#define SLACK_NS       ms(5)

TEST_CASE_CONDITIONAL(writing_tsc_adjust_moves_the_tsc_by_the_difference, cpu_has_tsc_adjust(),
                      "SDM Vol. 3B 18.17.3")
{
    uint64_t adjust = rdmsr(MSR_IA32_TSC_ADJUST);
    uint64_t before = rdtsc();
    wrmsr(MSR_IA32_TSC_ADJUST, adjust + ADJUST_DELTA);
    uint64_t after = rdtsc();
    wrmsr(MSR_IA32_TSC_ADJUST, adjust);
    ASSERT_GE(after - before, ADJUST_DELTA);
    ASSERT_LE(after - before, ADJUST_DELTA + ns_to_tsc(SLACK_NS));
}

TEST_CASE_CONDITIONAL(tsc_adjust_reads_back_what_was_written, cpu_has_tsc_adjust(),
                      "SDM Vol. 3B 18.17.3")
{
    uint64_t adjust = rdmsr(MSR_IA32_TSC_ADJUST);
    wrmsr(MSR_IA32_TSC_ADJUST, adjust + ADJUST_DELTA);
    uint64_t read_back = rdmsr(MSR_IA32_TSC_ADJUST);
    wrmsr(MSR_IA32_TSC_ADJUST, adjust);
    ASSERT_EQ(read_back, adjust + ADJUST_DELTA);
}

/* "If an execution of WRMSR to the IA32_TIME_STAMP_COUNTER MSR adds (or
 * subtracts) value X from the TSC, the logical processor also adds (or
 * subtracts) value X from the IA32_TSC_ADJUST MSR." */
TEST_CASE_CONDITIONAL(writing_the_tsc_moves_tsc_adjust_by_the_same_amount, cpu_has_tsc_adjust(),
                      "SDM Vol. 3B 18.17.3")
{
    uint64_t adjust = rdmsr(MSR_IA32_TSC_ADJUST);
    uint64_t now = rdtsc();
    wrmsr(MSR_IA32_TSC, now + ADJUST_DELTA);
    uint64_t moved = rdmsr(MSR_IA32_TSC_ADJUST) - adjust;
    wrmsr(MSR_IA32_TSC_ADJUST, adjust);
    /* X = the written value minus the TSC at the WRMSR, a little later than `now`. */
    ASSERT_LE(moved, ADJUST_DELTA);
    ASSERT_GE(moved, ADJUST_DELTA - ns_to_tsc(SLACK_NS));
}

/* SDM Vol. 3B 18.17: WRMSR to IA32_TIME_STAMP_COUNTER sets the counter,
 * which goes on counting from there. */
TEST_CASE(writing_the_tsc_msr_sets_the_counter, "SDM Vol. 3B 18.17")
{
    bool restore_by_adjust = cpu_has_tsc_adjust();
    uint64_t adjust = restore_by_adjust ? rdmsr(MSR_IA32_TSC_ADJUST) : 0;
    uint64_t now = rdtsc();
    uint64_t target = now + ADJUST_DELTA;
    wrmsr(MSR_IA32_TSC, target);
    uint64_t after = rdtsc();
    if (restore_by_adjust)
        wrmsr(MSR_IA32_TSC_ADJUST, adjust);
    else
        wrmsr(MSR_IA32_TSC, after - ADJUST_DELTA);
    ASSERT_GE(after, target);
    ASSERT_LE(after, target + ns_to_tsc(SLACK_NS));
}

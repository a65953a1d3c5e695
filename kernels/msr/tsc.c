/* IA32_TIME_STAMP_COUNTER and IA32_TSC_ADJUST (SDM Vol. 3A 18.17): writing
 * the TSC moves what RDTSC returns, and moves TSC_ADJUST by the same
 * amount; writing TSC_ADJUST moves the TSC. Each case moves the TSC
 * forward by TSC_STEP_NS worth of ticks and back again before judging,
 * so the timebase (which only uses differences) is off by at most the
 * few microseconds in between. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"
#include "time/timebase.h"

#define TSC_STEP_NS        ms(100)
/* Between a WRMSR and the next RDTSC lie a few instructions, plus a VM
 * exit and the VMM's own work in a VM, or a slow emulator's slice: 10 ms
 * is three orders of magnitude above any of them and still far below the
 * 100 ms step, so an ignored write cannot pass. */
#define WRITE_TO_READ_SLACK_NS ms(10)

static bool cpu_has_tsc_adjust(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid(CPUID_LEAF_STRUCTURED).ebx & CPUID7_EBX_TSC_ADJUST);
}

/* SDM Vol. 3A 18.17: "the time-stamp counter can also be written with
 * WRMSR" (IA32_TIME_STAMP_COUNTER, 10H); RDTSC then counts on from the
 * written value. */
TEST_CASE(writing_ia32_tsc_moves_rdtsc, "SDM Vol. 3A 18.17")
{
    uint64_t step = ns_to_tsc(TSC_STEP_NS), slack = ns_to_tsc(WRITE_TO_READ_SLACK_NS);
    uint64_t written = rdtsc() + step;
    exinfo_t ex = wrmsr_safe(MSR_IA32_TSC, written);
    uint64_t read = rdtsc();
    (void)wrmsr_safe(MSR_IA32_TSC, rdtsc() - step);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_GE(read, written);
    ASSERT_LT(read, written + slack);
}

/* SDM Vol. 3A 18.17.3: "If an execution of WRMSR to the IA32_TIME_STAMP_
 * COUNTER MSR adds (or subtracts) value X from the TSC, the logical
 * processor also adds (or subtracts) value X from the IA32_TSC_ADJUST
 * MSR." Here X = written - TSC at the WRMSR, which is the step less the
 * ticks between the RDTSC and the WRMSR. */
TEST_CASE_CONDITIONAL(writing_ia32_tsc_moves_tsc_adjust_by_the_same_amount,
                      cpu_has_tsc_adjust(), "SDM Vol. 3A 18.17.3")
{
    uint64_t step = ns_to_tsc(TSC_STEP_NS), slack = ns_to_tsc(WRITE_TO_READ_SLACK_NS);
    uint64_t adjust_before = rdmsr(MSR_IA32_TSC_ADJUST);
    ASSERT_NO_EXCEPTION(wrmsr_safe(MSR_IA32_TSC, rdtsc() + step));
    uint64_t moved = rdmsr(MSR_IA32_TSC_ADJUST) - adjust_before;
    (void)wrmsr_safe(MSR_IA32_TSC, rdtsc() - step);
    ASSERT_LE(moved, step);
    ASSERT_GT(moved, step - slack);
}

/* SDM Vol. 3A 18.17.3: "If an execution of WRMSR to the IA32_TSC_ADJUST
 * MSR adds (or subtracts) value X from that MSR, the logical processor
 * also adds (or subtracts) value X from the TSC." */
TEST_CASE_CONDITIONAL(writing_tsc_adjust_moves_rdtsc_by_the_same_amount, cpu_has_tsc_adjust(),
                      "SDM Vol. 3A 18.17.3")
{
    uint64_t step = ns_to_tsc(TSC_STEP_NS), slack = ns_to_tsc(WRITE_TO_READ_SLACK_NS);
    uint64_t adjust = rdmsr(MSR_IA32_TSC_ADJUST);
    uint64_t before = rdtsc();
    exinfo_t ex = wrmsr_safe(MSR_IA32_TSC_ADJUST, adjust + step);
    uint64_t moved = rdtsc() - before;
    (void)wrmsr_safe(MSR_IA32_TSC_ADJUST, adjust);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_GE(moved, step);
    ASSERT_LT(moved, step + slack);
}

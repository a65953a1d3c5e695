/* The TSC only counts up: across back-to-back reads, across reads that
 * exit to the VMM, and against IA32_TIME_STAMP_COUNTER (SDM Vol. 3B
 * 18.17). One CPU only: the cross-CPU claim needs SMP. */
#include "tsc.h"

#include "cpu/cpu.h"
#include "test/test.h"

#define READS 10000
#define READS_WITH_EXITS 1000

/* SDM Vol. 2A CPUID: leaf 1 EDX[4] TSC. */
TEST_CASE(cpuid_reports_the_tsc, "SDM Vol. 2A CPUID")
{
    ASSERT_TRUE(cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_TSC);
}

/* SDM Vol. 3B 18.17: "The time-stamp counter ... is a 64-bit counter that
 * is set to 0 following a RESET ... [and] continues to increment". */
TEST_CASE(rdtsc_never_goes_backwards_across_consecutive_reads, "SDM Vol. 3B 18.17")
{
    uint64_t last = rdtsc(), backwards = 0;
    for (unsigned i = 0; i < READS; i++) {
        uint64_t now = rdtsc();
        backwards += now < last;
        last = now;
    }
    ASSERT_EQ(backwards, 0u);
}

/* CPUID always exits to a VMM: the TSC offset must hold across exits. */
TEST_CASE(rdtsc_never_goes_backwards_across_vm_exits, "SDM Vol. 3B 18.17")
{
    uint64_t last = rdtsc(), backwards = 0;
    for (unsigned i = 0; i < READS_WITH_EXITS; i++) {
        (void)cpuid(CPUID_LEAF_VENDOR);
        uint64_t now = rdtsc();
        backwards += now < last;
        last = now;
    }
    ASSERT_EQ(backwards, 0u);
}

TEST_CASE(rdtsc_advances, "SDM Vol. 3B 18.17")
{
    uint64_t first = rdtsc();
    (void)cpuid(CPUID_LEAF_VENDOR);
    ASSERT_GT(rdtsc(), first);
}

/* SDM Vol. 3B 18.17: RDMSR of IA32_TIME_STAMP_COUNTER reads the TSC. */
TEST_CASE(ia32_tsc_msr_reads_the_same_counter_as_rdtsc, "SDM Vol. 3B 18.17")
{
    uint64_t before = rdtsc();
    uint64_t msr = rdmsr(MSR_IA32_TSC);
    uint64_t after = rdtsc();
    ASSERT_GE(msr, before);
    ASSERT_LE(msr, after);
}

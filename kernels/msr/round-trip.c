/* Writable MSRs keep what is written (SDM Vol. 4 Table 2-2, each MSR
 * "R/W"). One case per MSR from the table of values below; each value is
 * legal on Intel and AMD alike (32-bit SYSENTER values: AMD keeps only
 * bits 31:0 of SYSENTER_ESP/EIP, a legacy-mode mechanism there), and the MSR is put
 * back after the check. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

#define CANONICAL_KERNEL_ADDRESS 0xffff800012345000ull
#define SYSENTER_SELECTOR        0x1230ull
#define SYSENTER_ADDRESS         0x12345678ull
#define STAR_SELECTORS_AND_EIP   0x0023001012345678ull   /* SYSRET CS 0x23, SYSCALL CS 0x10 */
#define FMASK_FLAGS              0x00047700ull           /* IF, DF, TF, AC and more */
#define TSC_AUX_VALUE            0x00001234ull
/* PAT entries 4-7 become WB, WC, WP, UC (5 and 6 differ from the power-up
 * WT, UC-); 0-3 keep the power-up WB, WT, UC-, UC that the boot page
 * tables use (SDM Vol. 3A 12.12.4). */
#define PAT_VALUE                0x0005010600070406ull

static void msr_keeps_what_is_written(uint32_t msr, uint64_t value)
{
    uint64_t saved, got;
    ASSERT_NO_EXCEPTION(rdmsr_safe(msr, &saved));
    ASSERT_NO_EXCEPTION(wrmsr_safe(msr, value));
    exinfo_t ex = rdmsr_safe(msr, &got);
    (void)wrmsr_safe(msr, saved);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(got, value);
}

static bool cpu_has_tsc_aux(void)
{
    return (cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_RDTSCP) ||
           (cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
            (cpuid(CPUID_LEAF_STRUCTURED).ecx & CPUID7_ECX_RDPID));
}

static bool cpu_has_pat(void)
{
    return cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_PAT;
}

#define ROUND_TRIP_CASE(name_, msr_, value_, cond_, ref_)                      \
    TEST_CASE_CONDITIONAL(name_##_keeps_what_is_written, cond_, ref_)         \
    {                                                                          \
        msr_keeps_what_is_written(msr_, value_);                               \
    }

ROUND_TRIP_CASE(sysenter_cs, MSR_IA32_SYSENTER_CS, SYSENTER_SELECTOR, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(sysenter_esp, MSR_IA32_SYSENTER_ESP, SYSENTER_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(sysenter_eip, MSR_IA32_SYSENTER_EIP, SYSENTER_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(star, MSR_STAR, STAR_SELECTORS_AND_EIP, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(lstar, MSR_LSTAR, CANONICAL_KERNEL_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(cstar, MSR_CSTAR, CANONICAL_KERNEL_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(fmask, MSR_FMASK, FMASK_FLAGS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(fs_base, MSR_FS_BASE, CANONICAL_KERNEL_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(gs_base, MSR_GS_BASE, CANONICAL_KERNEL_ADDRESS, true, "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(kernel_gs_base, MSR_KERNEL_GS_BASE, CANONICAL_KERNEL_ADDRESS, true,
                "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(tsc_aux, MSR_TSC_AUX, TSC_AUX_VALUE, cpu_has_tsc_aux(), "SDM Vol. 4 Table 2-2")
ROUND_TRIP_CASE(pat, MSR_IA32_PAT, PAT_VALUE, cpu_has_pat(), "SDM Vol. 3A 12.12.2")

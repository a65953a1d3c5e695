/* MSRs that hold linear addresses refuse a non-canonical one: WRMSR raises
 * #GP(0) and the MSR keeps its value (SDM Vol. 2B WRMSR: "#GP(0) if the
 * source register contains a non-canonical address and ECX specifies one
 * of the following MSRs: IA32_DS_AREA, IA32_FS_BASE, IA32_GS_BASE,
 * IA32_KERNEL_GS_BASE, IA32_LSTAR, IA32_SYSENTER_EIP, IA32_SYSENTER_ESP").
 * AMD keeps only 32 bits of SYSENTER_EIP/ESP (SYSENTER is a legacy-mode
 * instruction there, APM Vol. 3 SYSENTER) and does not list them, so those two cases run on Intel only. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

/* Non-canonical with 48-bit and with 57-bit linear addresses alike: a
 * processor that supports 5-level paging may check these MSRs against 57
 * bits even while CR4.LA57=0, so the values are non-canonical either way. */
static const uint64_t non_canonical_values[] = {
    0x8000000000000000ull,   /* bit 63 set, bits 62:47 clear */
    0x0100000000000000ull,   /* bit 56 set, bits 63:57 clear */
};

static void msr_refuses_non_canonical_addresses(uint32_t msr)
{
    uint64_t saved;
    ASSERT_NO_EXCEPTION(rdmsr_safe(msr, &saved));
    for (unsigned i = 0; i < sizeof(non_canonical_values) / sizeof(non_canonical_values[0]); i++) {
        uint64_t value = non_canonical_values[i], after;
        exinfo_t ex = wrmsr_safe(msr, value);
        ASSERT_NO_EXCEPTION(rdmsr_safe(msr, &after));
        (void)wrmsr_safe(msr, saved);
        if (ex != EXINFO_EC(X86_EXC_GP, 0) || after != saved)
            FAIL("WRMSR 0x%x <- 0x%llx: expected #GP(0) and the MSR unchanged (0x%llx), "
                 "got %s and 0x%llx", msr, (unsigned long long)value,
                 (unsigned long long)saved, exinfo_raised(ex) ? "an exception" : "none",
                 (unsigned long long)after);
    }
}

static bool vendor_is_intel(void)
{
    return cpu_vendor() == CPU_VENDOR_INTEL;
}

#define NON_CANONICAL_CASE(name_, msr_, cond_)                                        \
    TEST_CASE_CONDITIONAL(name_##_refuses_a_non_canonical_address, cond_, "SDM Vol. 2B WRMSR") \
    {                                                                                 \
        msr_refuses_non_canonical_addresses(msr_);                                    \
    }

NON_CANONICAL_CASE(fs_base, MSR_FS_BASE, true)
NON_CANONICAL_CASE(gs_base, MSR_GS_BASE, true)
NON_CANONICAL_CASE(kernel_gs_base, MSR_KERNEL_GS_BASE, true)
NON_CANONICAL_CASE(lstar, MSR_LSTAR, true)
NON_CANONICAL_CASE(sysenter_eip, MSR_IA32_SYSENTER_EIP, vendor_is_intel())
NON_CANONICAL_CASE(sysenter_esp, MSR_IA32_SYSENTER_ESP, vendor_is_intel())

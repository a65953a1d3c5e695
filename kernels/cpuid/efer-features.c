/* IA32_EFER feature bits against CPUID 80000001H: an enable bit of an
 * absent feature is reserved, and WRMSR setting it raises #GP(0)
 * (SDM Vol. 4 Table 2-2 IA32_EFER, Vol. 2B WRMSR). */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

struct efer_feature {
    uint64_t efer_bit;
    uint32_t ext_edx_bit;   /* CPUID 80000001H:EDX */
};

static const struct efer_feature efer_sce = { EFER_SCE, CPUID_EXT_EDX_SYSCALL };
static const struct efer_feature efer_nxe = { EFER_NXE, CPUID_EXT_EDX_NX };

/* Clears the bit, then sets it: accepted and read back when reported,
 * #GP(0) with EFER unchanged when not (the framework restores EFER). No
 * page-table entry of the boot map sets XD, so clearing NXE is harmless. */
static void efer_bit_is_settable_exactly_when_reported(const struct efer_feature *f)
{
    bool reported = cpuid(CPUID_LEAF_EXT_FEATURES).edx & f->ext_edx_bit;
    uint64_t efer = rdmsr(MSR_EFER) & ~f->efer_bit;
    ASSERT_NO_EXCEPTION(wrmsr_safe(MSR_EFER, efer));
    exinfo_t ex = wrmsr_safe(MSR_EFER, efer | f->efer_bit);
    if (reported) {
        ASSERT_NO_EXCEPTION(ex);
        ASSERT_EQ(rdmsr(MSR_EFER), efer | f->efer_bit);
    } else {
        ASSERT_EXCEPTION(ex, EXINFO_EC(X86_EXC_GP, 0));
        ASSERT_EQ(rdmsr(MSR_EFER), efer);
    }
}

/* SDM Vol. 2A CPUID 80000001H:EDX[11] "SYSCALL/SYSRET available in 64-bit
 * mode", enabled by EFER.SCE. */
TEST_CASE(efer_sce_is_settable_exactly_when_syscall_is_reported, "SDM Vol. 4 Table 2-2 IA32_EFER")
{
    efer_bit_is_settable_exactly_when_reported(&efer_sce);
}

/* SDM Vol. 2A CPUID 80000001H:EDX[20] "Execute Disable Bit available",
 * enabled by EFER.NXE (SDM Vol. 3A 4.1.4). */
TEST_CASE(efer_nxe_is_settable_exactly_when_nx_is_reported, "SDM Vol. 3A 4.1.4")
{
    efer_bit_is_settable_exactly_when_reported(&efer_nxe);
}

/* XSAVE support checks for the fpu kernel; see xsave-support.h. */
#include "xsave-support.h"

#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "fpu.h"
#include "test/test.h"

#define XSAVE_SUBLEAF_FEATURES   0
#define XSAVE_SUBLEAF_EXTENSIONS 1

bool cpu_has_xsave(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_XSAVE;
}

bool cpu_has_xsave_extension(uint32_t bit)
{
    return cpu_has_xsave() && cpuid_max_leaf() >= CPUID_LEAF_XSAVE &&
           (cpuid_count(CPUID_LEAF_XSAVE, XSAVE_SUBLEAF_EXTENSIONS).eax & bit);
}

uint64_t xcr0_supported(void)
{
    if (!cpu_has_xsave() || cpuid_max_leaf() < CPUID_LEAF_XSAVE)
        return 0;
    struct cpuid_regs r = cpuid_count(CPUID_LEAF_XSAVE, XSAVE_SUBLEAF_FEATURES);
    return ((uint64_t)r.edx << 32) | r.eax;
}

void xsave_enable(uint64_t xcr0)
{
    fpu_enable();
    write_cr4(read_cr4() | CR4_OSXSAVE);
    ASSERT_NO_EXCEPTION(xsetbv_safe(0, xcr0));
}

exinfo_t clear_ia32_xss(void)
{
    return wrmsr_safe(MSR_IA32_XSS, 0);
}

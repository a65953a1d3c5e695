/* The checks the msr kernel's cases share; see msr-checks.h. */
#include "msr-checks.h"

#include "cpu/cpu.h"
#include "cpu/safe.h"
#include "test/test.h"

void write_is_refused(uint32_t msr, uint64_t value)
{
    uint64_t saved = rdmsr(msr);
    exinfo_t ex = wrmsr_safe(msr, value);
    uint64_t after = rdmsr(msr);
    (void)wrmsr_safe(msr, saved);
    if (ex != EXINFO_EC(X86_EXC_GP, 0) || after != saved)
        FAIL("WRMSR 0x%x <- 0x%llx: expected #GP(0) and 0x%llx kept, got %s and 0x%llx", msr,
             (unsigned long long)value, (unsigned long long)saved,
             exinfo_raised(ex) ? "an exception" : "no exception", (unsigned long long)after);
}

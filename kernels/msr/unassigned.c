/* MSR addresses no vendor assigns: RDMSR and WRMSR raise #GP(0) (SDM Vol.
 * 2B RDMSR/WRMSR: "#GP(0) if the value in ECX specifies a reserved or
 * unimplemented MSR address"). The addresses lie outside every range
 * Intel (0-1FFFH, C0000000H-C0001FFFH), AMD (C0010000H-C0011FFFH) and
 * hypervisors (40000000H-400000FFH) use. */
#include "cpu/cpu.h"
#include "cpu/safe.h"
#include "test/test.h"

static const uint32_t unassigned_msrs[] = { 0x0badc0de, 0x80000000, 0xdeadbeef };

TEST_CASE(unassigned_msr_reads_raise_gp, "SDM Vol. 2B RDMSR")
{
    for (unsigned i = 0; i < sizeof(unassigned_msrs) / sizeof(unassigned_msrs[0]); i++) {
        uint64_t value;
        exinfo_t ex = rdmsr_safe(unassigned_msrs[i], &value);
        if (ex != EXINFO_EC(X86_EXC_GP, 0))
            FAIL("RDMSR 0x%x: expected #GP(0), got %s (value 0x%llx)", unassigned_msrs[i],
                 exinfo_raised(ex) ? "another exception" : "no exception",
                 (unsigned long long)value);
    }
}

TEST_CASE(unassigned_msr_writes_raise_gp, "SDM Vol. 2B WRMSR")
{
    for (unsigned i = 0; i < sizeof(unassigned_msrs) / sizeof(unassigned_msrs[0]); i++) {
        exinfo_t ex = wrmsr_safe(unassigned_msrs[i], 0);
        if (ex != EXINFO_EC(X86_EXC_GP, 0))
            FAIL("WRMSR 0x%x <- 0: expected #GP(0), got %s", unassigned_msrs[i],
                 exinfo_raised(ex) ? "another exception" : "no exception");
    }
}

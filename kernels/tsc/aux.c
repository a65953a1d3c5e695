/* IA32_TSC_AUX, RDTSCP and RDPID (SDM Vol. 2B RDTSCP, RDPID; Vol. 3B
 * 18.17.2). Last in the kernel: RDTSCP and RDPID are a KVM internal error
 * on this host's nested KVM, which stops the VM. */
#include "tsc.h"

#include "cpu/cpu.h"
#include "cpu/safe.h"
#include "cpu/usermode.h"
#include "test/test.h"

#define AUX_VALUE        0x12345678u
#define AUX_HIGH_BIT     (1ull << 32)

static bool tsc_aux_exists(void)
{
    return cpu_has_rdtscp() || cpu_has_rdpid();
}

/* SDM Vol. 3B 18.17.2: IA32_TSC_AUX holds a 32-bit signature. */
TEST_CASE_CONDITIONAL(tsc_aux_reads_back_what_was_written, tsc_aux_exists(),
                      "SDM Vol. 3B 18.17.2")
{
    wrmsr(MSR_TSC_AUX, AUX_VALUE);
    ASSERT_EQ(rdmsr(MSR_TSC_AUX), AUX_VALUE);
}

/* SDM Vol. 4 Table 2-2: IA32_TSC_AUX bits 63:32 are reserved: WRMSR with
 * any of them set is #GP(0), and the MSR keeps its value. Intel only: AMD
 * documents TSC_AUX[31:0] (APM Vol. 3 RDTSCP, RDPID) but not what a write
 * of the upper half does, and AMD processors drop it without a fault (KVM
 * x86.c, MSR_TSC_AUX: "AMD's APM has incomplete and conflicting
 * architectural behavior ... Current AMD CPUs completely ignore bits
 * 63:32"), so other vendors skip. */
TEST_CASE_CONDITIONAL(tsc_aux_with_a_reserved_bit_raises_gp_on_intel,
                      tsc_aux_exists() && cpu_vendor() == CPU_VENDOR_INTEL, "SDM Vol. 4 Table 2-2")
{
    wrmsr(MSR_TSC_AUX, 0);
    ASSERT_EXCEPTION(wrmsr_safe(MSR_TSC_AUX, AUX_HIGH_BIT | AUX_VALUE), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(rdmsr(MSR_TSC_AUX), 0u);
}

/* SDM Vol. 2B RDTSCP: EDX:EAX = TSC, ECX = IA32_TSC_AUX[31:0]. */
TEST_CASE_CONDITIONAL(rdtscp_returns_tsc_aux_in_ecx, cpu_has_rdtscp(), "SDM Vol. 2B RDTSCP")
{
    wrmsr(MSR_TSC_AUX, AUX_VALUE);
    uint32_t aux = 0;
    (void)rdtscp(&aux);
    ASSERT_EQ(aux, AUX_VALUE);
}

/* RDTSCP reads the same counter as RDTSC: never below an earlier RDTSC. */
TEST_CASE_CONDITIONAL(rdtscp_is_not_below_a_preceding_rdtsc, cpu_has_rdtscp(), "SDM Vol. 2B RDTSCP")
{
    uint32_t aux;
    uint64_t before = rdtsc();
    uint64_t tscp = rdtscp(&aux);
    ASSERT_GE(tscp, before);
    ASSERT_LE(tscp, rdtsc());
}

static void execute_rdtscp(void *arg)
{
    uint32_t aux;
    *(volatile uint64_t *)arg = rdtscp(&aux);
}

/* SDM Vol. 2B RDTSCP: "#GP(0) If the TSD flag in register CR4 is set and
 * the CPL is greater than 0". */
TEST_CASE_CONDITIONAL(rdtscp_in_ring3_with_cr4_tsd_raises_gp, cpu_has_rdtscp(), "SDM Vol. 2B RDTSCP")
{
    static volatile uint64_t sink;
    write_cr4(read_cr4() | CR4_TSD);
    ASSERT_EXCEPTION(run_in_user_mode(execute_rdtscp, (void *)&sink), EXINFO_EC(X86_EXC_GP, 0));
}

/* SDM Vol. 2B RDPID: the destination gets IA32_TSC_AUX. */
TEST_CASE_CONDITIONAL(rdpid_returns_tsc_aux, cpu_has_rdpid(), "SDM Vol. 2B RDPID")
{
    wrmsr(MSR_TSC_AUX, AUX_VALUE);
    ASSERT_EQ(rdpid(), AUX_VALUE);
}

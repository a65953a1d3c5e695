/* SYSENTER and SYSEXIT in 64-bit mode: Intel only (SDM Vol. 2B SYSENTER,
 * SYSEXIT); AMD processors raise #UD for both in long mode (AMD APM Vol. 3
 * SYSENTER, SYSEXIT). */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "cpu/usermode.h"
#include "lib/string.h"
#include "test/test.h"

#define SYSEXIT64_CS_OFFSET     32   /* CS = SYSENTER_CS + 32, SS = + 40 */
#define SYSEXIT64_SS_OFFSET     40
#define SYSENTER_STACK_SIZE     4096

static uint8_t sysenter_stack[SYSENTER_STACK_SIZE] __attribute__((aligned(16)));

static bool intel_with_sysenter(void)
{
    return cpu_vendor() == CPU_VENDOR_INTEL && (cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_SEP);
}

static void enable_sysenter(uint64_t cs)
{
    wrmsr(MSR_IA32_SYSENTER_CS, cs);
    wrmsr(MSR_IA32_SYSENTER_ESP, (uint64_t)&sysenter_stack[SYSENTER_STACK_SIZE]);
    wrmsr(MSR_IA32_SYSENTER_EIP, (uint64_t)sysenter_entry);
    memset(&kernel_seen, 0, sizeof(kernel_seen));
    memset(&user_seen, 0, sizeof(user_seen));
}

/* SDM Vol. 2B SYSENTER: CS = SYSENTER_CS, SS = +8, RSP = SYSENTER_ESP,
 * RIP = SYSENTER_EIP, IF, VM and RF cleared. Ring 3 runs with IF=1 here. */
TEST_CASE_CONDITIONAL(sysenter_loads_cs_ss_rsp_and_rip_from_the_sysenter_msrs,
                      intel_with_sysenter(), "SDM Vol. 2B SYSENTER")
{
    enable_sysenter(GDT_KERNEL_CS);
    ASSERT_NO_EXCEPTION(run_in_user_mode_flags(user_sysenter, (void *)USER_RFLAGS_DEFAULT,
                                               USER_RFLAGS_DEFAULT | RFLAGS_IF, 0));
    ASSERT_EQ(kernel_seen.cs, GDT_KERNEL_CS);
    ASSERT_EQ(kernel_seen.ss, GDT_KERNEL_DS);
    /* RECORD pushed nothing before it read RSP. */
    ASSERT_EQ(kernel_seen.rsp, (uint64_t)&sysenter_stack[SYSENTER_STACK_SIZE]);
    ASSERT_FALSE(kernel_seen.rflags & RFLAGS_IF);
}

/* SDM Vol. 2B SYSEXIT: with REX.W, CS = SYSENTER_CS + 32, SS = + 40, RPL 3,
 * RIP = RDX, RSP = RCX. With this GDT SS is the TSS slot: SYSEXIT loads
 * fixed flat attributes and never reads the descriptor. */
TEST_CASE_CONDITIONAL(sysexit_returns_to_rdx_with_rsp_from_rcx_and_cs_from_sysenter_cs,
                      intel_with_sysenter(), "SDM Vol. 2B SYSEXIT")
{
    enable_sysenter(GDT_KERNEL_CS);
    ASSERT_NO_EXCEPTION(run_in_user_mode(user_sysenter, (void *)USER_RFLAGS_DEFAULT));
    ASSERT_EQ(user_seen.cs, (GDT_KERNEL_CS + SYSEXIT64_CS_OFFSET) | SELECTOR_RPL3);
    ASSERT_EQ(user_seen.ss, (GDT_KERNEL_CS + SYSEXIT64_SS_OFFSET) | SELECTOR_RPL3);
    ASSERT_EQ(user_seen.rsp, user_before.rsp);
}

/* SDM Vol. 2B SYSENTER: "#GP(0) If IA32_SYSENTER_CS[15:2] = 0". */
TEST_CASE_CONDITIONAL(sysenter_with_a_null_sysenter_cs_raises_gp, intel_with_sysenter(),
                      "SDM Vol. 2B SYSENTER")
{
    enable_sysenter(0);
    ASSERT_EXCEPTION(run_in_user_mode(user_sysenter, (void *)USER_RFLAGS_DEFAULT),
                     EXINFO_EC(X86_EXC_GP, 0));
}

/* SDM Vol. 2B SYSEXIT: "#GP(0) If CPL != 0". */
TEST_CASE_CONDITIONAL(sysexit_in_ring3_raises_gp, intel_with_sysenter(), "SDM Vol. 2B SYSEXIT")
{
    enable_sysenter(GDT_KERNEL_CS);
    ASSERT_EXCEPTION(run_in_user_mode(user_sysexit, 0), EXINFO_EC(X86_EXC_GP, 0));
}

/* AMD APM Vol. 3 SYSENTER: "#UD: The processor is in long mode". */
TEST_CASE_CONDITIONAL(sysenter_in_long_mode_raises_ud_on_amd, cpu_vendor() == CPU_VENDOR_AMD,
                      "AMD APM Vol. 3 SYSENTER")
{
    enable_sysenter(GDT_KERNEL_CS);
    ASSERT_EXCEPTION(run_in_user_mode(user_sysenter, (void *)USER_RFLAGS_DEFAULT),
                     EXINFO(X86_EXC_UD));
}

/* SYSCALL and SYSRET in 64-bit mode (SDM Vol. 2B SYSCALL, SYSRET; Vol. 3A
 * 5.8.8; AMD APM Vol. 2 6.1.1): CS/SS from STAR, RIP from LSTAR, RCX and
 * R11 carry RIP and RFLAGS, FMASK clears flags, no stack switch. */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/interrupt.h"
#include "cpu/usermode.h"
#include "lib/string.h"
#include "test/test.h"

#define STAR_SYSCALL_CS_SHIFT 32
#define STAR_SYSRET_CS_SHIFT  48
#define SYSRET_RAX            0x5ca11ed0ull
#define NONCANONICAL_RIP      0x8000000000001000ull
/* The flags ring 3 makes the SYSCALL with: DF and AC can be set at CPL 3. */
#define USER_FLAGS            (USER_RFLAGS_DEFAULT | RFLAGS_DF | RFLAGS_AC)

static bool cpu_has_syscall(void)
{
    return cpuid_max_ext_leaf() >= CPUID_LEAF_EXT_FEATURES &&
           (cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_SYSCALL);
}

/* SYSCALL: CS = STAR[47:32], SS = +8. SYSRET (64-bit): CS = STAR[63:48]
 * + 16, SS = +8, both RPL 3: the GDT's user 32-bit CS, DS, 64-bit CS. */
static void enable_syscall(uint64_t fmask)
{
    wrmsr(MSR_STAR, ((uint64_t)GDT_KERNEL_CS << STAR_SYSCALL_CS_SHIFT) |
                        ((uint64_t)(GDT_USER_CS32 | SELECTOR_RPL3) << STAR_SYSRET_CS_SHIFT));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, fmask);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    syscall_plan = (struct syscall_plan){ SYSRET_RAX, 0, 0 };
    memset(&kernel_seen, 0, sizeof(kernel_seen));
    memset(&user_seen, 0, sizeof(user_seen));
    memset(&user_before, 0, sizeof(user_before));
}

/* One SYSCALL from ring 3 with USER_FLAGS, back by SYSRET. */
static void syscall_round_trip(uint64_t fmask)
{
    enable_syscall(fmask);
    ASSERT_NO_EXCEPTION(run_in_user_mode(user_syscall, (void *)USER_FLAGS));
}

/* SDM Vol. 2B SYSCALL: RCX <- RIP of the next instruction, R11 <- RFLAGS. */
TEST_CASE_CONDITIONAL(syscall_saves_rip_in_rcx_and_rflags_in_r11, cpu_has_syscall(),
                      "SDM Vol. 2B SYSCALL")
{
    syscall_round_trip(0);
    ASSERT_EQ(kernel_seen.rcx, (uint64_t)user_syscall_return);
    ASSERT_EQ(kernel_seen.r11, user_before.rflags);
    ASSERT_EQ(user_before.rflags & USER_FLAGS, USER_FLAGS);
}

/* SDM Vol. 2B SYSCALL: CS = STAR[47:32], SS = STAR[47:32] + 8, CPL 0. */
TEST_CASE_CONDITIONAL(syscall_loads_cs_and_ss_from_star, cpu_has_syscall(), "SDM Vol. 2B SYSCALL")
{
    syscall_round_trip(0);
    ASSERT_EQ(kernel_seen.cs, GDT_KERNEL_CS);
    ASSERT_EQ(kernel_seen.ss, GDT_KERNEL_DS);
}

/* SDM Vol. 2B SYSCALL: RFLAGS <- RFLAGS AND NOT IA32_FMASK; R11 keeps the
 * unmasked value. */
TEST_CASE_CONDITIONAL(syscall_clears_the_flags_set_in_fmask, cpu_has_syscall(),
                      "SDM Vol. 2B SYSCALL")
{
    syscall_round_trip(RFLAGS_DF | RFLAGS_AC);
    ASSERT_EQ(kernel_seen.rflags & (RFLAGS_DF | RFLAGS_AC), 0u);
    ASSERT_EQ(kernel_seen.r11 & (RFLAGS_DF | RFLAGS_AC), RFLAGS_DF | RFLAGS_AC);
}

/* SDM Vol. 2B SYSCALL: "SYSCALL does not save the stack pointer (RSP)":
 * the entry point runs on the ring-3 stack. */
TEST_CASE_CONDITIONAL(syscall_does_not_switch_the_stack, cpu_has_syscall(), "SDM Vol. 2B SYSCALL")
{
    syscall_round_trip(0);
    ASSERT_EQ(kernel_seen.rsp, user_before.rsp);
}

/* SDM Vol. 2B SYSRET: RIP <- RCX, RFLAGS <- (R11 & 3C7FD7H) | 2; the entry
 * point set CF in R11 and RAX. */
TEST_CASE_CONDITIONAL(sysret_returns_to_rcx_with_rflags_from_r11, cpu_has_syscall(),
                      "SDM Vol. 2B SYSRET")
{
    enable_syscall(RFLAGS_DF | RFLAGS_AC);
    syscall_plan.r11_set = RFLAGS_CF;
    ASSERT_NO_EXCEPTION(run_in_user_mode(user_syscall, (void *)USER_FLAGS));
    ASSERT_EQ(user_seen.rax, SYSRET_RAX);
    ASSERT_TRUE(user_seen.rflags & RFLAGS_CF);
    ASSERT_EQ(user_seen.rflags & (RFLAGS_DF | RFLAGS_AC), RFLAGS_DF | RFLAGS_AC);
}

/* SDM Vol. 2B SYSRET: 64-bit return: CS = STAR[63:48] + 16, SS =
 * STAR[63:48] + 8, both with RPL 3. */
TEST_CASE_CONDITIONAL(sysret_loads_the_user_cs_and_ss_from_star, cpu_has_syscall(),
                      "SDM Vol. 2B SYSRET")
{
    syscall_round_trip(0);
    ASSERT_EQ(user_seen.cs, GDT_USER_CS | SELECTOR_RPL3);
    ASSERT_EQ(user_seen.ss, GDT_USER_DS | SELECTOR_RPL3);
}

/* SDM Vol. 2B SYSCALL: "#UD If ... IA32_EFER.SCE = 0". */
TEST_CASE_CONDITIONAL(syscall_without_efer_sce_raises_ud, cpu_has_syscall(), "SDM Vol. 2B SYSCALL")
{
    enable_syscall(0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
    ASSERT_EXCEPTION(run_in_user_mode(user_syscall, (void *)USER_FLAGS), EXINFO(X86_EXC_UD));
}

/* SDM Vol. 2B SYSRET: "#GP(0) If CPL != 0". */
TEST_CASE_CONDITIONAL(sysret_in_ring3_raises_gp, cpu_has_syscall(), "SDM Vol. 2B SYSRET")
{
    enable_syscall(0);
    ASSERT_EXCEPTION(run_in_user_mode(user_sysret, 0), EXINFO_EC(X86_EXC_GP, 0));
}

/* SYSRET to a non-canonical RCX. Intel (SDM Vol. 2B SYSRET: "#GP(0) If the
 * return is to 64-bit mode and RCX contains a non-canonical address") faults
 * in ring 0, on the SYSRET, still on the user stack. AMD (APM Vol. 3
 * SYSRET) completes the return and the fetch faults in ring 3. */
static struct exception_record sysret_to_noncanonical(void)
{
    enable_syscall(0);
    syscall_plan.rcx_override = NONCANONICAL_RIP;
    struct exception_record rec;
    ASSERT_EXCEPTION(run_in_user_mode_flags(user_syscall, (void *)USER_FLAGS, USER_RFLAGS_DEFAULT,
                                            &rec),
                     EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(kernel_seen.cs, GDT_KERNEL_CS);   /* the SYSCALL itself went through */
    return rec;
}

TEST_CASE_CONDITIONAL(sysret_to_a_noncanonical_rcx_raises_gp_in_ring0_on_intel,
                      cpu_has_syscall() && cpu_vendor() == CPU_VENDOR_INTEL, "SDM Vol. 2B SYSRET")
{
    struct exception_record rec = sysret_to_noncanonical();
    ASSERT_EQ(rec.frame.cs, GDT_KERNEL_CS);
    ASSERT_EQ(rec.frame.rip, (uint64_t)syscall_entry_sysret);
    ASSERT_EQ(rec.frame.rsp, user_before.rsp);
}

TEST_CASE_CONDITIONAL(sysret_to_a_noncanonical_rcx_raises_gp_in_ring3_on_amd,
                      cpu_has_syscall() && cpu_vendor() == CPU_VENDOR_AMD,
                      "AMD APM Vol. 3 SYSRET")
{
    struct exception_record rec = sysret_to_noncanonical();
    ASSERT_EQ(rec.frame.cs, GDT_USER_CS | SELECTOR_RPL3);
    ASSERT_EQ(rec.frame.ss, GDT_USER_DS | SELECTOR_RPL3);
}

struct single_step_seen {
    uint64_t frame_address, dr6;
    unsigned count;
};

static void note_single_step(struct cpu_frame *frame, void *ctx)
{
    struct single_step_seen *s = ctx;
    s->frame_address = (uint64_t)frame;
    __asm__ volatile("mov %%dr6, %0" : "=r"(s->dr6));
    s->count++;
    catch_exception(frame, 0);
}

/* SDM Vol. 2B SYSCALL and Vol. 3B 18.3.1.4: with TF set and not in FMASK,
 * the single-step trap comes after SYSCALL, i.e. at the LSTAR target in
 * ring 0, still on the user stack: the reason #DB needs an IST stack. It
 * is delivered on IST_SPARE, never used before. */
TEST_CASE_CONDITIONAL(syscall_with_tf_raises_db_at_the_lstar_target_on_an_ist_stack,
                      cpu_has_syscall(), "SDM Vol. 2B SYSCALL; SDM Vol. 3B 18.3.1.4")
{
    struct single_step_seen s = { 0 };
    enable_syscall(0);
    idt_set_gate(X86_EXC_DB, IDT_TYPE_INTERRUPT_GATE, 0, IST_SPARE);
    interrupt_set_handler(X86_EXC_DB, note_single_step, &s);
    struct exception_record rec;
    exinfo_t got = run_in_user_mode_flags(user_syscall_single_step,
                                          (void *)(USER_RFLAGS_DEFAULT | RFLAGS_TF),
                                          USER_RFLAGS_DEFAULT, &rec);
    ASSERT_EXCEPTION(got, EXINFO(X86_EXC_DB));
    ASSERT_EQ(s.count, 1u);
    ASSERT_EQ(rec.frame.rip, (uint64_t)syscall_entry);
    ASSERT_EQ(rec.frame.cs, GDT_KERNEL_CS);
    ASSERT_EQ(rec.frame.rsp, user_before.rsp);
    ASSERT_TRUE(s.dr6 & DR6_BS);
    ASSERT_EQ(s.frame_address + sizeof(struct cpu_frame), ist_stack_top(IST_SPARE));
}

/* Single-step and data-breakpoint #DB, and what a MOV SS holds back.
 *
 * What the manuals say about MOV SS (the cases below assert exactly this):
 *  - SDM Vol. 3A 6.15 Interrupt 1 lists what happens on the instruction
 *    boundary after a MOV or POP that loads SS: with TF=1 "no single-step
 *    trap is generated" (for the MOV SS itself: the next instruction still
 *    runs with TF=1 and traps after itself); a data breakpoint the MOV SS
 *    hit is delivered "after completion of the instruction after the MOV or
 *    POP"; an instruction breakpoint on that next instruction is suppressed.
 *  - SDM Vol. 3A 6.8.3 and Vol. 2B MOV: the inhibition lasts until the
 *    boundary after the next instruction, no longer ("The inhibition ends
 *    after delivery of an exception or the execution of the next
 *    instruction"), and faults of that instruction are still delivered.
 *  - Interrupts are covered in shadows.c.
 *  - Neither manual treats an instruction that exits to a VMM specially:
 *    CPUID in the shadow is one instruction like any other, so the held
 *    #DB comes after it. That is what the _exits_to_the_vmm cases check.
 *  - The AMD APM does not describe which debug exceptions an SS load holds
 *    back. kvm-unit-tests (x86/debug.c, single-step with MOV SS blocking)
 *    expects the single-step behaviour above on both vendors, so those
 *    cases run everywhere; the data-breakpoint cases rest on the SDM alone
 *    and run on Intel only. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "test/test.h"

/* SDM Vol. 3B 18.3.1.4: "the processor generates a single-step debug
 * exception after the instruction" that ran with TF=1 (the POPF that set
 * it does not trap); DR6.BS reports it. */
TEST_CASE(single_step_traps_after_the_first_instruction_with_tf, "SDM Vol. 3B 18.3.1.4")
{
    write_dr6(DR6_INIT);
    struct exception_record rec = catch_record(trigger_single_step, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_single_step_after);
    ASSERT_TRUE(read_dr6() & DR6_BS);
    /* The image keeps TF: IRET would go on stepping (SDM Vol. 3A 6.12.1.3). */
    ASSERT_TRUE(rec.frame.rflags & RFLAGS_TF);
}

/* A trap-class #DB the MOV SS held back: exactly one, after the
 * instruction that follows the MOV SS (`after`), reporting `dr6_bits` of
 * BS and B0 (B1-B3 are not looked at: SDM Vol. 3B 18.2.3 lets them report
 * breakpoints DR7 does not enable). */
static void check_held_db(void (*trigger)(void *), const char *after, uint64_t dr6_bits,
                          uint64_t dr7)
{
    struct delivery d = { 0 };
    interrupt_set_handler(X86_EXC_DB, record_delivery_and_catch, &d);
    write_dr6(DR6_INIT);
    if (dr7) {
        write_dr0((uint64_t)&mov_ss_operand);
        write_dr7(dr7);
    }
    struct exception_record rec = catch_record(trigger, 0);
    uint64_t dr6 = read_dr6();
    write_dr7(DR7_FIXED1);     /* disarmed before any assertion can end the case */
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(d.count, 1u);
    ASSERT_EQ(rec.frame.rip, (uint64_t)after);
    ASSERT_EQ(dr6 & (DR6_BS | DR6_B0), dr6_bits);
}

/* SDM Vol. 3A 6.15 Interrupt 1: with TF=1, no single-step trap after the
 * MOV SS; the NOP after it traps after itself. */
TEST_CASE(mov_ss_holds_the_single_step_trap_for_one_instruction,
          "SDM Vol. 3A 6.15 Interrupt 1; SDM Vol. 3A 6.8.3")
{
    check_held_db(trigger_mov_ss_single_step, trigger_mov_ss_single_step_after, DR6_BS, 0);
}

/* The same with CPUID after the MOV SS: a VMM that intercepts CPUID must
 * deliver the single-step trap after the CPUID it completed, neither drop
 * it nor deliver it on the MOV SS boundary. */
TEST_CASE(mov_ss_holds_the_single_step_trap_across_an_instruction_that_exits_to_the_vmm,
          "SDM Vol. 3A 6.15 Interrupt 1; SDM Vol. 3A 6.8.3")
{
    check_held_db(trigger_mov_ss_cpuid_single_step, trigger_mov_ss_cpuid_single_step_after,
                  DR6_BS, 0);
}

/* A 2-byte read/write breakpoint on the word MOV SS reads. */
#define MOV_SS_OPERAND_BREAKPOINT                                             \
    (DR7_FIXED1 | DR7_L0 | (DR7_RW_ACCESS << DR7_RW0_SHIFT) | (DR7_LEN_2 << DR7_LEN0_SHIFT))

static void check_held_data_breakpoint(void (*trigger)(void *), const char *after)
{
    uint16_t ss;
    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    mov_ss_operand = ss;
    check_held_db(trigger, after, DR6_B0, MOV_SS_OPERAND_BREAKPOINT);
}

static bool intel(void)
{
    return cpu_vendor() == CPU_VENDOR_INTEL;
}

/* SDM Vol. 3A 6.15 Interrupt 1: "If the instruction encounters a data
 * breakpoint, the resulting debug exception is delivered after completion
 * of the instruction after the MOV or POP" (the behaviour behind
 * CVE-2018-8897). Intel only: see the top of this file. */
TEST_CASE_CONDITIONAL(mov_ss_holds_a_data_breakpoint_on_its_operand_for_one_instruction,
                      intel(), "SDM Vol. 3A 6.15 Interrupt 1")
{
    check_held_data_breakpoint(trigger_mov_ss_from_memory, trigger_mov_ss_from_memory_after);
}

/* The same with CPUID, which a VMM intercepts, as the next instruction:
 * the held data breakpoint comes after the CPUID. */
TEST_CASE_CONDITIONAL(
    mov_ss_holds_a_data_breakpoint_on_its_operand_across_an_instruction_that_exits_to_the_vmm,
    intel(), "SDM Vol. 3A 6.15 Interrupt 1")
{
    check_held_data_breakpoint(trigger_mov_ss_from_memory_cpuid,
                               trigger_mov_ss_from_memory_cpuid_after);
}

/* SDM Vol. 3A 6.12.1.2: delivery through an interrupt or trap gate clears
 * TF: the handler itself is not single-stepped. */
TEST_CASE(exception_delivery_clears_tf_in_the_handler, "SDM Vol. 3A 6.12.1.2")
{
    struct delivery d = { 0 };
    interrupt_set_handler(X86_EXC_DB, record_delivery_and_catch, &d);
    struct exception_record rec = catch_record(trigger_single_step, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(d.count, 1u);
    ASSERT_FALSE(d.handler_rflags & RFLAGS_TF);
}

/* Exception delivery, one trigger per case: the vector, the error code or
 * its absence, and the frame the CPU pushed (SDM Vol. 3A 6.14.2): RIP at
 * the instruction for a fault, after it for a trap (6.5), CS, SS, the RSP
 * and RFLAGS the instruction saw. Variants come from the table. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "test/test.h"

void check_delivery(const struct delivery_case *c)
{
    if (c->arrange)
        c->arrange();
    struct exception_record rec = catch_record(c->trigger, 0);
    if (c->cleanup)
        c->cleanup();
    ASSERT_EXCEPTION(rec.info, c->expected);
    ASSERT_EQ(rec.frame.rip, (uint64_t)(c->cls == FAULT ? c->insn : c->after));
    ASSERT_EQ(rec.frame.cs, GDT_KERNEL_CS);
    ASSERT_EQ(rec.frame.ss, GDT_KERNEL_DS);
    ASSERT_EQ(rec.frame.rsp, trigger_state.rsp);
    /* RF may be set in the image of a fault (SDM Vol. 3B 18.3.1.1): not
     * compared here, see rf_is_set_in_the_rflags_image_of_a_fault. */
    ASSERT_EQ(rec.frame.rflags & ~RFLAGS_RF, trigger_state.rflags);
}

/* SDM Vol. 3A 6.15 Interrupt 0: #DE is a fault with no error code. */
DELIVERY_CASE(divide_by_zero_raises_de_as_a_fault, "SDM Vol. 3A 6.15 Interrupt 0",
              divide_by_zero, EXINFO(X86_EXC_DE), FAULT)
/* SDM Vol. 2A IDIV: a quotient too large for the destination is #DE. */
DELIVERY_CASE(signed_divide_overflow_raises_de_as_a_fault, "SDM Vol. 2A IDIV",
              divide_overflow, EXINFO(X86_EXC_DE), FAULT)
/* SDM Vol. 2B UD: UD2 raises #UD, a fault with no error code. */
DELIVERY_CASE(ud2_raises_ud_as_a_fault, "SDM Vol. 3A 6.15 Interrupt 6",
              ud2, EXINFO(X86_EXC_UD), FAULT)
/* SDM Vol. 2A INTO: "#UD If in 64-bit mode". */
DELIVERY_CASE(into_raises_ud_in_64bit_mode, "SDM Vol. 2A INTO",
              into, EXINFO(X86_EXC_UD), FAULT)
/* SDM Vol. 2B POP: POP SS is invalid in 64-bit mode (opcode 17). */
DELIVERY_CASE(pop_ss_raises_ud_in_64bit_mode, "SDM Vol. 2B POP",
              pop_ss, EXINFO(X86_EXC_UD), FAULT)
/* SDM Vol. 2A LOCK: LOCK on an instruction without a memory destination is #UD. */
DELIVERY_CASE(lock_prefix_without_a_memory_operand_raises_ud, "SDM Vol. 2A LOCK",
              lock_on_register, EXINFO(X86_EXC_UD), FAULT)
/* SDM Vol. 2B MOV (control registers): CR1 does not exist: #UD. */
DELIVERY_CASE(mov_from_cr1_raises_ud, "SDM Vol. 2B MOV-Move to/from Control Registers",
              mov_from_cr1, EXINFO(X86_EXC_UD), FAULT)
/* SDM Vol. 3A 6.15 Interrupt 13: a non-canonical reference (not through
 * SS) is #GP(0). */
DELIVERY_CASE(noncanonical_load_raises_gp_zero, "SDM Vol. 3A 6.15 Interrupt 13",
              noncanonical_load, EXINFO_EC(X86_EXC_GP, 0), FAULT)
/* SDM Vol. 3A 6.15 Interrupt 12: a non-canonical reference through SS
 * (base RSP or RBP) is #SS(0). */
DELIVERY_CASE(noncanonical_stack_reference_raises_ss_zero, "SDM Vol. 3A 6.15 Interrupt 12",
              noncanonical_stack_load, EXINFO_EC(X86_EXC_SS, 0), FAULT)
/* SDM Vol. 2B RDMSR: an unimplemented MSR is #GP(0), with RIP still at the
 * RDMSR (a VMM that emulates it must inject a fault, not skip it). */
DELIVERY_CASE(rdmsr_of_an_unimplemented_msr_raises_gp_as_a_fault, "SDM Vol. 2B RDMSR",
              rdmsr_unimplemented, EXINFO_EC(X86_EXC_GP, 0), FAULT)
/* SDM Vol. 3B 18.3.1.1: "For any fault-class exception except a debug
 * exception generated in response to an instruction breakpoint, the value
 * pushed for RF is 1." The AMD APM (Vol. 2 3.1.6, RF) only says the
 * processor "normally sets RF=1" in the image when an exception occurs,
 * without the fault/trap rule: Intel only. */
TEST_CASE_CONDITIONAL(rf_is_set_in_the_rflags_image_of_a_fault,
                      cpu_vendor() == CPU_VENDOR_INTEL, "SDM Vol. 3B 18.3.1.1")
{
    struct exception_record rec = catch_record(trigger_ud2, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_UD));
    ASSERT_TRUE(rec.frame.rflags & RFLAGS_RF);
}

/* SDM Vol. 3B 18.3.1.1: a trap after the instruction completes (here the
 * single-step #DB) pushes the RF the code ran with: 0. Intel only: the AMD
 * wording above ("when an exception occurs ... normally sets RF=1") reads
 * as RF=1 for traps too, so the two manuals disagree here. */
TEST_CASE_CONDITIONAL(rf_is_clear_in_the_rflags_image_of_a_trap,
                      cpu_vendor() == CPU_VENDOR_INTEL, "SDM Vol. 3B 18.3.1.1")
{
    struct exception_record rec = catch_record(trigger_single_step, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_FALSE(rec.frame.rflags & RFLAGS_RF);
}

/* Single-step #DB: a trap after the first instruction that runs with TF=1,
 * DR6.BS set, and the MOV SS shadow that holds it back one instruction. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "test/test.h"

/* SDM Vol. 3B 18.3.1.4: "the processor generates a single-step debug
 * exception after the instruction" that ran with TF=1 (the POPF that set
 * it does not trap); DR6.BS reports it. */
TEST_CASE(single_step_traps_after_the_first_instruction_with_tf, "SDM Vol. 3B 18.3.1.4")
{
    write_dr6(DR6_RESET_VALUE);
    struct exception_record rec = catch_record(trigger_single_step, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_single_step_after);
    ASSERT_TRUE(read_dr6() & DR6_BS);
    /* The image keeps TF: IRET would go on stepping (SDM Vol. 3A 6.12.1.3). */
    ASSERT_TRUE(rec.frame.rflags & RFLAGS_TF);
}

/* SDM Vol. 2B MOV: "Loading the SS register with a MOV instruction
 * suppresses or inhibits some debug exceptions and inhibits interrupts on
 * the following instruction boundary": the first single-step #DB comes
 * after the instruction that follows MOV SS. */
TEST_CASE(mov_ss_holds_the_single_step_trap_for_one_instruction,
          "SDM Vol. 2B MOV; SDM Vol. 3A 6.8.3")
{
    write_dr6(DR6_RESET_VALUE);
    struct exception_record rec = catch_record(trigger_mov_ss_single_step, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_mov_ss_single_step_after);
    ASSERT_TRUE(read_dr6() & DR6_BS);
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

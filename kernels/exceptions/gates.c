/* Gates and stacks: IST switching, 16-byte alignment of the pushed frame,
 * IF on interrupt vs trap gates, and IRET back to a frame the handler
 * changed (SDM Vol. 3A 6.12, 6.14). */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "test/test.h"

#define IRET_TEST_RAX 0x1234567890abcdefull
#define STACK_ALIGNMENT 16

/* SDM Vol. 3A 6.14.5: a gate with a non-zero IST field switches to that
 * stack even without a privilege change, and the old RSP is pushed. */
TEST_CASE(exception_through_an_ist_gate_runs_on_the_ist_stack, "SDM Vol. 3A 6.14.5")
{
    struct delivery d = { 0 };
    idt_set_gate(X86_EXC_UD, IDT_TYPE_INTERRUPT_GATE, 0, IST_SPARE);
    interrupt_set_handler(X86_EXC_UD, record_delivery_and_catch, &d);
    struct exception_record rec = catch_record(trigger_ud2, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_UD));
    ASSERT_EQ(delivery_stack_start(&d), ist_stack_top(IST_SPARE));
    ASSERT_EQ(rec.frame.rsp, trigger_state.rsp);
}

/* SDM Vol. 3A 6.14.2: in 64-bit mode the CPU aligns RSP to 16 bytes before
 * pushing the frame, and pushes the unaligned RSP. */
TEST_CASE(exception_frame_is_pushed_16_byte_aligned, "SDM Vol. 3A 6.14.2")
{
    struct delivery d = { 0 };
    interrupt_set_handler(X86_EXC_UD, record_delivery_and_catch, &d);
    struct exception_record rec = catch_record(trigger_ud2_misaligned_stack, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_UD));
    ASSERT_NE(trigger_state.rsp % STACK_ALIGNMENT, 0u);
    ASSERT_EQ(rec.frame.rsp, trigger_state.rsp);
    ASSERT_EQ(delivery_stack_start(&d), trigger_state.rsp & ~(uint64_t)(STACK_ALIGNMENT - 1));
}

/* SDM Vol. 3A 6.12.1.3: an interrupt gate clears IF on entry, a trap gate
 * leaves it; both push the IF the code ran with. */
static void check_if_in_handler(uint8_t gate_type, bool if_expected)
{
    struct delivery d = { 0 };
    idt_set_gate(X86_EXC_UD, gate_type, 0, 0);
    interrupt_set_handler(X86_EXC_UD, record_delivery_and_catch, &d);
    struct exception_record rec = catch_record(trigger_ud2_with_interrupts_enabled, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_UD));
    ASSERT_TRUE(rec.frame.rflags & RFLAGS_IF);
    ASSERT_EQ(!!(d.handler_rflags & RFLAGS_IF), if_expected);
}

TEST_CASE(interrupt_gate_clears_if_in_the_handler, "SDM Vol. 3A 6.12.1.3")
{
    check_if_in_handler(IDT_TYPE_INTERRUPT_GATE, false);
}

TEST_CASE(trap_gate_leaves_if_set_in_the_handler, "SDM Vol. 3A 6.12.1.3")
{
    check_if_in_handler(IDT_TYPE_TRAP_GATE, true);
}

/* The handler redirects the interrupted code: new RIP, RAX and CF in the
 * frame. It changes only the return state; the case checks. */
static void redirect_to_resume(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    frame->rip = (uint64_t)trigger_ud2_resumable_resume;
    frame->rax = IRET_TEST_RAX;
    frame->rflags |= RFLAGS_CF;
}

/* SDM Vol. 2A IRET: IRETQ pops RIP, CS, RFLAGS, RSP, SS from the frame,
 * whatever the handler wrote there. */
TEST_CASE(iret_resumes_at_the_frame_the_handler_changed, "SDM Vol. 2A IRET; SDM Vol. 3A 6.14.3")
{
    interrupt_set_handler(X86_EXC_UD, redirect_to_resume, 0);
    iret_result.rax = 0;
    iret_result.carry = 0;
    struct exception_record rec = catch_record(trigger_ud2_resumable, 0);
    ASSERT_NO_EXCEPTION(rec.info);
    ASSERT_EQ(iret_result.rax, IRET_TEST_RAX);
    ASSERT_EQ(iret_result.carry, 1u);
}

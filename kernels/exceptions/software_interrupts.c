/* INT3, INT n and INT1 (SDM Vol. 2A INT n/INTO/INT1/INT3): traps whose
 * pushed RIP follows the instruction, and the gate DPL check that applies
 * to INT3 and INT n but not to INT1. Last in the kernel: this host's
 * nested KVM cannot emulate INT3, INT n or INT1 (a KVM internal error stops
 * the VM), so every case before these still runs there. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/usermode.h"
#include "cpu/vectors.h"
#include "test/irq.h"
#include "test/test.h"

#define SOFTWARE_VECTOR     0x40   /* in VECTOR_TEST_FIRST..VECTOR_TEST_LAST */
#define STRINGIFY_(x)       #x
#define STRINGIFY(x)        STRINGIFY_(x)
/* A software interrupt is not an external event: EXT = 0 (SDM Vol. 3A 6.13). */
#define GATE_ERROR_CODE(vector) (((uint32_t)(vector) << ERRCODE_INDEX_SHIFT) | ERRCODE_IDT)
#define USER_DPL            3

_Static_assert(SOFTWARE_VECTOR >= VECTOR_TEST_FIRST && SOFTWARE_VECTOR <= VECTOR_TEST_LAST,
               "a vector cases may use");

/* Each: the instruction at <name>_insn, the next one at <name>_after. */
#define SOFTWARE_TRIGGER(name, insn)                                         \
    __asm__(".pushsection .text\n"                                           \
            ".global " #name "\n" #name ":\n\t"                              \
            #name "_insn:\n\t" insn "\n"                                     \
            #name "_after:\n\t"                                              \
            "ret\n\t"                                                        \
            ".popsection");                                                  \
    void name(void *arg);                                                    \
    extern const char name##_insn[], name##_after[]

SOFTWARE_TRIGGER(execute_int3, "int3");
SOFTWARE_TRIGGER(execute_int_3, ".byte 0xcd, 0x03");   /* the two-byte INT 3 */
SOFTWARE_TRIGGER(execute_int_n, "int $" STRINGIFY(SOFTWARE_VECTOR));

/* SDM Vol. 2A INT3: #BP is a trap; the pushed RIP is the byte after the
 * one-byte CC, so IRET resumes after it. */
TEST_CASE(int3_raises_bp_after_the_one_byte_instruction, "SDM Vol. 2A INT3; SDM Vol. 3A 6.15 Interrupt 3")
{
    struct exception_record rec = catch_record(execute_int3, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_BP));
    ASSERT_EQ(rec.frame.rip, (uint64_t)execute_int3_after);
    ASSERT_EQ(rec.frame.rip - (uint64_t)execute_int3_insn, 1u);
    ASSERT_EQ(rec.frame.cs, GDT_KERNEL_CS);
}

/* SDM Vol. 2A INT n: CD 03 is INT n with n = 3: #BP after two bytes. */
TEST_CASE(int_3_two_byte_form_raises_bp_after_two_bytes, "SDM Vol. 2A INT n/INTO/INT1/INT3")
{
    struct exception_record rec = catch_record(execute_int_3, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_BP));
    ASSERT_EQ(rec.frame.rip, (uint64_t)execute_int_3_after);
    ASSERT_EQ(rec.frame.rip - (uint64_t)execute_int_3_insn, 2u);
}

/* SDM Vol. 2A INT n: delivered through gate n, RIP after the instruction,
 * then IRET returns there (the trigger returns normally). */
TEST_CASE(int_n_is_delivered_through_its_gate_and_returns, "SDM Vol. 2A INT n")
{
    struct irq_counter c = irq_counter_on(SOFTWARE_VECTOR, EOI_NONE);
    ASSERT_NO_EXCEPTION(run_catching(execute_int_n, 0));
    ASSERT_EQ(irq_count(&c), 1u);
    ASSERT_EQ(irq_last_rip(&c), (uint64_t)execute_int_n_after);
}

/* SDM Vol. 3A 6.13 and Vol. 2A INT n: a not-present gate is #NP with the
 * gate's index, IDT=1 and EXT=0 (a software interrupt is not external). */
TEST_CASE(int_n_through_a_not_present_gate_raises_np_without_ext, "SDM Vol. 2A INT n; SDM Vol. 3A 6.13")
{
    idt_gate_mark_not_present(SOFTWARE_VECTOR);
    struct exception_record rec = catch_record(execute_int_n, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO_EC(X86_EXC_NP, GATE_ERROR_CODE(SOFTWARE_VECTOR)));
    ASSERT_EQ(rec.frame.rip, (uint64_t)execute_int_n_insn);
}

/* SDM Vol. 2A INT n: from CPL 3 a gate with DPL < 3 is #GP(gate index
 * with IDT=1), a fault on the INT instruction. */
TEST_CASE(int_n_from_ring3_through_a_dpl0_gate_raises_gp, "SDM Vol. 2A INT n; SDM Vol. 3A 6.12.1.1")
{
    struct irq_counter c = irq_counter_on(SOFTWARE_VECTOR, EOI_NONE);
    struct exception_record rec;
    exinfo_t got = run_in_user_mode_flags(execute_int_n, 0, USER_RFLAGS_DEFAULT, &rec);
    ASSERT_EXCEPTION(got, EXINFO_EC(X86_EXC_GP, GATE_ERROR_CODE(SOFTWARE_VECTOR)));
    ASSERT_EQ(rec.frame.rip, (uint64_t)execute_int_n_insn);
    ASSERT_EQ(irq_count(&c), 0u);
}

TEST_CASE(int3_from_ring3_through_a_dpl0_gate_raises_gp, "SDM Vol. 2A INT3; SDM Vol. 3A 6.12.1.1")
{
    struct exception_record rec;
    exinfo_t got = run_in_user_mode_flags(execute_int3, 0, USER_RFLAGS_DEFAULT, &rec);
    ASSERT_EXCEPTION(got, EXINFO_EC(X86_EXC_GP, GATE_ERROR_CODE(X86_EXC_BP)));
    ASSERT_EQ(rec.frame.rip, (uint64_t)execute_int3_insn);
}

/* SDM Vol. 2A INT1 and Vol. 3A 6.15 Interrupt 1: INT1 (F1) raises #DB as
 * a trap: RIP after the one-byte instruction, no error code. The AMD APM
 * lists INT1 among the #DB sources whose instruction completes (Vol. 2
 * 8.2.2), the same. */
TEST_CASE(icebp_raises_db_as_a_trap, "SDM Vol. 2A INT n/INTO/INT1/INT3; SDM Vol. 3A 6.15 Interrupt 1")
{
    struct exception_record rec = catch_record(trigger_icebp, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO(X86_EXC_DB));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_icebp_after);
    ASSERT_EQ(rec.frame.rsp, trigger_state.rsp);
    ASSERT_EQ(rec.frame.cs, GDT_KERNEL_CS);
}

/* A DPL 3 gate lets ring 3 in; the handler sees the ring-3 CS. */
static void note_cs(struct cpu_frame *frame, void *ctx)
{
    *(uint64_t *)ctx = frame->cs;
}

TEST_CASE(int_n_from_ring3_through_a_dpl3_gate_is_delivered, "SDM Vol. 2A INT n; SDM Vol. 3A 6.12.1.1")
{
    uint64_t cs = 0;
    idt_set_gate(SOFTWARE_VECTOR, IDT_TYPE_TRAP_GATE, USER_DPL, 0);
    interrupt_set_handler(SOFTWARE_VECTOR, note_cs, &cs);
    ASSERT_NO_EXCEPTION(run_in_user_mode(execute_int_n, 0));
    ASSERT_EQ(cs, GDT_USER_CS | SELECTOR_RPL3);
}

/* SDM Vol. 2A INT n/INTO/INT1/INT3: the gate DPL check applies to "INT n,
 * INT3, or INTO; does not apply to INT1": #DB from ring 3 even through the
 * DPL 0 gate. The AMD APM does not spell out the DPL check for INT1; the
 * case asserts the SDM rule on both vendors (an AMD bare-metal baseline is
 * what confirms it there). */
TEST_CASE(icebp_from_ring3_ignores_the_gate_dpl, "SDM Vol. 2A INT n/INTO/INT1/INT3")
{
    struct exception_record rec;
    exinfo_t got = run_in_user_mode_flags(trigger_icebp, 0, USER_RFLAGS_DEFAULT, &rec);
    ASSERT_EXCEPTION(got, EXINFO(X86_EXC_DB));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_icebp_after);
    ASSERT_EQ(rec.frame.cs, GDT_USER_CS | SELECTOR_RPL3);
}

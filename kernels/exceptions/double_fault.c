/* Exceptions raised while delivering another (SDM Vol. 3A 6.15 Interrupt
 * 8, Table 6-4 and 6-5): a contributory exception during a contributory
 * one, or during a #PF, is #DF(0) on its IST stack; a contributory
 * exception during a benign one is delivered serially. A gate is made to
 * fault by clearing its P bit (#NP) or by cutting the IDT limit below it
 * (#GP); both error codes name the gate (IDT=1, 6.13). */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "test/test.h"

/* The error code of a fault on IDT gate `vector`, EXT left out. */
#define GATE_ERROR_CODE(vector) (((uint32_t)(vector) << ERRCODE_INDEX_SHIFT) | ERRCODE_IDT)

/* Under a PML4 entry the boot tables leave empty (they map 0-4 GiB). */
#define UNMAPPED_ADDRESS 0x100000000000ull

enum gate_breakage { GATE_NOT_PRESENT, GATE_BEYOND_IDT_LIMIT };

static void break_gate(uint8_t vector, enum gate_breakage how)
{
    if (how == GATE_NOT_PRESENT)
        idt_gate_mark_not_present(vector);
    else
        idt_set_limit((uint16_t)(vector * IDT_GATE_SIZE - 1));
}

static void read_unmapped(void *arg)
{
    (void)arg;
    trigger_read((void *)UNMAPPED_ADDRESS);
}

/* The first exception's vector is `broken`: its delivery faults, and the
 * pair decides #DF (on IST_DOUBLE_FAULT, error code 0). */
static void check_double_fault(uint8_t broken, enum gate_breakage how, void (*trigger)(void *))
{
    struct delivery d = { 0 };
    interrupt_set_handler(X86_EXC_DF, record_delivery_and_catch, &d);
    break_gate(broken, how);
    struct exception_record rec = catch_record(trigger, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO_EC(X86_EXC_DF, 0));
    ASSERT_EQ(d.count, 1u);
    /* 64-bit mode: the IST pointer is loaded as is, so the frame sits at
     * the very top of the stack (SDM Vol. 3A 6.14.5). */
    ASSERT_EQ(delivery_stack_start(&d), ist_stack_top(IST_DOUBLE_FAULT));
}

/* #GP, then #NP for its not-present gate: contributory + contributory. */
TEST_CASE(gp_through_a_not_present_gate_becomes_double_fault, "SDM Vol. 3A 6.15 Table 6-5")
{
    check_double_fault(X86_EXC_GP, GATE_NOT_PRESENT, trigger_noncanonical_load);
}

/* #GP, then #GP for a vector beyond the IDT limit. */
TEST_CASE(gp_beyond_the_idt_limit_becomes_double_fault, "SDM Vol. 3A 6.15 Table 6-5")
{
    check_double_fault(X86_EXC_GP, GATE_BEYOND_IDT_LIMIT, trigger_noncanonical_load);
}

/* #DE is contributory too. */
TEST_CASE(de_through_a_not_present_gate_becomes_double_fault, "SDM Vol. 3A 6.15 Table 6-4")
{
    check_double_fault(X86_EXC_DE, GATE_NOT_PRESENT, trigger_divide_by_zero);
}

/* #PF, then a contributory exception: #DF. */
TEST_CASE(pf_through_a_not_present_gate_becomes_double_fault, "SDM Vol. 3A 6.15 Table 6-5")
{
    check_double_fault(X86_EXC_PF, GATE_NOT_PRESENT, read_unmapped);
}

/* #UD is benign: the #NP its gate raises is delivered on its own, as a
 * fault on the UD2, with the gate's index and IDT=1. EXT: the SDM (6.13)
 * sets it when the exception "occurred during delivery of an event
 * external to the program, such as an interrupt or an earlier exception",
 * so 1 here. The AMD APM (Vol. 2 8.4.1) defines EXT as "the exception
 * source is external to the processor", which leaves a #NP on the way to a
 * #UD open: on AMD the bit is not compared. */
TEST_CASE(ud_through_a_not_present_gate_raises_np_serially, "SDM Vol. 3A 6.15 Table 6-5; 6.13")
{
    break_gate(X86_EXC_UD, GATE_NOT_PRESENT);
    struct exception_record rec = catch_record(trigger_ud2, 0);
    exinfo_t got = rec.info;
    exinfo_t expected = EXINFO_EC(X86_EXC_NP, GATE_ERROR_CODE(X86_EXC_UD) | ERRCODE_EXT);
    if (cpu_vendor() != CPU_VENDOR_INTEL) {
        got &= ~(exinfo_t)ERRCODE_EXT;
        expected &= ~(exinfo_t)ERRCODE_EXT;
    }
    ASSERT_EXCEPTION(got, expected);
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_ud2_insn);
}

/* SDM Vol. 3A 8.7 / 6.15 Interrupt 10: #TS comes from task switches,
 * which IA-32e mode does not have; IRET with NT=1 would be a task return
 * and is #GP(0) instead (SDM Vol. 2A IRET, "IA-32e mode: IF NT = 1 THEN
 * #GP(0)"). So this kernel raises no #TS: this is the case in its place. */
TEST_CASE(iret_with_nt_set_raises_gp_not_a_task_return, "SDM Vol. 2A IRET; SDM Vol. 3A 8.7")
{
    struct exception_record rec = catch_record(trigger_iret_with_nt, 0);
    ASSERT_EXCEPTION(rec.info, EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(rec.frame.rip, (uint64_t)trigger_iret_with_nt_insn);
}

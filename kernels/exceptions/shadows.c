/* Interrupt shadows with a self-IPI already pending in the IRR: STI and
 * MOV SS each hold the interrupt for one more instruction, also when that
 * instruction (CPUID) exits to the VMM, which must then not inject before
 * the instruction has completed (SDM Vol. 2B STI, Vol. 2B MOV, Vol. 3A
 * 6.8.3). The interrupt's pushed RIP shows where it was taken. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/vectors.h"
#include "drivers/lapic.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"

#define SHADOW_VECTOR VECTOR_TEST_FIRST
#define IRR_WAIT_NS   us(1000)   /* a self-IPI reaches the IRR in well under 1 ms */

/* Each sequence enables interrupts and returns the address where the
 * pending interrupt must be taken (it ends with CLI there). */
static uint64_t sti_nop(void)
{
    uint64_t expected;
    __asm__ volatile("sti\n\t"
                     "nop\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=r"(expected) : : "memory");
    return expected;
}

static uint64_t sti_cpuid(void)
{
    uint64_t expected;
    __asm__ volatile("xor %%eax, %%eax\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "sti\n\t"
                     "cpuid\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=D"(expected) : : "rax", "rbx", "rcx", "rdx", "memory");
    return expected;
}

/* STI's shadow covers the MOV SS; the MOV SS shadow then covers the next
 * instruction. Real hardware keeps one blocking state per boundary (the
 * VMX interruptibility state has "blocking by STI" and "blocking by MOV
 * SS", SDM Vol. 3C 25.4.2), so the interrupt comes after the NOP. */
static uint64_t sti_mov_ss_nop(void)
{
    uint64_t expected;
    __asm__ volatile("mov %%ss, %%eax\n\t"
                     "sti\n\t"
                     "mov %%eax, %%ss\n\t"
                     "nop\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=r"(expected) : : "rax", "memory");
    return expected;
}

static uint64_t sti_mov_ss_cpuid(void)
{
    uint64_t expected;
    __asm__ volatile("mov %%ss, %%esi\n\t"
                     "xor %%eax, %%eax\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "sti\n\t"
                     "mov %%esi, %%ss\n\t"
                     "cpuid\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=D"(expected) : : "rax", "rbx", "rcx", "rdx", "rsi", "memory");
    return expected;
}

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

static void check_shadow(uint64_t (*sequence)(void))
{
    struct irq_counter irqs = irq_counter_on(SHADOW_VECTOR, EOI_LAPIC);
    lapic_self_ipi(SHADOW_VECTOR);
    deadline_t d = deadline_after(IRR_WAIT_NS);
    while (!lapic_vector_bit(LAPIC_IRR0, SHADOW_VECTOR) && !deadline_passed(d))
        pause();
    ASSERT_TRUE(lapic_vector_bit(LAPIC_IRR0, SHADOW_VECTOR));
    uint64_t expected = sequence();
    ASSERT_EQ(irq_count(&irqs), 1u);
    ASSERT_EQ(irq_last_rip(&irqs), expected);
}

/* SDM Vol. 2B STI: "interrupts are not recognized until after the
 * instruction following STI has been executed" (IF was 0). */
TEST_CASE_CONDITIONAL(sti_shadow_holds_a_pending_interrupt_for_one_instruction,
                      lapic_usable(), "SDM Vol. 2B STI")
{
    check_shadow(sti_nop);
}

TEST_CASE_CONDITIONAL(sti_shadow_holds_across_an_instruction_that_exits_to_the_vmm,
                      lapic_usable(), "SDM Vol. 2B STI")
{
    check_shadow(sti_cpuid);
}

/* SDM Vol. 2B MOV: MOV SS "inhibits interrupts on the following
 * instruction boundary". Relies on the chaining explained at
 * sti_mov_ss_nop; if real hardware ends both shadows together, the
 * interrupt comes one instruction earlier and this case is wrong. */
TEST_CASE_CONDITIONAL(mov_ss_shadow_holds_a_pending_interrupt_for_one_instruction,
                      lapic_usable(), "SDM Vol. 2B MOV; SDM Vol. 3A 6.8.3")
{
    check_shadow(sti_mov_ss_nop);
}

TEST_CASE_CONDITIONAL(mov_ss_shadow_holds_across_an_instruction_that_exits_to_the_vmm,
                      lapic_usable(), "SDM Vol. 2B MOV; SDM Vol. 3A 6.8.3")
{
    check_shadow(sti_mov_ss_cpuid);
}

/* Interrupt shadows with a self-IPI already pending in the IRR: STI (IF was
 * 0) holds the interrupt for one instruction, also when that instruction
 * (CPUID) exits to the VMM, which must then not inject it before the
 * instruction has completed nor keep holding it afterwards. The
 * interrupt's pushed RIP shows the boundary where it was taken.
 *
 * MOV SS "inhibits interrupts on the following instruction boundary" (SDM
 * Vol. 2B MOV; Vol. 3A 6.8.3), but no case can show that on its own: the
 * interrupt must be pending and unmasked at the boundary after the MOV SS
 * yet held at the one before, and only an STI (or another SS load) right
 * before can hold it there. For such a sequence the SDM guarantees only
 * the first shadow. Its STI page says "in a sequence of instructions that
 * individually delay interrupts past the following instruction, only the
 * first instruction in the sequence is guaranteed to delay the interrupt",
 * with exactly STI; MOV SS, AX; MOV ESP, EBP as the example (editions
 * since give the rule with STI; STI; RET, and under MOV with MOV SS; MOV
 * SS; MOV ESP, and say nothing of the mixed pair either way). So for
 * STI; MOV SS; X the cases accept the interrupt after the MOV SS or after
 * X, and check what is guaranteed: not before the MOV SS (the STI shadow),
 * exactly once, and no later than after X (a shadow ends with its next
 * instruction, whatever the VMM did to complete it). The debug exceptions
 * a MOV SS holds back, which can be shown on their own, are in debug.c. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/vectors.h"
#include "drivers/lapic.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"

#define SHADOW_VECTOR VECTOR_TEST_FIRST
#define IRR_WAIT_NS   us(1000)   /* a self-IPI reaches the IRR in well under 1 ms */

/* The boundaries of a sequence: after the instruction in the STI shadow
 * (after the MOV SS for the STI; MOV SS pairs), and after the instruction
 * after that. The sequences end with CLI at `latest`. */
struct boundaries {
    uint64_t earliest, latest;
};

static struct boundaries sti_nop(void)
{
    uint64_t latest;
    __asm__ volatile("sti\n\t"
                     "nop\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=r"(latest) : : "memory");
    return (struct boundaries){ latest, latest };
}

static struct boundaries sti_cpuid(void)
{
    uint64_t latest;
    __asm__ volatile("xor %%eax, %%eax\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "sti\n\t"
                     "cpuid\n"
                     "1:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0"
                     : "=D"(latest) : : "rax", "rbx", "rcx", "rdx", "memory");
    return (struct boundaries){ latest, latest };
}

static struct boundaries sti_mov_ss_nop(void)
{
    uint64_t earliest, latest;
    __asm__ volatile("mov %%ss, %%eax\n\t"
                     "sti\n\t"
                     "mov %%eax, %%ss\n"
                     "1:\n\t"
                     "nop\n"
                     "2:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %0\n\t"
                     "lea 2b(%%rip), %1"
                     : "=r"(earliest), "=r"(latest) : : "rax", "memory");
    return (struct boundaries){ earliest, latest };
}

static struct boundaries sti_mov_ss_cpuid(void)
{
    uint64_t earliest, latest;
    __asm__ volatile("mov %%ss, %%esi\n\t"
                     "xor %%eax, %%eax\n\t"
                     "xor %%ecx, %%ecx\n\t"
                     "sti\n\t"
                     "mov %%esi, %%ss\n"
                     "1:\n\t"
                     "cpuid\n"
                     "2:\n\t"
                     "cli\n\t"
                     "lea 1b(%%rip), %%rsi\n\t"
                     "lea 2b(%%rip), %%rdi"
                     : "=S"(earliest), "=D"(latest) : : "rax", "rbx", "rcx", "rdx", "memory");
    return (struct boundaries){ earliest, latest };
}

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

static void check_shadow(struct boundaries (*sequence)(void))
{
    struct irq_counter irqs = irq_counter_on(SHADOW_VECTOR, EOI_LAPIC);
    lapic_self_ipi(SHADOW_VECTOR);
    deadline_t d = deadline_after(IRR_WAIT_NS);
    while (!lapic_vector_bit(LAPIC_IRR0, SHADOW_VECTOR) && !deadline_passed(d))
        pause();
    ASSERT_TRUE(lapic_vector_bit(LAPIC_IRR0, SHADOW_VECTOR));
    struct boundaries b = sequence();
    ASSERT_EQ(irq_count(&irqs), 1u);
    uint64_t rip = irq_last_rip(&irqs);
    if (rip != b.earliest && rip != b.latest)
        FAIL("interrupt taken at RIP 0x%llx, expected 0x%llx or 0x%llx",
             (unsigned long long)rip, (unsigned long long)b.earliest,
             (unsigned long long)b.latest);
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

/* STI; MOV SS; NOP: after the MOV SS or after the NOP (see the top). */
TEST_CASE_CONDITIONAL(mov_ss_after_sti_takes_a_pending_interrupt_by_the_next_instruction,
                      lapic_usable(), "SDM Vol. 2B STI; SDM Vol. 2B MOV; SDM Vol. 3A 6.8.3")
{
    check_shadow(sti_mov_ss_nop);
}

/* STI; MOV SS; CPUID: after the MOV SS or after the CPUID the VMM
 * completed, never held past it. */
TEST_CASE_CONDITIONAL(mov_ss_after_sti_takes_a_pending_interrupt_by_a_cpuid_that_exits_to_the_vmm,
                      lapic_usable(), "SDM Vol. 2B STI; SDM Vol. 2B MOV; SDM Vol. 3A 6.8.3")
{
    check_shadow(sti_mov_ss_cpuid);
}

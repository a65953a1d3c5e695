/* A pending interrupt and the moment it becomes deliverable: after STI
 * (and its one-instruction shadow), after HLT, after the TPR drops
 * (SDM Vol. 2B STI, Vol. 3A 6.8.3, 11.8.3.1). */
#include "cpu/cpu.h"
#include "drivers/lapic.h"
#include "interrupt_log.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

#define PENDING_VECTOR    0x64
#define ARRIVE_TIMEOUT_NS ms(20)
/* Long enough for a wrongly delivered interrupt to show up. */
#define QUIET_NS          us(500)
#define AFTER_NS          ms(5)

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* Raises PENDING_VECTOR with IF=0 and checks it waits in the IRR. */
static struct irq_counter raise_pending(void)
{
    struct irq_counter irqs = irq_counter_on(PENDING_VECTOR, EOI_LAPIC);
    send_self_ipi(PENDING_VECTOR);
    delay_ns(QUIET_NS);
    ASSERT_EQ(irq_count(&irqs), 0);
    ASSERT_TRUE(lapic_vector_bit(LAPIC_IRR0, PENDING_VECTOR));
    return irqs;
}

static void delivered_exactly_once(const struct irq_counter *irqs)
{
    ASSERT_EQ(irq_quiet_for(irqs, AFTER_NS), 0);
    ASSERT_EQ(irq_count(irqs), 1);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_IRR0, PENDING_VECTOR));
    ASSERT_FALSE(lapic_vector_bit(LAPIC_ISR0, PENDING_VECTOR));
}

/* SDM Vol. 3A 6.8.1, 11.8.4: a fixed interrupt raised with IF=0 stays in
 * the IRR and is delivered once, as soon as IF=1. */
static void pending_interrupt_arrives_once_after_sti(enum wait_mode mode)
{
    struct irq_counter irqs = raise_pending();
    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, mode), 1);
    delivered_exactly_once(&irqs);
}

TEST_CASE_CONDITIONAL(pending_interrupt_arrives_once_after_sti_spin, lapic_usable(),
                      "SDM Vol. 3A 6.8.1")
{
    pending_interrupt_arrives_once_after_sti(WAIT_SPIN);
}

TEST_CASE_CONDITIONAL(pending_interrupt_arrives_once_after_sti_hlt, lapic_usable(),
                      "SDM Vol. 3A 6.8.1")
{
    pending_interrupt_arrives_once_after_sti(WAIT_HLT);
}

static void tpr_by_register(unsigned cls)
{
    lapic_write(LAPIC_TPR, class_vector(cls, 0));
}

static void tpr_by_cr8(unsigned cls)
{
    write_cr8(cls);
}

/* SDM Vol. 3A 11.8.3.1: with IF=1 a vector held back by the TPR waits in
 * the IRR and arrives once when the TPR drops below its class. */
static void pending_interrupt_arrives_once_when_tpr_drops(void (*set_class)(unsigned cls))
{
    set_class(priority_class(PENDING_VECTOR));
    struct irq_counter irqs = irq_counter_on(PENDING_VECTOR, EOI_LAPIC);
    send_self_ipi(PENDING_VECTOR);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_TRUE(lapic_vector_bit(LAPIC_IRR0, PENDING_VECTOR));
    sti();
    set_class(0);
    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, WAIT_SPIN), 1);
    delivered_exactly_once(&irqs);
}

TEST_CASE_CONDITIONAL(pending_interrupt_arrives_once_when_the_tpr_register_drops,
                      lapic_usable(), "SDM Vol. 3A 11.8.3.1")
{
    pending_interrupt_arrives_once_when_tpr_drops(tpr_by_register);
}

TEST_CASE_CONDITIONAL(pending_interrupt_arrives_once_when_cr8_drops, lapic_usable(),
                      "SDM Vol. 3A 11.8.6")
{
    pending_interrupt_arrives_once_when_tpr_drops(tpr_by_cr8);
}

/* STI; NOP; CLI with the interrupt pending. Returns the address right
 * after the NOP: the one boundary where it may be taken. */
static uint64_t sti_nop_cli(void)
{
    uint64_t after_nop;
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "sti\n\t"
                     "nop\n"
                     "1:\tcli"
                     : "=&r"(after_nop) : : "memory");
    return after_nop;
}

/* SDM Vol. 2B STI: "maskable hardware interrupts remain inhibited on the
 * instruction boundary following an execution of STI": the NOP runs, and
 * the interrupt is taken right after it (its handler returns to the CLI). */
TEST_CASE_CONDITIONAL(sti_shadow_lets_one_instruction_run_before_a_pending_interrupt,
                      lapic_usable(), "SDM Vol. 2B STI")
{
    struct irq_counter irqs = raise_pending();
    uint64_t after_nop = sti_nop_cli();
    ASSERT_EQ(irq_count(&irqs), 1);
    ASSERT_EQ(irq_last_rip(&irqs), after_nop);
}

/* SDM Vol. 2B STI: a CLI in the shadow of STI closes the window before any
 * interrupt boundary with IF=1, so a pending interrupt stays pending. */
TEST_CASE_CONDITIONAL(cli_in_the_sti_shadow_keeps_a_pending_interrupt_pending, lapic_usable(),
                      "SDM Vol. 2B STI")
{
    struct irq_counter irqs = raise_pending();
    __asm__ volatile("sti\n\tcli" ::: "memory");
    ASSERT_EQ(irq_count(&irqs), 0);
    ASSERT_TRUE(lapic_vector_bit(LAPIC_IRR0, PENDING_VECTOR));
    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, WAIT_SPIN), 1);
}

/* STI; HLT; CLI with the interrupt pending. Returns the address after HLT. */
static uint64_t sti_hlt_cli(void)
{
    uint64_t after_hlt;
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "sti\n\t"
                     "hlt\n"
                     "1:\tcli"
                     : "=&r"(after_hlt) : : "memory");
    return after_hlt;
}

/* SDM Vol. 2B STI, HLT: HLT in the STI shadow starts halting, and the
 * interrupt already pending wakes it at once: the handler sees the address
 * after the HLT. Were it delivered before the HLT, the CPU would halt after
 * it and only the platform's wake-up timer would end the wait. */
TEST_CASE_CONDITIONAL(sti_hlt_with_a_pending_interrupt_wakes_after_the_hlt, lapic_usable(),
                      "SDM Vol. 2B STI")
{
    struct irq_counter irqs = raise_pending();
    timer_service_wake_after(ARRIVE_TIMEOUT_NS);
    uint64_t after_hlt = sti_hlt_cli();
    ASSERT_EQ(irq_count(&irqs), 1);
    ASSERT_EQ(irq_last_rip(&irqs), after_hlt);
}

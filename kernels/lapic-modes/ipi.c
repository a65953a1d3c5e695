/* lapic-modes: sending IPIs in each mode: the xAPIC ICR's two halves, the
 * x2APIC ICR's single MSR, and the x2APIC SELF IPI register (SDM Vol. 3A
 * 11.6.1, 11.12.9, 11.12.11). */
#include "modes.h"

#include "cpu/cpu.h"
#include "test/test.h"

/* SDM 11.12.11: a write of a vector to the SELF IPI register (83FH) sends
 * a fixed, edge-triggered interrupt with that vector to this processor. */
static void self_ipi_register_delivers(enum wait_mode wait)
{
    enter_mode(LAPIC_MODE_X2APIC);
    struct irq_counter irqs = irq_counter_on(IPI_VECTOR, EOI_LAPIC);
    wrmsr(MSR_X2APIC(LAPIC_SELF_IPI), IPI_VECTOR);
    ASSERT_EQ(irq_wait(&irqs, 1, IPI_LIMIT_NS, wait), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, NO_IPI_WINDOW_NS), 0);
}

WAIT_CASES(x2apic_self_ipi_register_delivers, self_ipi_register_delivers, x2apic_usable(),
           "SDM Vol. 3A 11.12.11")

/* SDM 11.6.1: "The act of writing to the low doubleword of the ICR causes
 * the IPI to be sent": the high half alone (the destination) sends
 * nothing; the low half then sends to the destination it names. */
static void xapic_icr_low_write_sends(enum wait_mode wait)
{
    enter_mode(LAPIC_MODE_XAPIC);
    struct irq_counter irqs = irq_counter_on(IPI_VECTOR, EOI_LAPIC);
    lapic_write(LAPIC_ICR_HIGH, lapic_id() << LAPIC_XAPIC_ID_SHIFT);
    ASSERT_EQ(irq_quiet_for(&irqs, NO_IPI_WINDOW_NS), 0);
    lapic_write(LAPIC_ICR, LAPIC_SHORTHAND_NONE | LAPIC_DM_FIXED | IPI_VECTOR);
    ASSERT_EQ(irq_wait(&irqs, 1, IPI_LIMIT_NS, wait), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, NO_IPI_WINDOW_NS), 0);
}

WAIT_CASES(xapic_icr_high_half_waits_for_the_low_half_write, xapic_icr_low_write_sends,
           lapic_present(), "SDM Vol. 3A 11.6.1")

/* SDM 11.12.9: in x2APIC mode the ICR is one 64-bit MSR (830H), the
 * 32-bit destination in bits 63:32; one WRMSR sends. */
#define ICR_X2APIC_DEST_SHIFT 32

static void x2apic_icr_single_write_sends(enum wait_mode wait)
{
    enter_mode(LAPIC_MODE_X2APIC);
    struct irq_counter irqs = irq_counter_on(IPI_VECTOR, EOI_LAPIC);
    wrmsr(MSR_X2APIC(LAPIC_ICR), ((uint64_t)lapic_id() << ICR_X2APIC_DEST_SHIFT) |
                                     LAPIC_SHORTHAND_NONE | LAPIC_DM_FIXED | IPI_VECTOR);
    ASSERT_EQ(irq_wait(&irqs, 1, IPI_LIMIT_NS, wait), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, NO_IPI_WINDOW_NS), 0);
}

WAIT_CASES(x2apic_icr_single_msr_write_sends, x2apic_icr_single_write_sends, x2apic_usable(),
           "SDM Vol. 3A 11.12.9")

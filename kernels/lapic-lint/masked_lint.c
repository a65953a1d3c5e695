/* Masked LINT0 entries: the 8259's INTR reaches the LAPIC and nothing is
 * delivered, whatever the delivery mode (SDM Vol. 3A 11.5.1, Mask). */
#include "cpu/cpu.h"
#include "cpu/processor-flags.h"
#include "cpu/vectors.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "legacy_wiring.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"

#define PIC_IRQ0_VECTOR   (VECTOR_PIC_MASTER + PIT_ISA_IRQ)
#define LINT0_VECTOR      0x4b
/* The PIT fires 1 ms after programming; a delivery despite the mask would
 * come well within this. */
#define QUIET_NS          ms(10)
#define ARRIVE_TIMEOUT_NS ms(20)

/* The vector each delivery mode would use is watched (and any other
 * arrival fails the case as unexpected). The 8259 holds IR0 requested
 * and unacknowledged: no INTA happened. */
static void masked_lint0_delivers_nothing(uint32_t delivery, uint8_t cpu_vector)
{
    struct irq_counter irqs = irq_counter_on(cpu_vector, EOI_NONE);
    pic_ready(true);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED | delivery |
                                     (delivery == LAPIC_DM_FIXED ? LINT0_VECTOR : 0));
    pit_fires_once();
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_EQ(pic_read_irr() & IRQ0_BIT, IRQ0_BIT);
    ASSERT_EQ(pic_read_isr() & IRQ0_BIT, 0);
    ASSERT_EQ(lapic_highest_vector(LAPIC_IRR0), -1);
}

TEST_CASE_CONDITIONAL(masked_lint0_extint_delivers_nothing, legacy_pic_present(),
                      "SDM Vol. 3A 11.5.1")
{
    masked_lint0_delivers_nothing(LAPIC_DM_EXTINT, PIC_IRQ0_VECTOR);
}

TEST_CASE_CONDITIONAL(masked_lint0_fixed_delivers_nothing, legacy_pic_present(),
                      "SDM Vol. 3A 11.5.1")
{
    masked_lint0_delivers_nothing(LAPIC_DM_FIXED, LINT0_VECTOR);
}

TEST_CASE_CONDITIONAL(masked_lint0_nmi_delivers_nothing, legacy_pic_present(),
                      "SDM Vol. 3A 11.5.1")
{
    masked_lint0_delivers_nothing(LAPIC_DM_NMI, X86_EXC_NMI);
}

/* SDM Vol. 3A 11.5.1: "When the delivery mode is ExtINT, the trigger mode
 * is always level sensitive", and the 8259 keeps INTR asserted until it
 * is acknowledged (8259A datasheet). So a request that arrived while
 * LINT0 was masked is delivered once LINT0 is unmasked, through an INTA
 * (the 8259 then has IR0 in service). */
TEST_CASE_CONDITIONAL(extint_held_back_by_a_masked_lint0_arrives_when_unmasked,
                      legacy_pic_present(), "SDM Vol. 3A 11.5.1")
{
    struct irq_counter irqs = irq_counter_on(PIC_IRQ0_VECTOR, EOI_NONE);
    pic_ready(true);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED | LAPIC_DM_EXTINT);
    pit_fires_once();
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_EQ(pic_read_irr() & IRQ0_BIT, IRQ0_BIT);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT);
    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, WAIT_SPIN), 1);
    ASSERT_EQ(pic_read_isr() & IRQ0_BIT, IRQ0_BIT);
    pic_eoi(PIT_ISA_IRQ);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

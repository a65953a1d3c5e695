/* ioapic: level-triggered delivery, from an HPET timer in level mode
 * (HPET 1.0a 2.3.6, 2.3.8: Tn_INT_TYPE_CNF=1 holds the interrupt active
 * until software clears Tn_INT_STS). Remote IRR, re-delivery while the line
 * is asserted, the mask, the LAPIC's TMR, and the EOI register.
 *
 * Order matters: a handler of a level interrupt first deasserts the source
 * (here: writes 1 to Tn_INT_STS), then sends the EOI. An EOI while the
 * line is still asserted clears Remote IRR and the IOAPIC delivers again
 * (82093AA 3.2.4), which only the re-delivery case wants. The handlers send
 * no EOI; the case bodies do, in that order, with the vector still in
 * service in the LAPIC (SDM Vol. 3A 11.8.4: an accepted interrupt stays in
 * ISR until software's EOI), which they check first: a VMM that ends the
 * interrupt on its own would otherwise show up as a late re-delivery. */
#include "delivery.h"

#include "../hpet/hpet-comparator.h"
#include "drivers/acpi.h"
#include "time/timebase.h"

#define LEVEL_VECTOR       0x70
#define HPET_DELAY_NS      us(200)
#define WAIT_FOR_ONE_NS    ms(20)
#define QUIET_NS           ms(5)

struct level_source {
    struct hpet_route route;
    struct irq_counter irqs;
};

static bool level_source_available(void)
{
    struct hpet_route r;
    return ioapic_usable() && hpet_find_any_route(&r);
}

static bool directed_eoi_available(void)
{
    struct hpet_route r;
    return level_source_available() && hpet_find_any_route(&r) &&
           (ioapic_read(r.ioapic, IOAPIC_REG_VERSION) & IOAPIC_VERSION_MASK) >= IOAPIC_VERSION_HAS_EOI;
}

static bool eoi_broadcast_suppression_available(void)
{
    return directed_eoi_available() &&
           (lapic_read(LAPIC_VERSION) & LAPIC_VERSION_EOI_BCAST_SUPPRESSION);
}

/* Routes the HPET level source (handler sends no EOI) and arms it once. */
static struct level_source level_source_start(bool masked)
{
    struct level_source s;
    if (!hpet_find_any_route(&s.route))
        FAIL("no HPET timer reaches an IOAPIC pin");
    s.irqs = irq_counter_on(LEVEL_VECTOR, EOI_NONE);
    if (!hpet_connect(&s.route, LEVEL_VECTOR, true, masked))
        FAIL("HPET timer %u refused route %u", s.route.timer, s.route.gsi);
    hpet_arm_oneshot(s.route.timer, HPET_DELAY_NS);
    return s;
}

static uint64_t entry_of(const struct level_source *s)
{
    return ioapic_redir_read(s->route.ioapic, s->route.pin);
}

/* The level interrupt the handler took and did not EOI. */
static bool level_vector_in_service(void)
{
    return lapic_vector_bit(LAPIC_ISR0, LEVEL_VECTOR);
}

/* 82093AA 3.2.4 Remote IRR: set when a LAPIC accepts the level interrupt,
 * cleared by an EOI message with its vector (the LAPIC broadcasts one for
 * a level-triggered vector, SDM Vol. 3A 11.8.5). With the line deasserted
 * first, nothing follows. */
TEST_CASE_CONDITIONAL(ioapic_level_interrupt_sets_remote_irr_until_eoi, level_source_available(),
                      "82093AA 3.2.4; SDM Vol. 3A 11.8.5")
{
    struct level_source s = level_source_start(false);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    ASSERT_TRUE(level_vector_in_service());
    ASSERT_TRUE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);
    hpet_clear_status(s.route.timer);
    ASSERT_TRUE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);   /* until the EOI */
    lapic_eoi();
    ASSERT_FALSE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);
    ASSERT_EQ(irq_quiet_for(&s.irqs, QUIET_NS), 0);
}

/* SDM Vol. 3A 11.8.4: a vector accepted as level-triggered sets its TMR
 * bit. */
TEST_CASE_CONDITIONAL(ioapic_level_interrupt_sets_the_lapic_tmr_bit, level_source_available(),
                      "SDM Vol. 3A 11.8.4")
{
    struct level_source s = level_source_start(false);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    bool tmr = lapic_vector_bit(LAPIC_TMR0, LEVEL_VECTOR);
    hpet_clear_status(s.route.timer);
    lapic_eoi();
    ASSERT_TRUE(tmr);
}

/* 82093AA 3.2.4: a level pin whose line is still asserted when the EOI
 * clears Remote IRR sends the interrupt again; once the source is
 * cleared (Tn_INT_STS written with 1) and EOIed, it stops. */
static void level_interrupt_is_redelivered_while_asserted(enum wait_mode mode)
{
    struct level_source s = level_source_start(false);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, mode), 1);
    ASSERT_TRUE(level_vector_in_service());
    lapic_eoi();                                  /* the line is still asserted */
    ASSERT_EQ(irq_wait(&s.irqs, 2, WAIT_FOR_ONE_NS, mode), 2);
    hpet_clear_status(s.route.timer);
    lapic_eoi();
    ASSERT_EQ(irq_quiet_for(&s.irqs, QUIET_NS), 0);
}
WAIT_MODE_CASES(ioapic_level_interrupt_is_redelivered_while_asserted, level_source_available(),
                "82093AA 3.2.4", level_interrupt_is_redelivered_while_asserted)

/* 82093AA 3.2.4: level asserts on a masked pin are ignored, but the pin
 * is level sensitive: unmasked while the line is still asserted, it
 * delivers (what OSes rely on when they mask a level IRQ during its
 * handler). */
TEST_CASE_CONDITIONAL(ioapic_masked_level_interrupt_is_delivered_once_unmasked,
                      level_source_available(), "82093AA 3.2.4")
{
    struct level_source s = level_source_start(true);
    ASSERT_TRUE(hpet_wait_for_status(s.route.timer, WAIT_FOR_ONE_NS));
    ASSERT_EQ(irq_quiet_for(&s.irqs, QUIET_NS), 0);
    ioapic_redir_write(s.route.ioapic, s.route.pin, entry_of(&s) & ~IOAPIC_REDIR_MASKED);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    hpet_clear_status(s.route.timer);
    lapic_eoi();
}

static void write_ioapic_eoi(unsigned index, uint8_t vector)
{
    *(volatile uint32_t *)((uint64_t)acpi_get()->ioapics[index].address + IOAPIC_EOI) = vector;
}

/* Intel chipset IOxAPIC (version 20h on), EOI register at offset 40h: a
 * write of a vector clears Remote IRR of the entries with that vector,
 * the LAPIC's own EOI not yet sent. */
TEST_CASE_CONDITIONAL(ioapic_eoi_register_clears_remote_irr, directed_eoi_available(),
                      "ICH/PCH IOxAPIC EOI register; SDM Vol. 3A 11.8.5")
{
    struct level_source s = level_source_start(false);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    ASSERT_TRUE(level_vector_in_service());
    hpet_clear_status(s.route.timer);
    ASSERT_TRUE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);
    write_ioapic_eoi(s.route.ioapic, LEVEL_VECTOR);
    uint64_t entry = entry_of(&s);
    lapic_eoi();
    ASSERT_FALSE(entry & IOAPIC_REDIR_REMOTE_IRR);
    ASSERT_EQ(irq_quiet_for(&s.irqs, QUIET_NS), 0);
}

/* SDM Vol. 3A 11.8.5: with SVR bit 12 set the LAPIC sends no EOI message
 * for a level-triggered vector: Remote IRR stays set until software
 * writes the IOAPIC's EOI register (directed EOI). */
TEST_CASE_CONDITIONAL(ioapic_suppressed_eoi_broadcast_leaves_remote_irr_to_directed_eoi,
                      eoi_broadcast_suppression_available(), "SDM Vol. 3A 11.8.5")
{
    lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | LAPIC_SVR_SUPPRESS_EOI_BCAST);
    struct level_source s = level_source_start(false);
    ASSERT_EQ(irq_wait(&s.irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    hpet_clear_status(s.route.timer);
    lapic_eoi();
    ASSERT_TRUE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);
    write_ioapic_eoi(s.route.ioapic, LEVEL_VECTOR);
    ASSERT_FALSE(entry_of(&s) & IOAPIC_REDIR_REMOTE_IRR);
}

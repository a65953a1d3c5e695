/* LINT0's trigger mode for fixed delivery: a level-triggered LINT0 sets
 * TMR and remote IRR, holds off while in service, and fires again at EOI
 * while the line stays asserted (SDM Vol. 3A 11.5.1, 11.8.4). The
 * edge-triggered counterpart, one delivery while INTR stays asserted, is
 * delivery_paths.c's pit_irq0_through_pic_and_lint0_fixed_*. */
#include "cpu/cpu.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "legacy_wiring.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"

#define LINT0_LEVEL_VECTOR 0x4c
#define ARRIVE_TIMEOUT_NS  ms(20)
/* Long enough for a wrongly repeated delivery to show up. */
#define QUIET_NS           ms(2)

/* IF=0: waits (bounded) for the vector to be accepted into the IRR. */
static bool becomes_pending(uint8_t vector)
{
    deadline_t d = deadline_after(ARRIVE_TIMEOUT_NS);
    while (!lapic_vector_bit(LAPIC_IRR0, vector) && !deadline_passed(d))
        pause();
    return lapic_vector_bit(LAPIC_IRR0, vector);
}

static bool remote_irr(void)
{
    return lapic_read(LAPIC_LVT_LINT0) & LAPIC_REMOTE_IRR;
}

/* SDM Vol. 3A 11.5.1, Remote IRR: "For fixed mode, level-triggered
 * interrupts; this flag is set when the local APIC accepts the interrupt
 * for servicing and is reset when an EOI command is received"; 11.8.4: the
 * TMR bit is set on acceptance of a level-triggered interrupt. The 8259's
 * INTR stays asserted throughout (IR0 requested, never acknowledged:
 * fixed delivery has no INTA), so after the EOI the still-asserted level
 * is accepted again. Nothing EOIs but the case, which quiets the 8259
 * before the last EOI. */
TEST_CASE_CONDITIONAL(level_triggered_lint0_fires_again_at_eoi_while_asserted,
                      legacy_pic_present(), "SDM Vol. 3A 11.5.1")
{
    struct irq_counter irqs = irq_counter_on(LINT0_LEVEL_VECTOR, EOI_NONE);
    pic_ready(true);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_FIXED | LAPIC_TRIGGER_LEVEL | LINT0_LEVEL_VECTOR);
    pit_fires_once();

    ASSERT_TRUE(becomes_pending(LINT0_LEVEL_VECTOR));
    ASSERT_TRUE(lapic_vector_bit(LAPIC_TMR0, LINT0_LEVEL_VECTOR));

    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, WAIT_SPIN), 1);
    ASSERT_TRUE(lapic_vector_bit(LAPIC_ISR0, LINT0_LEVEL_VECTOR));
    ASSERT_TRUE(remote_irr());
    /* In service, remote IRR set: the asserted line is not taken again. */
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_IRR0, LINT0_LEVEL_VECTOR));

    lapic_eoi();   /* remote IRR clears; the line is still asserted */
    ASSERT_TRUE(becomes_pending(LINT0_LEVEL_VECTOR));
    ASSERT_EQ(irq_wait(&irqs, 2, ARRIVE_TIMEOUT_NS, WAIT_SPIN), 2);

    pic_set_mask(pic_get_mask() | IRQ0_BIT);   /* the 8259 drops INTR */
    lapic_eoi();
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_FALSE(remote_irr());
    ASSERT_EQ(lapic_highest_vector(LAPIC_ISR0), -1);
}

/* LINT0's trigger mode for fixed delivery: a level-triggered LINT0 sets
 * TMR and remote IRR, holds off while in service, and fires again at EOI
 * while the line stays asserted (SDM Vol. 3A 11.5.1, 11.8.4). */
#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "legacy_wiring.h"
#include "test/test.h"
#include "time/timebase.h"

#define LINT0_LEVEL_VECTOR 0x4c
#define ARRIVE_TIMEOUT_NS  ms(20)
/* Long enough for a wrongly repeated delivery to show up. */
#define QUIET_NS           ms(2)

static void record_only(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    delivery_record(frame);
}

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

/* The handler does not EOI; the case does, with the 8259's INTR still
 * asserted (IR0 requested, never acknowledged: fixed delivery has no
 * INTA), then quiets the 8259 before the last EOI. */
TEST_CASE_CONDITIONAL(level_triggered_lint0_fires_again_at_eoi_while_asserted,
                      legacy_pic_present(), "SDM Vol. 3A 11.5.1")
{
    deliveries_reset();
    interrupt_set_handler(LINT0_LEVEL_VECTOR, record_only, 0);
    pic_ready(true);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_FIXED | LAPIC_TRIGGER_LEVEL | LINT0_LEVEL_VECTOR);
    pit_fires_once();

    ASSERT_TRUE(becomes_pending(LINT0_LEVEL_VECTOR));
    ASSERT_TRUE(lapic_vector_bit(LAPIC_TMR0, LINT0_LEVEL_VECTOR));   /* 11.8.4 */

    ASSERT_EQ(wait_for_deliveries(1, ARRIVE_TIMEOUT_NS, WAIT_SPIN, "the first delivery"), 1);
    ASSERT_TRUE(lapic_vector_bit(LAPIC_ISR0, LINT0_LEVEL_VECTOR));
    ASSERT_TRUE(remote_irr());
    /* In service, remote IRR set: the asserted line is not taken again. */
    ASSERT_EQ(deliveries_during(QUIET_NS), 0);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_IRR0, LINT0_LEVEL_VECTOR));

    lapic_eoi();   /* remote IRR clears; the line is still asserted */
    ASSERT_TRUE(becomes_pending(LINT0_LEVEL_VECTOR));
    ASSERT_EQ(wait_for_deliveries(2, ARRIVE_TIMEOUT_NS, WAIT_SPIN, "the second delivery"), 2);

    pic_set_mask(pic_get_mask() | IRQ0_BIT);   /* the 8259 drops INTR */
    lapic_eoi();
    ASSERT_EQ(deliveries_during(QUIET_NS), 0);
    ASSERT_FALSE(remote_irr());
    ASSERT_EQ(lapic_highest_vector(LAPIC_ISR0), -1);
}

/* SDM Vol. 3A 11.5.1: an edge-triggered LINT0 takes one edge once; the
 * 8259 keeps INTR asserted, and the EOI brings no second delivery. */
TEST_CASE_CONDITIONAL(edge_triggered_lint0_fires_once_while_asserted, legacy_pic_present(),
                      "SDM Vol. 3A 11.5.1")
{
    deliveries_reset();
    interrupt_set_handler(LINT0_LEVEL_VECTOR, record_only, 0);
    pic_ready(true);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_FIXED | LINT0_LEVEL_VECTOR);
    pit_fires_once();
    ASSERT_EQ(wait_for_deliveries(1, ARRIVE_TIMEOUT_NS, WAIT_SPIN, "the edge"), 1);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_TMR0, LINT0_LEVEL_VECTOR));
    lapic_eoi();
    ASSERT_EQ(deliveries_during(QUIET_NS), 0);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_IRR0, LINT0_LEVEL_VECTOR));
    ASSERT_EQ(pic_read_irr() & IRQ0_BIT, IRQ0_BIT);   /* still asserted */
}

/* hpet: the General Interrupt Status register for level-triggered timers
 * (IA-PC HPET 1.0a 2.3.6): set by the timer, cleared by writing 1. */
#include "hpet-case.h"

#include "../ioapic/delivery.h"
#include "test/test.h"
#include "time/timebase.h"

#define DELAY_NS             us(200)
#define WAIT_FOR_STATUS_NS   ms(20)

static bool level_timer_routable(void)
{
    struct hpet_route r;
    return hpet_and_ioapic() && hpet_find_any_route(&r);
}

/* HPET 1.0a 2.3.8 (Tn_INT_ENB_CNF): "If this bit is 0, the timer will
 * still operate and generate appropriate status bits, but will not cause
 * an interrupt"; 2.3.6: in level mode Tn_INT_STS is set when the timer
 * fires. */
TEST_CASE_CONDITIONAL(hpet_level_status_is_set_with_the_interrupt_disabled, hpet_available(),
                      "HPET 1.0a 2.3.6, 2.3.8")
{
    unsigned t = 0;
    hpet_counter_enable(true);
    uint64_t cfg = hpet_timer_config(t) &
                   ~(HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_FSB_ENABLE | HPET_TN_32BIT);
    hpet_write(HPET_TIMER_CONFIG(t), cfg | HPET_TN_LEVEL);
    hpet_clear_status(t);
    hpet_write(HPET_TIMER_COMPARATOR(t), hpet_counter() + hpet_ns_to_ticks(DELAY_NS));
    ASSERT_TRUE(hpet_wait_for_status(t, WAIT_FOR_STATUS_NS));
}

/* HPET 1.0a 2.3.6: a level-triggered Tn_INT_STS, once set, is cleared by
 * writing 1 to it; writing 0 has no effect. The IOAPIC pin stays masked:
 * only the register is under test. */
TEST_CASE_CONDITIONAL(hpet_level_status_clears_on_writing_one_only, level_timer_routable(),
                      "HPET 1.0a 2.3.6")
{
    struct hpet_route r;
    ASSERT_TRUE(hpet_find_any_route(&r));
    ASSERT_TRUE(hpet_connect(&r, HPET_VECTOR, true, true));
    hpet_arm_oneshot(r.timer, DELAY_NS);
    ASSERT_TRUE(hpet_wait_for_status(r.timer, WAIT_FOR_STATUS_NS));
    hpet_write(HPET_INTERRUPT_STATUS, 0);
    ASSERT_TRUE(hpet_status_set(r.timer));
    hpet_clear_status(r.timer);
    ASSERT_FALSE(hpet_status_set(r.timer));
}

/* lapic-timer: one-shot mode counts down once, interrupts once and stops
 * (SDM Vol. 3A 11.5.4). */
#include "timer.h"

#include "test/test.h"
#include "time/timebase.h"

#define ONESHOT_NS        (1ull * 1000000ull)
#define DELIVERY_LIMIT_NS (50ull * 1000000ull)   /* 50x the count: any VMM */
#define SECOND_IRQ_WINDOW (20ull * 1000000ull)   /* 20 more counts' worth */

/* The interrupt may not come early: the count was derived from a 5 ms
 * calibration good to about 1%; 10% leaves room for the register writes. */
#define EARLIEST_NS       (ONESHOT_NS * 9 / 10)

static void oneshot_fires_once(enum lapic_mode mode, enum wait_mode wait)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    uint64_t start = timebase_now_ns();
    lapic_timer_start(LAPIC_TIMER_ONESHOT, TIMER_VECTOR, timer_count_for(ONESHOT_NS),
                      LAPIC_DIVIDE_1);
    ASSERT_EQ(timer_irq_wait(&irqs, 1, DELIVERY_LIMIT_NS, wait), 1);
    ASSERT_GE(timebase_now_ns() - start, EARLIEST_NS);
    ASSERT_EQ(irq_quiet_for(&irqs, SECOND_IRQ_WINDOW), 0);
}

DELIVERY_CASES(lapic_timer_oneshot_fires_once, oneshot_fires_once, interface_usable,
               "SDM Vol. 3A 11.5.4")

/* Once a one-shot count reaches zero it stays there: no reload. */
static void oneshot_current_count_stays_zero(enum lapic_mode mode)
{
    timer_case_begin(mode);
    uint32_t count = timer_count_for(ONESHOT_NS);
    lapic_timer_start(LAPIC_TIMER_ONESHOT | LAPIC_LVT_MASKED, TIMER_VECTOR, count,
                      LAPIC_DIVIDE_1);
    uint32_t running = lapic_read(LAPIC_TIMER_CURRENT);
    ASSERT_GT(running, 0u);
    ASSERT_LE(running, count);
    delay_ns(2 * ONESHOT_NS);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    delay_ns(2 * ONESHOT_NS);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_INITIAL), count);   /* the initial count remains */
}

INTERFACE_CASES(lapic_timer_oneshot_current_count_stays_zero_after_expiry,
                oneshot_current_count_stays_zero, interface_usable, "SDM Vol. 3A 11.5.4")

/* SDM Vol. 3A 11.5.4: after a one-shot count reaches zero "the timer
 * remains at its 0 value until reprogrammed" (the initial count starts
 * it), and 11.5.4.1: "A write to the LVT Timer Register that changes the
 * timer mode disarms the local APIC timer." Switching an expired one-shot
 * timer to periodic therefore starts nothing. */
TEST_CASE_CONDITIONAL(lapic_timer_mode_change_does_not_restart_an_expired_timer,
                      lapic_present(), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(LAPIC_TIMER_ONESHOT, TIMER_VECTOR, timer_count_for(ONESHOT_NS),
                      LAPIC_DIVIDE_1);
    ASSERT_EQ(timer_irq_wait(&irqs, 1, DELIVERY_LIMIT_NS, WAIT_SPIN), 1);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | TIMER_VECTOR);
    ASSERT_EQ(irq_quiet_for(&irqs, 5 * ONESHOT_NS), 0);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
}

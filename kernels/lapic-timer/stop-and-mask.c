/* lapic-timer: stopping the timer with an initial count of 0, and masking
 * it (SDM Vol. 3A 11.5.4, 11.5.1). */
#include "timer.h"

#include "test/test.h"
#include "time/timebase.h"

#define PERIOD_NS         (1ull * 1000000ull)
#define QUIET_NS          (5ull * PERIOD_NS)
#define DELIVERY_LIMIT_NS (50ull * 1000000ull)

/* SDM Vol. 3A 11.5.4: "A write of 0 to the initial-count register
 * effectively stops the local APIC timer, in both one-shot and periodic
 * mode." Stopped mid-count: the current count reads 0 and nothing more
 * arrives. An expiry that raced with the write may already sit in the IRR;
 * it is the only interrupt allowed. */
static void zero_initial_count_stops(uint32_t timer_mode)
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(timer_mode, TIMER_VECTOR, timer_count_for(PERIOD_NS), LAPIC_DIVIDE_1);
    delay_ns(PERIOD_NS / 2);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    uint32_t raced = irr_pending(TIMER_VECTOR);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), raced);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
}

TEST_CASE_CONDITIONAL(lapic_timer_zero_initial_count_stops_oneshot, lapic_present(),
                      "SDM Vol. 3A 11.5.4")
{
    zero_initial_count_stops(LAPIC_TIMER_ONESHOT);
}

TEST_CASE_CONDITIONAL(lapic_timer_zero_initial_count_stops_periodic, lapic_present(),
                      "SDM Vol. 3A 11.5.4")
{
    zero_initial_count_stops(LAPIC_TIMER_PERIODIC);
}

/* SDM Vol. 3A 11.5.1: the mask flag inhibits the interrupt, not the
 * count: a masked periodic timer keeps counting (and reloading), raises
 * nothing and leaves no IRR bit; unmasked, it interrupts at its next
 * expiry. */
static void masked_timer_counts_silently(enum lapic_mode mode)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(LAPIC_TIMER_PERIODIC | LAPIC_LVT_MASKED, TIMER_VECTOR,
                      timer_count_for(PERIOD_NS), LAPIC_DIVIDE_1);
    uint32_t first = lapic_read(LAPIC_TIMER_CURRENT);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS + PERIOD_NS / 3), 0);
    ASSERT_NE(lapic_read(LAPIC_TIMER_CURRENT), first);
    ASSERT_FALSE(lapic_vector_bit(LAPIC_IRR0, TIMER_VECTOR));
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | TIMER_VECTOR);
    ASSERT_GE(timer_irq_wait(&irqs, 1, DELIVERY_LIMIT_NS, WAIT_SPIN), 1);
}

INTERFACE_CASES(lapic_timer_masked_timer_counts_without_interrupting,
                masked_timer_counts_silently, interface_usable, "SDM Vol. 3A 11.5.1")

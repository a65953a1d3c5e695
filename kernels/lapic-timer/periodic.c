/* lapic-timer: periodic mode reloads the initial count each time it
 * reaches zero and interrupts at that rate (SDM Vol. 3A 11.5.4). */
#include "timer.h"

#include "test/test.h"
#include "time/timebase.h"

#define PERIOD_NS          (2ull * 1000000ull)
#define REPEATS            5u
#define DELIVERY_LIMIT_NS  (50ull * 1000000ull)   /* 5 periods need 10 ms */

static void periodic_fires_repeatedly(enum lapic_mode mode, enum wait_mode wait)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(LAPIC_TIMER_PERIODIC, TIMER_VECTOR, timer_count_for(PERIOD_NS),
                      LAPIC_DIVIDE_1);
    ASSERT_EQ(timer_irq_wait(&irqs, REPEATS, DELIVERY_LIMIT_NS, wait), REPEATS);
}

DELIVERY_CASES(lapic_timer_periodic_fires_repeatedly, periodic_fires_repeatedly,
               interface_usable, "SDM Vol. 3A 11.5.4")

/* 40 periods of 1 ms counted over 40 ms of the TSC timebase. Tolerance
 * +-10% (36..44): one interrupt at each edge of the window, the 1%
 * calibration of the count, and the latency of delivering each interrupt
 * (each is counted, none may be lost or coalesced). */
#define RATE_PERIOD_NS     (1ull * 1000000ull)
#define RATE_WINDOW_NS     (40ull * 1000000ull)
#define RATE_EXPECTED      (RATE_WINDOW_NS / RATE_PERIOD_NS)
#define RATE_TOLERANCE     (RATE_EXPECTED / 10)

static void periodic_rate_matches_timebase(enum lapic_mode mode)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(LAPIC_TIMER_PERIODIC, TIMER_VECTOR, timer_count_for(RATE_PERIOD_NS),
                      LAPIC_DIVIDE_1);
    uint32_t got = irq_quiet_for(&irqs, RATE_WINDOW_NS);
    ASSERT_GE(got, RATE_EXPECTED - RATE_TOLERANCE);
    ASSERT_LE(got, RATE_EXPECTED + RATE_TOLERANCE);
}

INTERFACE_CASES(lapic_timer_periodic_rate_matches_the_calibrated_timebase,
                periodic_rate_matches_timebase, interface_usable, "SDM Vol. 3A 11.5.4")

/* The current count falls from the initial count, and jumps back up to it
 * when it reaches zero: sampled (masked, so no interrupt disturbs the
 * sampling) until two reloads and a decrement were seen, which takes about
 * one millisecond; the limit of 40 periods allows for a vCPU that is not
 * scheduled for a while. */
#define RELOAD_PERIOD_NS   (500ull * 1000ull)
#define RELOAD_LIMIT_NS    (20ull * 1000000ull)
#define RELOADS_EXPECTED   2u

static void periodic_count_reloads(enum lapic_mode mode)
{
    timer_case_begin(mode);
    uint32_t initial = timer_count_for(RELOAD_PERIOD_NS);
    lapic_timer_start(LAPIC_TIMER_PERIODIC | LAPIC_LVT_MASKED, TIMER_VECTOR, initial,
                      LAPIC_DIVIDE_1);
    uint32_t prev = lapic_read(LAPIC_TIMER_CURRENT), highest = prev;
    uint32_t reloads = 0, decrements = 0;
    deadline_t end = deadline_after(RELOAD_LIMIT_NS);
    while ((reloads < RELOADS_EXPECTED || decrements == 0) && !deadline_passed(end)) {
        uint32_t now = lapic_read(LAPIC_TIMER_CURRENT);
        reloads += now > prev;
        decrements += now < prev;
        highest = now > highest ? now : highest;
        prev = now;
    }
    ASSERT_LE(highest, initial);
    ASSERT_GE(decrements, 1u);
    ASSERT_GE(reloads, RELOADS_EXPECTED);
}

INTERFACE_CASES(lapic_timer_periodic_current_count_decrements_and_reloads,
                periodic_count_reloads, interface_usable, "SDM Vol. 3A 11.5.4")

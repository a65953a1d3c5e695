/* The LAPIC timer as watchdog and wake-up source; see timer_service.h.
 * The timer counts in TSC-calibrated time: its rate is measured once
 * against the TSC, at divide-by-1. */
#include "time/timer_service.h"

#include "cpu/catch.h"
#include "cpu/interrupt.h"
#include "cpu/vectors.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "time/timebase.h"

/* The shortest measurement worth trusting; the calibration window is
 * longer, a calibration that failed at once is not. */
#define MIN_MEASURE_NS  ms(2)
#define MAX_COUNT       0xffffffffull

static struct {
    bool available;         /* LAPIC timer measured and usable */
    bool owned;             /* the platform uses it in this case */
    uint64_t khz;           /* LAPIC timer ticks per ms, divide 1 */
    uint64_t watchdog_tsc;  /* 0: not armed */
    uint64_t measure_tsc;   /* when the measurement started; 0: not started */
    volatile bool fired;
} ts;

static uint32_t ns_to_count(uint64_t ns)
{
    uint64_t count = ns / 1000 * ts.khz / 1000 + 1;
    return count > MAX_COUNT ? (uint32_t)MAX_COUNT : (uint32_t)count;
}

static void program(uint64_t ns)
{
    lapic_timer_start(LAPIC_TIMER_ONESHOT, VECTOR_TIMER_SERVICE, ns_to_count(ns), LAPIC_DIVIDE_1);
}

static void rearm_watchdog(void)
{
    if (!ts.watchdog_tsc)
        return;
    uint64_t now = rdtsc();
    program(ts.watchdog_tsc > now ? tsc_to_ns(ts.watchdog_tsc - now) : 0);
}

static void timer_interrupt(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    lapic_eoi();
    if (ts.watchdog_tsc && rdtsc() >= ts.watchdog_tsc) {
        ts.watchdog_tsc = 0;
        ts.fired = true;
        catch_exception(frame, 0);   /* ends the case: IRET to its catch frame */
        return;
    }
    rearm_watchdog();                /* an HLT wake-up: the watchdog goes on */
}

void timer_service_start_measuring(void)
{
    if (!lapic_present())
        return;
    lapic_timer_start(LAPIC_TIMER_ONESHOT, VECTOR_TIMER_SERVICE, (uint32_t)MAX_COUNT,
                      LAPIC_DIVIDE_1);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_TIMER_SERVICE);
    ts.measure_tsc = rdtsc();
}

void timer_service_init(void)
{
    if (!ts.measure_tsc)
        return;
    uint64_t started = ts.measure_tsc;
    ts.measure_tsc = 0;
    uint64_t so_far = tsc_to_ns(rdtsc() - started);
    if (so_far < MIN_MEASURE_NS)
        delay_ns(MIN_MEASURE_NS - so_far);
    uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
    uint64_t elapsed_ns = tsc_to_ns(rdtsc() - started);
    lapic_timer_stop();
    uint64_t ticks = MAX_COUNT - left;
    if (!elapsed_ns || !ticks) {
        protocol_fact("fallback.watchdog", "the LAPIC timer did not count; no watchdog");
        return;
    }
    ts.khz = ticks * 1000000ull / elapsed_ns;
    ts.available = ts.khz != 0;
    protocol_fact("lapic.timer-khz", "%llu", (unsigned long long)ts.khz);
}

bool timer_service_available(void)
{
    return ts.available;
}

void watchdog_arm(uint64_t ns)
{
    ts.fired = false;
    if (!ts.available)
        return;
    ts.owned = true;
    interrupt_set_handler(VECTOR_TIMER_SERVICE, timer_interrupt, 0);
    ts.watchdog_tsc = rdtsc() + ns_to_tsc(ns);
    program(ns);
}

void watchdog_disarm(void)
{
    ts.watchdog_tsc = 0;
    if (ts.owned && ts.available)
        lapic_timer_stop();
    ts.owned = false;
}

bool watchdog_fired(void)
{
    return ts.fired;
}

bool timer_service_wake_after(uint64_t ns)
{
    if (!ts.owned)
        return false;
    uint64_t now = rdtsc();
    if (!ts.watchdog_tsc || now + ns_to_tsc(ns) < ts.watchdog_tsc)
        program(ns);
    return true;
}

void timer_service_release(void)
{
    ts.watchdog_tsc = 0;
    ts.owned = false;
    lapic_timer_stop();
}

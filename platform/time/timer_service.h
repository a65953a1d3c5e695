/* The platform's own use of the LAPIC timer: one one-shot that serves both
 * the case watchdog and the wake-up that bounds every HLT wait. A case
 * that tests the LAPIC timer takes it over with timer_service_release();
 * its HLT waits then rely on the interrupt they wait for (and the host's
 * timeout), so such cases should prefer spin waits. */
#ifndef PLATFORM_TIME_TIMER_SERVICE_H
#define PLATFORM_TIME_TIMER_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

/* Time a case may take before the watchdog ends it. */
#define WATCHDOG_DEFAULT_NS  (2000ull * 1000000ull)

/* The LAPIC timer's rate is measured against the TSC across the timebase
 * calibration, which waits anyway: start it before timebase_init() and
 * read it off after, in timer_service_init(). */
void timer_service_start_measuring(void);
void timer_service_init(void);
bool timer_service_available(void);

void watchdog_arm(uint64_t ns);
void watchdog_disarm(void);
bool watchdog_fired(void);

/* Makes sure a timer interrupt arrives no later than `ns` from now (for
 * HLT waits). False if the timer is not ours to use. */
bool timer_service_wake_after(uint64_t ns);

/* The case takes the LAPIC timer for itself until the end of the case. */
void timer_service_release(void);

#endif

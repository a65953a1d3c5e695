/* The calibrated timebase: TSC ticks per second measured against the PIT
 * (else HPET, ACPI PM timer or CPUID), nanosecond time, and deadlines.
 * Every wait in the suite is bounded by a deadline. */
#ifndef PLATFORM_TIME_TIMEBASE_H
#define PLATFORM_TIME_TIMEBASE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* Durations are nanoseconds. */
static inline uint64_t us(uint64_t n) { return n * 1000ull; }
static inline uint64_t ms(uint64_t n) { return n * 1000000ull; }

/* Calibrates the TSC and prints the timebase facts. */
void timebase_init(void);

uint64_t timebase_tsc_khz(void);
const char *timebase_source(void);

/* TSC ticks <-> nanoseconds. */
uint64_t tsc_to_ns(uint64_t ticks);
uint64_t ns_to_tsc(uint64_t ns);

/* Nanoseconds since calibration. */
uint64_t timebase_now_ns(void);

typedef struct {
    uint64_t tsc;
} deadline_t;

static inline deadline_t deadline_after(uint64_t ns)
{
    deadline_t d = { rdtsc() + ns_to_tsc(ns) };
    return d;
}

static inline bool deadline_passed(deadline_t d)
{
    return rdtsc() >= d.tsc;
}

/* Busy-waits for ns nanoseconds. */
void delay_ns(uint64_t ns);

#endif

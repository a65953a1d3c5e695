/* lapic-timer: what every case file shares: the vector, the register
 * interface a case runs in, the timer's measured rate and the HLT backstop. */
#ifndef KERNELS_LAPIC_TIMER_TIMER_H
#define KERNELS_LAPIC_TIMER_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/lapic.h"
#include "test/irq.h"

#define TIMER_VECTOR      0x40
#define BACKSTOP_VECTOR   0x41   /* PIT channel 0 through the IOAPIC */

/* A HLT wait has no other wake-up than the timer under test and the PIT
 * backstop, whose period (65536 PIT ticks, 54.9 ms) must exceed it. */
#define HLT_WAIT_LIMIT_NS  (50ull * 1000000ull)

/* The interface exists: xAPIC always (with a LAPIC), x2APIC where CPUID
 * says so. */
bool interface_usable(enum lapic_mode mode);
bool tsc_deadline_usable(enum lapic_mode mode);

/* Takes the LAPIC timer from the platform and switches to `mode` along the
 * legal path (the framework restores the boot mode after the case), with
 * the APIC software-enabled. */
void timer_case_begin(enum lapic_mode mode);

/* Timer ticks per millisecond at `divide`, measured now against the TSC
 * (5 ms, the timer masked). */
uint64_t timer_measure_ticks_per_ms(uint32_t divide);
/* The same at divide-by-1, measured once per boot. */
uint64_t timer_base_ticks_per_ms(void);
/* An initial count that lasts `ns` at divide-by-1 (at least 1). */
uint32_t timer_count_for(uint64_t ns);

/* irq_wait that cannot hang: a HLT wait arms the PIT backstop first. */
uint32_t timer_irq_wait(const struct irq_counter *c, uint32_t count, uint64_t timeout_ns,
                        enum wait_mode mode);

/* Whether `vector` is pending in the IRR (raised, not yet delivered). */
static inline uint32_t irr_pending(uint8_t vector)
{
    return lapic_vector_bit(LAPIC_IRR0, vector) ? 1 : 0;
}

/* One case per register interface and wait mode, from one body:
 *   DELIVERY_CASES(lapic_timer_oneshot_fires_once, oneshot_fires_once,
 *                  interface_usable, "SDM Vol. 3A 11.5.4")
 * defines lapic_timer_oneshot_fires_once_xapic_hlt, ..._x2apic_spin, each
 * calling body(mode, wait) when usable(mode) holds. */
#define DELIVERY_CASE_(name, body, usable, iface, mode, wname, wait, ref)       \
    TEST_CASE_CONDITIONAL(name##_##iface##_##wname, usable(mode), ref)          \
    {                                                                           \
        body(mode, wait);                                                       \
    }
#define DELIVERY_CASES(name, body, usable, ref)                                 \
    DELIVERY_CASE_(name, body, usable, xapic, LAPIC_MODE_XAPIC, hlt, WAIT_HLT, ref)   \
    DELIVERY_CASE_(name, body, usable, xapic, LAPIC_MODE_XAPIC, spin, WAIT_SPIN, ref) \
    DELIVERY_CASE_(name, body, usable, x2apic, LAPIC_MODE_X2APIC, hlt, WAIT_HLT, ref) \
    DELIVERY_CASE_(name, body, usable, x2apic, LAPIC_MODE_X2APIC, spin, WAIT_SPIN, ref)

/* One case per register interface: body(mode). */
#define INTERFACE_CASE_(name, body, usable, iface, mode, ref)                   \
    TEST_CASE_CONDITIONAL(name##_##iface, usable(mode), ref)                    \
    {                                                                           \
        body(mode);                                                             \
    }
#define INTERFACE_CASES(name, body, usable, ref)                                \
    INTERFACE_CASE_(name, body, usable, xapic, LAPIC_MODE_XAPIC, ref)           \
    INTERFACE_CASE_(name, body, usable, x2apic, LAPIC_MODE_X2APIC, ref)

#endif

/* What the hpet kernel's cases share: the condition every case carries,
 * and the capability fields (IA-PC HPET 1.0a 2.3.4, 2.3.8). */
#ifndef KERNELS_HPET_HPET_CASE_H
#define KERNELS_HPET_HPET_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "hpet-comparator.h"

#define HPET_VECTOR          0x90

static inline uint64_t hpet_capabilities(void)
{
    return hpet_read(HPET_CAPABILITIES);
}

static inline uint64_t hpet_timer_config(unsigned timer)
{
    return hpet_read(HPET_TIMER_CONFIG(timer));
}

/* The first timer whose config has all of `cap_bits`; false if none. */
bool hpet_timer_with(uint64_t cap_bits, unsigned *timer);
/* The HPET and an IOAPIC to take its interrupts. */
bool hpet_and_ioapic(void);

#endif

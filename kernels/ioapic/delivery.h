/* Delivery helpers shared by the interrupt kernels (pic, pit-timer, ioapic,
 * hpet): the _hlt/_spin pair every delivery claim is checked with, and an
 * IOAPIC entry aimed at this CPU. */
#ifndef KERNELS_IOAPIC_DELIVERY_H
#define KERNELS_IOAPIC_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "test/irq.h"
#include "test/test.h"

/* One delivery claim, checked twice from the table of wait modes: with the
 * vCPU halted (the VMM must wake it) and running (the VMM must kick it).
 * `body_` is a function taking the enum wait_mode. */
#define WAIT_MODE_CASES(name_, cond_, ref_, body_)                               \
    TEST_CASE_CONDITIONAL(name_##_hlt, cond_, ref_) { body_(WAIT_HLT); }          \
    TEST_CASE_CONDITIONAL(name_##_spin, cond_, ref_) { body_(WAIT_SPIN); }

static inline bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* An IOAPIC and a LAPIC to receive its messages. */
static inline bool ioapic_usable(void)
{
    return ioapic_count() > 0 && lapic_usable();
}

/* Fixed delivery, physical destination: this CPU's APIC ID (82093AA 3.2.4:
 * bits 63:56; an x2APIC ID above 255 cannot be named without remapping). */
static inline uint64_t ioapic_entry_to_this_cpu(uint8_t vector)
{
    return vector | IOAPIC_REDIR_DM_FIXED |
           ((uint64_t)(lapic_id() & 0xff) << IOAPIC_REDIR_DEST_SHIFT);
}

#endif

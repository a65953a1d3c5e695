/* HPET comparators as an interrupt source (IA-PC HPET 1.0a 2.3.8-2.3.9):
 * routing a timer to an IOAPIC pin its Tn_INT_ROUTE_CAP allows, and
 * one-shot and periodic arming. Shared by the hpet and ioapic kernels. */
#ifndef KERNELS_HPET_HPET_COMPARATOR_H
#define KERNELS_HPET_HPET_COMPARATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/hpet.h"

/* A timer wired to one IOAPIC input. */
struct hpet_route {
    unsigned timer;
    uint32_t gsi;                       /* = Tn_INT_ROUTE_CNF */
    unsigned ioapic, pin;
};

/* First GSI at which ISA-style polarity ends: below it a pin is active
 * high (ISA convention, ACPI 6.5 5.2.12.5); from it on active low, as the
 * PCI interrupts the HPET shares them with on Intel chipsets (Linux
 * drivers/char/hpet.c registers such GSIs level, active low; QEMU's HPET
 * source speaks of the "ICH PIRQ# pin's internal inversion"). The latter is
 * not stated in the HPET specification, so routes below 16 are preferred. */
#define HPET_FIRST_PCI_STYLE_GSI 16
/* IRQ0 and IRQ2 carry the PIT (and the 8259 cascade). */
#define HPET_FIRST_UNSHARED_ISA_GSI 3

uint32_t hpet_route_capability(unsigned timer);
/* A route for `timer` to a GSI an IOAPIC serves; false if there is none. */
bool hpet_find_route(unsigned timer, struct hpet_route *r);
/* The first timer with such a route. */
bool hpet_find_any_route(struct hpet_route *r);
/* A timer that may route to `gsi`; false if none. */
bool hpet_route_to_gsi(uint32_t gsi, struct hpet_route *r);

/* Programs the IOAPIC pin (vector to this CPU, trigger, polarity, mask)
 * and the timer's route and trigger; the timer stays disabled. False if
 * the route did not read back (HPET 1.0a 2.3.8: an unsupported route
 * reads back different). */
bool hpet_connect(const struct hpet_route *r, uint8_t vector, bool level, bool masked);

uint64_t hpet_ns_to_ticks(uint64_t ns);
/* Starts the main counter and arms `timer` to fire once, `ns` from now. */
void hpet_arm_oneshot(unsigned timer, uint64_t ns);
/* Periodic mode (HPET 1.0a 2.3.9.2.2): first match `ns` from now, then
 * every `ns`. */
void hpet_arm_periodic(unsigned timer, uint64_t ns);
void hpet_disarm(unsigned timer);

/* Level mode: Tn_INT_STS is set while the interrupt is active. */
bool hpet_status_set(unsigned timer);
void hpet_clear_status(unsigned timer);
/* Waits (bounded) for Tn_INT_STS; false on timeout. */
bool hpet_wait_for_status(unsigned timer, uint64_t timeout_ns);

#endif

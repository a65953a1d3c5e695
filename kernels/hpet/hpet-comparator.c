/* HPET comparators as an interrupt source; see hpet-comparator.h. */
#include "hpet-comparator.h"

#include "../ioapic/delivery.h"
#include "time/timebase.h"

#define FS_PER_NS 1000000ull

uint32_t hpet_route_capability(unsigned timer)
{
    return (uint32_t)(hpet_read(HPET_TIMER_CONFIG(timer)) >> HPET_TN_ROUTE_CAP_SHIFT);
}

static bool route_if_served(unsigned timer, uint32_t gsi, struct hpet_route *r)
{
    if (!(hpet_route_capability(timer) & (1u << gsi)))
        return false;
    if (!ioapic_find_gsi(gsi, &r->ioapic, &r->pin))
        return false;
    r->timer = timer;
    r->gsi = gsi;
    return true;
}

/* Preference: the ISA range past the legacy timer lines (active high, as
 * unambiguous as it gets), then the PCI range, then IRQ0-2. */
bool hpet_find_route(unsigned timer, struct hpet_route *r)
{
    for (uint32_t gsi = HPET_FIRST_UNSHARED_ISA_GSI; gsi < HPET_MAX_ROUTES; gsi++)
        if (route_if_served(timer, gsi, r))
            return true;
    for (uint32_t gsi = 0; gsi < HPET_FIRST_UNSHARED_ISA_GSI; gsi++)
        if (route_if_served(timer, gsi, r))
            return true;
    return false;
}

bool hpet_find_any_route(struct hpet_route *r)
{
    if (!hpet_available())
        return false;
    for (unsigned t = 0; t < hpet_timer_count(); t++)
        if (hpet_find_route(t, r))
            return true;
    return false;
}

bool hpet_route_to_gsi(uint32_t gsi, struct hpet_route *r)
{
    for (unsigned t = 0; t < hpet_timer_count(); t++)
        if (route_if_served(t, gsi, r))
            return true;
    return false;
}

bool hpet_connect(const struct hpet_route *r, uint8_t vector, bool level, bool masked)
{
    uint64_t entry = ioapic_entry_to_this_cpu(vector);
    if (level)
        entry |= IOAPIC_REDIR_LEVEL;
    if (r->gsi >= HPET_FIRST_PCI_STYLE_GSI)
        entry |= IOAPIC_REDIR_ACTIVE_LOW;
    if (masked)
        entry |= IOAPIC_REDIR_MASKED;
    ioapic_redir_write(r->ioapic, r->pin, entry);

    uint64_t cfg = hpet_read(HPET_TIMER_CONFIG(r->timer));
    cfg &= ~(HPET_TN_ROUTE_MASK | HPET_TN_LEVEL | HPET_TN_ENABLE | HPET_TN_PERIODIC |
             HPET_TN_FSB_ENABLE | HPET_TN_32BIT);
    cfg |= ((uint64_t)r->gsi << HPET_TN_ROUTE_SHIFT) | (level ? HPET_TN_LEVEL : 0);
    hpet_write(HPET_TIMER_CONFIG(r->timer), cfg);
    uint64_t route = (hpet_read(HPET_TIMER_CONFIG(r->timer)) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT;
    return route == r->gsi;
}

uint64_t hpet_ns_to_ticks(uint64_t ns)
{
    return ns * FS_PER_NS / hpet_period_fs();
}

void hpet_arm_oneshot(unsigned timer, uint64_t ns)
{
    hpet_counter_enable(true);
    uint64_t cfg = hpet_read(HPET_TIMER_CONFIG(timer)) & ~HPET_TN_PERIODIC;
    hpet_write(HPET_TIMER_COMPARATOR(timer), hpet_counter() + hpet_ns_to_ticks(ns));
    hpet_write(HPET_TIMER_CONFIG(timer), cfg | HPET_TN_ENABLE);
}

/* HPET 1.0a 2.3.9.2.2: with Tn_VAL_SET_CNF set, a comparator write sets
 * the next match; the following write sets the period added on each
 * match (the two-write sequence every implementation accepts). */
void hpet_arm_periodic(unsigned timer, uint64_t ns)
{
    hpet_counter_enable(true);
    uint64_t ticks = hpet_ns_to_ticks(ns);
    uint64_t cfg = hpet_read(HPET_TIMER_CONFIG(timer));
    hpet_write(HPET_TIMER_CONFIG(timer), cfg | HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_SET_VALUE);
    hpet_write(HPET_TIMER_COMPARATOR(timer), hpet_counter() + ticks);
    hpet_write(HPET_TIMER_COMPARATOR(timer), ticks);
}

void hpet_disarm(unsigned timer)
{
    uint64_t cfg = hpet_read(HPET_TIMER_CONFIG(timer));
    hpet_write(HPET_TIMER_CONFIG(timer), cfg & ~(HPET_TN_ENABLE | HPET_TN_FSB_ENABLE));
}

bool hpet_status_set(unsigned timer)
{
    return hpet_read(HPET_INTERRUPT_STATUS) & HPET_TN_INT_STATUS(timer);
}

/* HPET 1.0a 2.3.6: writing 1 clears a level-triggered status bit. */
void hpet_clear_status(unsigned timer)
{
    hpet_write(HPET_INTERRUPT_STATUS, HPET_TN_INT_STATUS(timer));
}

bool hpet_wait_for_status(unsigned timer, uint64_t timeout_ns)
{
    deadline_t d = deadline_after(timeout_ns);
    while (!hpet_status_set(timer))
        if (deadline_passed(d))
            return false;
    return true;
}

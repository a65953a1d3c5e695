/* hpet: what the General Capabilities and ID register and the timers'
 * capability bits promise (IA-PC HPET 1.0a 2.3.4, 2.3.8), and that the
 * ACPI table agrees. */
#include "hpet-case.h"

#include "drivers/acpi.h"
#include "test/protocol.h"
#include "test/test.h"

/* ACPI HPET table Event Timer Block ID (HPET 1.0a 3.2.4, Table 3): bits
 * 31:0 of the capabilities, bit 14 reserved. */
#define BLOCK_ID_COMPARED    0xffffbfffull
#define ROUTES_ALL           0xffffffffu

/* HPET 1.0a 2.3.4: COUNTER_CLK_PERIOD is non-zero and at most 05F5E100h
 * fs (100 ns). */
TEST_CASE_CONDITIONAL(hpet_period_is_at_most_100_ns, hpet_available(), "HPET 1.0a 2.3.4")
{
    uint64_t period = hpet_capabilities() >> HPET_CAP_PERIOD_SHIFT;
    ASSERT_NE(period, 0);
    ASSERT_LE(period, HPET_MAX_PERIOD_FS);
}

/* HPET 1.0a 2.3.4: REV_ID "must not be 00h". */
TEST_CASE_CONDITIONAL(hpet_revision_id_is_not_zero, hpet_available(), "HPET 1.0a 2.3.4")
{
    ASSERT_NE(hpet_capabilities() & HPET_CAP_REV_ID_MASK, 0);
}

/* HPET 1.0a 2.1: a block implements at least three comparators;
 * NUM_TIM_CAP is the last one's number. */
TEST_CASE_CONDITIONAL(hpet_implements_at_least_three_timers, hpet_available(), "HPET 1.0a 2.1, 2.3.4")
{
    unsigned timers = (unsigned)((hpet_capabilities() >> HPET_CAP_NUM_TIMERS_SHIFT) &
                                 HPET_CAP_NUM_TIMERS_MASK) + 1;
    for (unsigned t = 0; t < timers; t++)
        protocol_fact("hpet.timer-config", "%u:0x%016llx", t,
                      (unsigned long long)hpet_timer_config(t));
    ASSERT_GE(timers, HPET_MIN_TIMERS);
}

/* HPET 1.0a 3.2.4: the table's Event Timer Block ID repeats the low half
 * of the capabilities (vendor, legacy route, counter size, comparators,
 * revision). */
TEST_CASE_CONDITIONAL(hpet_acpi_block_id_matches_the_capabilities, hpet_available(),
                      "HPET 1.0a 3.2.4")
{
    ASSERT_EQ(acpi_get()->hpet_block_id & BLOCK_ID_COMPARED, hpet_capabilities() & BLOCK_ID_COMPARED);
}

/* HPET 1.0a 2.3.8: each timer can signal somewhere: an I/O APIC route in
 * Tn_INT_ROUTE_CAP, or FSB delivery (timers 0 and 1 also have the legacy
 * route where LEG_RT_CAP is set). */
TEST_CASE_CONDITIONAL(hpet_every_timer_offers_an_interrupt_route, hpet_available(), "HPET 1.0a 2.3.8")
{
    for (unsigned t = 0; t < hpet_timer_count(); t++)
        if (!hpet_route_capability(t) && !(hpet_timer_config(t) & HPET_TN_FSB_CAP))
            FAIL("timer %u: no IOAPIC route and no FSB delivery", t);
}

/* HPET 1.0a 2.3.8, Tn_INT_ROUTE_CNF: "If the value is not supported by
 * this particular timer, then the value read back will not match what is
 * written." */
TEST_CASE_CONDITIONAL(hpet_unsupported_route_does_not_read_back,
                      hpet_available() && hpet_route_capability(0) != ROUTES_ALL, "HPET 1.0a 2.3.8")
{
    uint32_t cap = hpet_route_capability(0);
    uint32_t route = (uint32_t)__builtin_ctz(~cap);
    uint64_t cfg = hpet_timer_config(0) & ~(HPET_TN_ROUTE_MASK | HPET_TN_ENABLE);
    hpet_write(HPET_TIMER_CONFIG(0), cfg | ((uint64_t)route << HPET_TN_ROUTE_SHIFT));
    uint64_t got = (hpet_timer_config(0) & HPET_TN_ROUTE_MASK) >> HPET_TN_ROUTE_SHIFT;
    hpet_write(HPET_TIMER_CONFIG(0), cfg);
    ASSERT_NE(got, route);
}

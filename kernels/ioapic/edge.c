/* ioapic: edge-triggered delivery from every source that can be made to
 * fire: the PIT (ISA IRQ0) and the RTC (ISA IRQ8) through the MADT's
 * routes, the HPET on every pin its timers may drive; and what the mask
 * bit does to an edge. */
#include "delivery.h"

#include "../hpet/hpet-comparator.h"
#include "../pic/rtc.h"
#include "drivers/pit.h"
#include "time/timebase.h"

#define EDGE_VECTOR        0x60
#define PIT_SHORT_COUNT    100u        /* OUT rises after 85 us and stays high */
#define HPET_DELAY_NS      us(100)
#define WAIT_FOR_ONE_NS    ms(20)
#define QUIET_NS           ms(5)
#define HELD_OFF_NS        ms(10)

static bool route_isa_irq(uint8_t irq, bool masked)
{
    unsigned index, pin;
    uint64_t entry = ioapic_entry_to_this_cpu(EDGE_VECTOR) | (masked ? IOAPIC_REDIR_MASKED : 0);
    return ioapic_route_isa_irq(irq, entry, &index, &pin);
}

/* 82093AA 3.2.4 (edge sensitive) with the route of ACPI 6.5 5.2.12.5: PIT
 * mode 0 raises ISA IRQ0 once, which arrives once on the override's GSI. */
static void pit_irq0_edge_is_delivered(enum wait_mode mode)
{
    struct irq_counter irqs = irq_counter_on(EDGE_VECTOR, EOI_LAPIC);
    ASSERT_TRUE(route_isa_irq(PIT_ISA_IRQ, false));
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}
WAIT_MODE_CASES(ioapic_pit_irq0_edge_is_delivered, ioapic_usable(), "82093AA 3.2.4; ACPI 6.5 5.2.12.5",
                pit_irq0_edge_is_delivered)

/* 82093AA 3.2.4: an edge-triggered pin takes one interrupt per rising
 * edge. The RTC holds IRQ8 high until register C is read: one interrupt,
 * none while unacknowledged, another after the read. */
static void rtc_irq8_edge_is_delivered(enum wait_mode mode)
{
    struct irq_counter irqs = irq_counter_on(EDGE_VECTOR, EOI_LAPIC);
    ASSERT_TRUE(route_isa_irq(RTC_ISA_IRQ, false));
    rtc_periodic_start_1024hz();
    uint32_t first = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode);
    uint32_t held = irq_quiet_for(&irqs, QUIET_NS);
    (void)rtc_acknowledge();
    uint32_t total = irq_wait(&irqs, 2, WAIT_FOR_ONE_NS, mode);
    rtc_periodic_stop();
    ASSERT_EQ(first, 1);
    ASSERT_EQ(held, 0);
    ASSERT_EQ(total, 2);
}
WAIT_MODE_CASES(ioapic_rtc_irq8_edge_is_delivered, ioapic_usable(), "82093AA 3.2.4; MC146818A register C",
                rtc_irq8_edge_is_delivered)

/* 82093AA 3.2.4 and HPET 1.0a 2.3.8 (Tn_INT_ROUTE_CAP): every IOAPIC
 * input some HPET timer may drive takes that timer's edge, once. */
static void hpet_edge_is_delivered_on_every_routable_pin(enum wait_mode mode)
{
    unsigned pins_tried = 0;
    for (uint32_t gsi = 0; gsi < HPET_MAX_ROUTES; gsi++) {
        struct hpet_route r;
        if (!hpet_route_to_gsi(gsi, &r))
            continue;
        pins_tried++;
        struct irq_counter irqs = irq_counter_on(EDGE_VECTOR, EOI_LAPIC);
        bool routed = hpet_connect(&r, EDGE_VECTOR, false, false);
        hpet_arm_oneshot(r.timer, HPET_DELAY_NS);
        uint32_t got = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode);
        uint32_t extra = irq_quiet_for(&irqs, QUIET_NS);
        hpet_disarm(r.timer);
        ioapic_redir_write(r.ioapic, r.pin, IOAPIC_REDIR_MASKED);
        if (!routed || got != 1 || extra)
            test_fail(__FILE__, __LINE__, false, FAIL_ASSERT,
                      "GSI %u (IOAPIC %u pin %u) from HPET timer %u: route %s, %u interrupts, "
                      "%u more after (want 1, 0)", gsi, r.ioapic, r.pin, r.timer,
                      routed ? "taken" : "refused", got, extra);
    }
    ASSERT_GT(pins_tried, 0);
}
WAIT_MODE_CASES(ioapic_hpet_edge_is_delivered_on_every_routable_pin,
                ioapic_usable() && hpet_available(), "82093AA 3.2.4; HPET 1.0a 2.3.8",
                hpet_edge_is_delivered_on_every_routable_pin)

/* 82093AA 3.2.4, Interrupt Mask: an edge on a masked pin is not
 * delivered. */
TEST_CASE_CONDITIONAL(ioapic_masked_pin_holds_an_edge_off, ioapic_usable(), "82093AA 3.2.4")
{
    struct irq_counter irqs = irq_counter_on(EDGE_VECTOR, EOI_LAPIC);
    ASSERT_TRUE(route_isa_irq(PIT_ISA_IRQ, true));
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    ASSERT_EQ(irq_quiet_for(&irqs, HELD_OFF_NS), 0);
}

/* 82093AA 3.2.4, Interrupt Mask: "Edge-sensitive interrupts signaled on a
 * masked interrupt pin are ignored (i.e., not delivered or held pending)";
 * Intel's chipset IOxAPICs say the same ("not delivered nor held
 * pending", e.g. 6 Series PCH datasheet 13.5.7). So unmasking after the
 * edge delivers nothing; the next edge is delivered. */
TEST_CASE_CONDITIONAL(ioapic_edge_on_a_masked_pin_is_lost_on_unmask, ioapic_usable(),
                      "82093AA 3.2.4")
{
    struct irq_counter irqs = irq_counter_on(EDGE_VECTOR, EOI_LAPIC);
    ASSERT_TRUE(route_isa_irq(PIT_ISA_IRQ, true));
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    delay_ns(HELD_OFF_NS);                       /* OUT rose while masked */
    ASSERT_TRUE(route_isa_irq(PIT_ISA_IRQ, false));
    ASSERT_EQ(irq_quiet_for(&irqs, HELD_OFF_NS), 0);
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);   /* a new edge */
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
}

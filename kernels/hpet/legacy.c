/* hpet: the legacy replacement route (IA-PC HPET 1.0a 2.3.5, LEG_RT_CNF):
 * timer 0 takes the PIT's IRQ0 (IOAPIC input 2 on a PC), timer 1 the
 * RTC's IRQ8; the IOAPIC pins come from the MADT. */
#include "hpet-case.h"

#include "../ioapic/delivery.h"
#include "test/test.h"
#include "time/timebase.h"

#define TIMER0_ISA_IRQ       0
#define TIMER1_ISA_IRQ       8
#define DELAY_NS             ms(1)
#define WAIT_FOR_ONE_NS      ms(40)
#define QUIET_NS             ms(5)

static bool legacy_route_capable(void)
{
    return hpet_and_ioapic() && (hpet_capabilities() & HPET_CAP_LEGACY_ROUTE);
}

/* HPET 1.0a 2.3.5 (LEG_RT_CNF=1, Table 2): timer `timer` interrupts on ISA
 * IRQ `irq` whatever its Tn_INT_ROUTE_CNF says. */
static void legacy_route_delivers(unsigned timer, uint8_t irq, enum wait_mode mode)
{
    unsigned index, pin;
    struct irq_counter irqs = irq_counter_on(HPET_VECTOR, EOI_LAPIC);
    ASSERT_TRUE(ioapic_route_isa_irq(irq, ioapic_entry_to_this_cpu(HPET_VECTOR), &index, &pin));
    /* Edge, one-shot, 64-bit compare where the timer has it: an earlier
     * case may have left any of these modes (the framework only disables
     * the timers). */
    uint64_t cfg = hpet_timer_config(timer) &
                   ~(HPET_TN_LEVEL | HPET_TN_PERIODIC | HPET_TN_FSB_ENABLE | HPET_TN_32BIT);
    hpet_write(HPET_TIMER_CONFIG(timer), cfg);
    hpet_write(HPET_CONFIG, hpet_read(HPET_CONFIG) | HPET_CONFIG_LEGACY);
    hpet_arm_oneshot(timer, DELAY_NS);
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

static void timer0_to_irq0(enum wait_mode mode) { legacy_route_delivers(0, TIMER0_ISA_IRQ, mode); }
static void timer1_to_irq8(enum wait_mode mode) { legacy_route_delivers(1, TIMER1_ISA_IRQ, mode); }

WAIT_MODE_CASES(hpet_legacy_route_sends_timer0_to_irq0, legacy_route_capable(), "HPET 1.0a 2.3.5",
                timer0_to_irq0)
WAIT_MODE_CASES(hpet_legacy_route_sends_timer1_to_irq8, legacy_route_capable(), "HPET 1.0a 2.3.5",
                timer1_to_irq8)

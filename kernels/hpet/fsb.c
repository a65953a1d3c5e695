/* hpet: FSB (processor message) delivery (IA-PC HPET 1.0a 2.3.8,
 * 2.3.10): the timer writes Tn_FSB_INT_VAL to Tn_FSB_INT_ADDR, an MSI to
 * the LAPIC (SDM Vol. 3A 11.11). */
#include "hpet-case.h"

#include "../ioapic/delivery.h"
#include "test/test.h"
#include "time/timebase.h"

#define MSI_ADDRESS_BASE     0xfee00000ull
#define MSI_DEST_SHIFT       12
#define DELAY_NS             ms(1)
#define WAIT_FOR_ONE_NS      ms(40)
#define QUIET_NS             ms(5)

static bool fsb_capable(void)
{
    unsigned t;
    return hpet_available() && lapic_usable() && hpet_timer_with(HPET_TN_FSB_CAP, &t);
}

/* HPET 1.0a 2.3.8 (Tn_FSB_EN_CNF) and SDM Vol. 3A 11.11.1-2: an edge
 * message, fixed delivery, physical destination this CPU. */
static void fsb_delivers_the_message(enum wait_mode mode)
{
    unsigned t;
    ASSERT_TRUE(hpet_timer_with(HPET_TN_FSB_CAP, &t));
    struct irq_counter irqs = irq_counter_on(HPET_VECTOR, EOI_LAPIC);
    uint64_t address = MSI_ADDRESS_BASE | ((uint64_t)(lapic_id() & 0xff) << MSI_DEST_SHIFT);
    hpet_write(HPET_TIMER_FSB_ROUTE(t), (address << HPET_FSB_ADDRESS_SHIFT) | HPET_VECTOR);
    uint64_t cfg = hpet_timer_config(t) &
                   ~(HPET_TN_LEVEL | HPET_TN_PERIODIC | HPET_TN_ENABLE | HPET_TN_32BIT);
    hpet_write(HPET_TIMER_CONFIG(t), cfg | HPET_TN_FSB_ENABLE);
    hpet_arm_oneshot(t, DELAY_NS);
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}
WAIT_MODE_CASES(hpet_fsb_delivery_sends_the_message, fsb_capable(), "HPET 1.0a 2.3.8",
                fsb_delivers_the_message)

/* pic: the in-service register and the ways it is cleared: non-specific
 * and specific EOI (OCW2), automatic EOI (ICW4), and the fully nested
 * priority it enforces meanwhile. Handlers here send no EOI. */
#include "pic-case.h"
#include "rtc.h"

#include "../ioapic/delivery.h"
#include "cpu/vectors.h"
#include "time/timebase.h"

#define IRQ0_BIT             (1u << PIT_ISA_IRQ)
#define IRQ2_BIT             (1u << PIC_CASCADE_IRQ)
#define IRQ8_BIT             (1u << RTC_ISA_IRQ)
#define NOT_IN_SERVICE_LEVEL 3
#define PIT_1MS_PERIODS      3
#define WAIT_FOR_PERIODS_NS  ms(50)
#define WAIT_FOR_ONE_NS      ms(20)
#define BLOCKED_NS           ms(5)      /* five PIT periods */

static const struct pic_setup *const normal = &pic_default_setup;

/* 8259A "Fully nested mode" and OCW2: while IRQ0 is in service, further
 * IRQ0 requests (equal priority) wait; a non-specific EOI clears the ISR
 * bit and the next one is delivered. */
TEST_CASE_CONDITIONAL(pic_in_service_irq_blocks_its_level_until_non_specific_eoi, pic_present(),
                      "8259A datasheet Fully nested mode, OCW2")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_NONE);
    pic_unmask(PIT_ISA_IRQ);
    pit_channel0_start(PIT_MODE2, PIT_TICKS_PER_MS);
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    ASSERT_EQ(pic_read_isr(), IRQ0_BIT);
    ASSERT_EQ(irq_quiet_for(&irqs, BLOCKED_NS), 0);
    pic_non_specific_eoi(PIC_MASTER_CMD);
    ASSERT_EQ(pic_read_isr(), 0);
    ASSERT_EQ(irq_wait(&irqs, 2, WAIT_FOR_ONE_NS, WAIT_HLT), 2);
}

/* 8259A OCW2 (SL=1, EOI=1): a specific EOI resets exactly the ISR bit of
 * the level it names; naming a level not in service changes nothing. */
TEST_CASE_CONDITIONAL(pic_specific_eoi_clears_only_the_named_level, pic_present(),
                      "8259A datasheet OCW2")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_NONE);
    pic_unmask(PIT_ISA_IRQ);
    pit_irq0_edge_once();
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    ASSERT_EQ(pic_read_isr(), IRQ0_BIT);
    pic_specific_eoi(NOT_IN_SERVICE_LEVEL);
    ASSERT_EQ(pic_read_isr(), IRQ0_BIT);
    pic_specific_eoi(PIT_ISA_IRQ);
    ASSERT_EQ(pic_read_isr(), 0);
}

/* 8259A "Cascade mode": a slave interrupt is in service on both chips (the
 * slave's level and the master's IR2), and each chip needs its own EOI. */
TEST_CASE_CONDITIONAL(pic_slave_interrupt_is_in_service_on_both_chips, pic_present(),
                      "8259A datasheet Cascade mode")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, RTC_ISA_IRQ), EOI_NONE);
    pic_unmask(RTC_ISA_IRQ);
    rtc_periodic_start_1024hz();
    uint32_t got = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT);
    rtc_periodic_stop();
    ASSERT_EQ(got, 1);
    ASSERT_EQ(pic_read_isr(), IRQ8_BIT | IRQ2_BIT);
    pic_non_specific_eoi(PIC_SLAVE_CMD);
    ASSERT_EQ(pic_read_isr(), IRQ2_BIT);
    pic_non_specific_eoi(PIC_MASTER_CMD);
    ASSERT_EQ(pic_read_isr(), 0);
}

/* 8259A "Fully nested mode": IRQ0 outranks IR2, so it interrupts an
 * in-service slave interrupt; a non-specific EOI then ends the highest
 * level in service (IRQ0), leaving the cascade in service. */
TEST_CASE_CONDITIONAL(pic_higher_priority_request_nests_over_an_in_service_slave_interrupt,
                      pic_present(), "8259A datasheet Fully nested mode")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irq8 = irq_counter_on(pic_vector_of(normal, RTC_ISA_IRQ), EOI_NONE);
    struct irq_counter irq0 = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_NONE);
    pic_unmask(RTC_ISA_IRQ);
    rtc_periodic_start_1024hz();
    uint32_t slave = irq_wait(&irq8, 1, WAIT_FOR_ONE_NS, WAIT_HLT);
    rtc_periodic_stop();
    ASSERT_EQ(slave, 1);
    pic_unmask(PIT_ISA_IRQ);
    pit_irq0_edge_once();
    ASSERT_EQ(irq_wait(&irq0, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
    ASSERT_EQ(pic_read_isr(), IRQ0_BIT | IRQ2_BIT | IRQ8_BIT);
    pic_non_specific_eoi(PIC_MASTER_CMD);
    ASSERT_EQ(pic_read_isr(), IRQ2_BIT | IRQ8_BIT);
}

/* 8259A ICW4 AEOI: in automatic EOI mode the ISR bit is reset at the end
 * of the last INTA pulse, so interrupts keep coming with no EOI at all and
 * the ISR reads empty. */
static void auto_eoi_leaves_the_isr_clear(enum wait_mode mode)
{
    static const struct pic_setup auto_eoi = { VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE, true };
    pic_case_start(&auto_eoi);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(&auto_eoi, PIT_ISA_IRQ), EOI_NONE);
    pic_unmask(PIT_ISA_IRQ);
    pit_channel0_start(PIT_MODE2, PIT_TICKS_PER_MS);
    ASSERT_EQ(irq_wait(&irqs, PIT_1MS_PERIODS, WAIT_FOR_PERIODS_NS, mode), PIT_1MS_PERIODS);
    ASSERT_EQ(pic_read_isr(), 0);
}
WAIT_MODE_CASES(pic_auto_eoi_leaves_the_isr_clear, pic_present(), "8259A datasheet ICW4 AEOI",
                auto_eoi_leaves_the_isr_clear)

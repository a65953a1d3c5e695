/* pic: interrupts from the 8259A reach the CPU in virtual wire mode
 * (LINT0 ExtINT), from the master (PIT, IRQ0) and through the cascade
 * from the slave (RTC, IRQ8), on the vectors ICW2 chose, and masks at
 * every stage (IMR, the cascade line, LINT0) hold them off. */
#include "pic-case.h"
#include "rtc.h"

#include "../ioapic/delivery.h"
#include "cpu/interrupt.h"
#include "cpu/vectors.h"
#include "time/timebase.h"

#define PIT_1MS_PERIODS      3
#define WAIT_FOR_PERIODS_NS  ms(50)
#define WAIT_FOR_ONE_NS      ms(20)
/* Long enough for a held-off request to show if the mask leaked. */
#define HELD_OFF_NS          ms(10)

static const struct pic_setup *const normal = &pic_default_setup;

/* 8259A datasheet "Interrupt sequence"; SDM Vol. 3A 11.5.1 (LINT0 ExtINT):
 * PIT channel 0 in mode 2 raises IRQ0 once per period, each taken on
 * ICW2's vector and ended by a non-specific EOI. */
static void irq0_reaches_the_cpu_through_lint0(enum wait_mode mode)
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_PIC_MASTER);
    pic_unmask(PIT_ISA_IRQ);
    pit_channel0_start(PIT_MODE2, PIT_TICKS_PER_MS);
    ASSERT_EQ(irq_wait(&irqs, PIT_1MS_PERIODS, WAIT_FOR_PERIODS_NS, mode), PIT_1MS_PERIODS);
}
WAIT_MODE_CASES(pic_irq0_reaches_the_cpu_through_lint0_extint, pic_present(),
                "8259A datasheet Interrupt sequence", irq0_reaches_the_cpu_through_lint0)

/* 8259A "Cascade buffer/comparator": the slave's request raises the
 * master's IR2 and the slave supplies the vector. The RTC keeps IRQ8
 * asserted until register C is read, so an edge-triggered 8259A takes one
 * interrupt per acknowledged period: one, none while unacknowledged, then
 * another once register C was read. */
static void rtc_irq8_arrives_through_the_cascade(enum wait_mode mode)
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, RTC_ISA_IRQ), EOI_PIC_BOTH);
    pic_unmask(RTC_ISA_IRQ);
    rtc_periodic_start_1024hz();
    uint32_t first = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode);
    uint32_t unacknowledged = irq_quiet_for(&irqs, HELD_OFF_NS);
    (void)rtc_acknowledge();
    uint32_t total = irq_wait(&irqs, 2, WAIT_FOR_ONE_NS, mode);
    rtc_periodic_stop();
    ASSERT_EQ(first, 1);
    ASSERT_EQ(unacknowledged, 0);
    ASSERT_EQ(total, 2);
}
WAIT_MODE_CASES(pic_rtc_irq8_arrives_through_the_cascade, pic_present(),
                "8259A datasheet Cascade buffer/comparator", rtc_irq8_arrives_through_the_cascade)

/* ICW2 sets each chip's vector base (8086 mode: T7-T3, the level in the
 * low three bits): the same two requests arrive on the vectors of each
 * setup of the table. */
static const struct pic_setup relocated[] = {
    { 0x40, 0x48, false },
    { 0x78, 0x70, false },          /* slave below master is legal */
    { 0xe0, 0xe8, false },
};

TEST_CASE_CONDITIONAL(pic_icw2_sets_the_vector_base_of_each_chip, pic_present(),
                      "8259A datasheet ICW2")
{
    for (unsigned i = 0; i < sizeof(relocated) / sizeof(relocated[0]); i++) {
        const struct pic_setup *s = &relocated[i];
        pic_case_start(s);
        pic_wire_to_cpu();
        struct irq_counter irq0 = irq_counter_on(pic_vector_of(s, PIT_ISA_IRQ), EOI_PIC_MASTER);
        struct irq_counter irq8 = irq_counter_on(pic_vector_of(s, RTC_ISA_IRQ), EOI_PIC_BOTH);
        pic_unmask(PIT_ISA_IRQ);
        pic_unmask(RTC_ISA_IRQ);
        pit_irq0_edge_once();
        rtc_periodic_start_1024hz();
        uint32_t got0 = irq_wait(&irq0, 1, WAIT_FOR_ONE_NS, WAIT_HLT);
        uint32_t got8 = irq_wait(&irq8, 1, WAIT_FOR_ONE_NS, WAIT_HLT);
        rtc_periodic_stop();
        if (got0 != 1 || got8 != 1)
            FAIL("bases 0x%02x/0x%02x: %u IRQ0 on 0x%02x, %u IRQ8 on 0x%02x (want 1 each)",
                 s->master_base, s->slave_base, got0, irq0.vector, got8, irq8.vector);
        interrupt_clear_handler(irq0.vector);
        interrupt_clear_handler(irq8.vector);
    }
}

/* 8259A OCW1: a request that arrives masked waits in IRR (PIT mode 0 keeps
 * IRQ0 high) and is delivered once the IMR bit is cleared. */
TEST_CASE_CONDITIONAL(pic_masked_request_is_delivered_once_unmasked, pic_present(),
                      "8259A datasheet OCW1")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_PIC_MASTER);
    pit_irq0_edge_once();
    ASSERT_EQ(irq_quiet_for(&irqs, HELD_OFF_NS), 0);
    pic_unmask(PIT_ISA_IRQ);
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
}

/* The slave's INT reaches the CPU only through master IR2: with IR2
 * masked a slave request waits, and is delivered when IR2 is unmasked
 * (the RTC holds IRQ8 until register C is read). */
TEST_CASE_CONDITIONAL(pic_masked_cascade_line_holds_slave_requests_off, pic_present(),
                      "8259A datasheet Cascading")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, RTC_ISA_IRQ), EOI_PIC_BOTH);
    pic_set_mask(PIC_ALL_MASKED & (uint16_t)~(1u << RTC_ISA_IRQ));   /* IR2 stays masked */
    rtc_periodic_start_1024hz();
    uint32_t held = irq_quiet_for(&irqs, HELD_OFF_NS);
    pic_unmask(RTC_ISA_IRQ);
    uint32_t got = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT);
    rtc_periodic_stop();
    ASSERT_EQ(held, 0);
    ASSERT_EQ(got, 1);
}

/* SDM Vol. 3A 11.5.1: a masked LINT0 takes no interrupt from the 8259A;
 * the 8259A's INT stays asserted (IRQ0 pending), so unmasking LINT0 as
 * ExtINT delivers it. */
TEST_CASE_CONDITIONAL(pic_masked_lint0_holds_the_8259a_off, pic_present() && lapic_usable(),
                      "SDM Vol. 3A 11.5.1")
{
    pic_case_start(normal);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED | LAPIC_DM_EXTINT);
    struct irq_counter irqs = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_PIC_MASTER);
    pic_unmask(PIT_ISA_IRQ);
    pit_irq0_edge_once();
    ASSERT_EQ(irq_quiet_for(&irqs, HELD_OFF_NS), 0);
    pic_wire_to_cpu();
    ASSERT_EQ(irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, WAIT_HLT), 1);
}

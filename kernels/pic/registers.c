/* pic: the registers software reads without taking an interrupt: IMR
 * (OCW1), IRR and ISR (OCW3), and what ICW1 does to them. No case here
 * wires the 8259A to the CPU. */
#include "pic-case.h"
#include "rtc.h"

#include "cpu/cpu.h"
#include "test/test.h"
#include "time/timebase.h"

#define IRQ0_BIT            (1u << PIT_ISA_IRQ)
#define IRQ8_BIT            (1u << RTC_ISA_IRQ)
#define RTC_FIRST_PERIOD_NS ms(5)   /* 1024 Hz: the first IRQ8 within ~1 ms */

/* Patterns that tell the bits of both chips apart. */
static const uint16_t imr_patterns[] = { 0x0000, 0xffff, 0xa55a, 0x5aa5, 0x0ff0, 0xfffb };

/* 8259A OCW1: the IMR is written at the odd address and reads back there. */
TEST_CASE_CONDITIONAL(pic_imr_reads_back_what_ocw1_wrote, pic_present(), "8259A datasheet OCW1")
{
    pic_case_start(&pic_default_setup);
    for (unsigned i = 0; i < sizeof(imr_patterns) / sizeof(imr_patterns[0]); i++) {
        pic_set_mask(imr_patterns[i]);
        EXPECT_EQ(pic_get_mask(), imr_patterns[i]);
    }
}

/* 8259A "Initialization command words", ICW1 step b: the initialisation
 * sequence clears the IMR (every line unmasked). */
TEST_CASE_CONDITIONAL(pic_initialisation_clears_the_imr, pic_present(),
                      "8259A datasheet ICW1")
{
    pic_case_start(&pic_default_setup);
    ASSERT_EQ(pic_get_mask(), PIC_ALL_MASKED);
    pic_write_icws(&pic_default_setup);
    ASSERT_EQ(pic_get_mask(), 0);
}

/* 8259A ICW1 step e: initialisation sets "Status Read" to IRR, whatever
 * OCW3 selected before. */
TEST_CASE_CONDITIONAL(pic_initialisation_selects_irr_for_status_reads, pic_present(),
                      "8259A datasheet ICW1")
{
    pic_case_start(&pic_default_setup);
    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_ISR);   /* reads now show ISR */
    pic_case_start(&pic_default_setup);                   /* ICW1: back to IRR */
    pit_irq0_edge_once();
    /* Plain reads only: no OCW3 may choose the register for us. */
    deadline_t d = deadline_after(ms(10));
    uint8_t status = 0;
    while (!(status & IRQ0_BIT) && !deadline_passed(d))
        status = inb(PIC_MASTER_CMD);
    ASSERT_EQ(status & IRQ0_BIT, IRQ0_BIT);   /* IRR; the ISR stays empty */
}

/* 8259A OCW3: RR/RIS select IRR or ISR for reads of the even address, and
 * the choice holds for every later read until another OCW3 changes it. */
TEST_CASE_CONDITIONAL(pic_ocw3_read_selection_persists, pic_present(), "8259A datasheet OCW3")
{
    pic_case_start(&pic_default_setup);
    pit_irq0_edge_once();
    ASSERT_TRUE(pic_wait_for_irr(IRQ0_BIT, ms(10)));   /* IRR bit 0 set, ISR empty */

    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_IRR);
    EXPECT_EQ(inb(PIC_MASTER_CMD) & IRQ0_BIT, IRQ0_BIT);
    EXPECT_EQ(inb(PIC_MASTER_CMD) & IRQ0_BIT, IRQ0_BIT);
    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_ISR);
    EXPECT_EQ(inb(PIC_MASTER_CMD), 0);
    EXPECT_EQ(inb(PIC_MASTER_CMD), 0);
    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_READ_IRR);
    EXPECT_EQ(inb(PIC_MASTER_CMD) & IRQ0_BIT, IRQ0_BIT);
}

/* 8259A "Interrupt mask register": the IMR acts between IRR and the
 * priority resolver, so a masked request is still latched in IRR, on the
 * master (PIT, IRQ0) and on the slave (RTC, IRQ8), and never in service. */
TEST_CASE_CONDITIONAL(pic_masked_request_is_latched_in_irr, pic_present(),
                      "8259A datasheet block diagram, IMR")
{
    pic_case_start(&pic_default_setup);
    rtc_periodic_start_1024hz();
    pit_irq0_edge_once();
    bool latched = pic_wait_for_irr(IRQ0_BIT | IRQ8_BIT, RTC_FIRST_PERIOD_NS);
    uint16_t irr = pic_read_irr(), isr = pic_read_isr();
    rtc_periodic_stop();
    ASSERT_TRUE(latched);
    ASSERT_EQ(irr & (IRQ0_BIT | IRQ8_BIT), IRQ0_BIT | IRQ8_BIT);
    ASSERT_EQ(isr, 0);
}

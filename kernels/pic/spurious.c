/* pic: acknowledging without a (valid) request. A request whose IR line
 * falls before the INTA cycle becomes the default IR7, which sets no ISR
 * bit; the poll command acknowledges like INTA and says whether anything
 * was pending at all. */
#include "pic-case.h"

#include "../ioapic/delivery.h"
#include "cpu/cpu.h"
#include "time/timebase.h"

#define IRQ0_BIT        (1u << PIT_ISA_IRQ)
#define IRQ7_BIT        (1u << PIC_SPURIOUS_LEVEL)
#define IRR_WAIT_NS     ms(10)
#define WATCH_NS        ms(10)

static const struct pic_setup *const normal = &pic_default_setup;

/* 8259A datasheet "Edge and level triggered modes" (Figure 10, priority
 * cell: the request latch is a transparent D latch): the IR input must stay
 * high until the first INTA; if it falls before, the acknowledge yields a
 * DEFAULT IR7, which, unlike a normal IR7, sets no ISR bit. So IRQ0, raised
 * while IF=0 and withdrawn before IF=1, is never delivered as IRQ0. IR0
 * falls because a control word resets channel 0 and puts OUT in its
 * initial state, low in mode 0 (8254 datasheet "Write operations", mode 0);
 * the case writes that control word itself rather than rely on how the
 * platform stops channel 0. Whether the CPU still runs an INTA cycle in
 * virtual wire mode (LINT0 ExtINT is level sensitive, SDM Vol. 3A 11.5.1)
 * is not documented, so no interrupt or one default IR7 both pass, the IR7
 * with ISR bit 7 clear. */
TEST_CASE_CONDITIONAL(pic_request_withdrawn_before_inta_is_not_delivered, pic_present(),
                      "8259A datasheet Edge and level triggered modes")
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter irq0 = irq_counter_on(pic_vector_of(normal, PIT_ISA_IRQ), EOI_NONE);
    struct irq_counter irq7 = irq_counter_on(pic_vector_of(normal, PIC_SPURIOUS_LEVEL), EOI_NONE);
    pic_unmask(PIT_ISA_IRQ);
    pit_irq0_edge_once();
    ASSERT_TRUE(pic_wait_for_irr(IRQ0_BIT, IRR_WAIT_NS));
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | PIT_MODE0);   /* IR0 falls; IF=0 */
    uint32_t spurious = irq_quiet_for(&irq7, WATCH_NS);
    ASSERT_EQ(irq_count(&irq0), 0);
    ASSERT_LE(spurious, 1);
    ASSERT_EQ(pic_read_isr() & IRQ7_BIT, 0);
}

/* 8259A "The poll command": with OCW3 P=1 the next read is an interrupt
 * acknowledge: it returns I=1 and the highest requesting level, and sets
 * that level's ISR bit (its IRR bit is reset as by INTA). The CPU takes no
 * interrupt: LINT0 stays masked. */
TEST_CASE_CONDITIONAL(pic_poll_command_acknowledges_the_highest_request, pic_present(),
                      "8259A datasheet Poll command")
{
    pic_case_start(normal);
    pic_unmask(PIT_ISA_IRQ);
    pit_irq0_edge_once();
    ASSERT_TRUE(pic_wait_for_irr(IRQ0_BIT, IRR_WAIT_NS));
    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_POLL);
    uint8_t word = inb(PIC_MASTER_CMD);
    ASSERT_EQ(word & (PIC_POLL_INTERRUPT | PIC_POLL_LEVEL_MASK), PIC_POLL_INTERRUPT | PIT_ISA_IRQ);
    ASSERT_EQ(pic_read_isr(), IRQ0_BIT);
    ASSERT_EQ(pic_read_irr() & IRQ0_BIT, 0);
    pic_non_specific_eoi(PIC_MASTER_CMD);
    ASSERT_EQ(pic_read_isr(), 0);
}

/* 8259A "The poll command": the poll read sets an IS bit "if there is a
 * request" and I=1 only then; with none pending (all masked after a fresh
 * initialisation) the word has I=0 and nothing is put in service. */
TEST_CASE_CONDITIONAL(pic_poll_without_request_reports_none, pic_present(),
                      "8259A datasheet Poll command")
{
    pic_case_start(normal);
    outb(PIC_MASTER_CMD, PIC_OCW3 | PIC_OCW3_POLL);
    uint8_t word = inb(PIC_MASTER_CMD);
    ASSERT_EQ(word & PIC_POLL_INTERRUPT, 0);
    ASSERT_EQ(pic_read_isr(), 0);
}

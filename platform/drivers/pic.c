/* 8259A PIC driver; see pic.h. */
#include "drivers/pic.h"

#include "cpu/cpu.h"

static struct {
    uint8_t master_base, slave_base;
} pic = { PIC_MASTER_VECTOR, PIC_SLAVE_VECTOR };

void pic_init(uint8_t master_base, uint8_t slave_base)
{
    pic.master_base = master_base;
    pic.slave_base = slave_base;
    outb(PIC_MASTER_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
    io_delay();
    outb(PIC_SLAVE_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
    io_delay();
    outb(PIC_MASTER_DATA, master_base);           /* ICW2 */
    outb(PIC_SLAVE_DATA, slave_base);
    outb(PIC_MASTER_DATA, 1u << PIC_CASCADE_IRQ); /* ICW3: slave on IRQ2 */
    outb(PIC_SLAVE_DATA, PIC_CASCADE_IRQ);        /* ICW3: slave identity */
    outb(PIC_MASTER_DATA, PIC_ICW4_8086);
    outb(PIC_SLAVE_DATA, PIC_ICW4_8086);
    pic_set_mask(PIC_MASK_ALL);
}

void pic_set_mask(uint16_t mask)
{
    outb(PIC_MASTER_DATA, mask & 0xff);
    outb(PIC_SLAVE_DATA, mask >> 8);
}

uint16_t pic_get_mask(void)
{
    return (uint16_t)(inb(PIC_MASTER_DATA) | (inb(PIC_SLAVE_DATA) << 8));
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC_SLAVE_CMD, PIC_OCW2_EOI);
    outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
}

static uint16_t read_ocw3(uint8_t which)
{
    outb(PIC_MASTER_CMD, PIC_OCW3 | which);
    outb(PIC_SLAVE_CMD, PIC_OCW3 | which);
    return (uint16_t)(inb(PIC_MASTER_CMD) | (inb(PIC_SLAVE_CMD) << 8));
}

uint16_t pic_read_irr(void)
{
    return read_ocw3(PIC_OCW3_READ_IRR);
}

uint16_t pic_read_isr(void)
{
    return read_ocw3(PIC_OCW3_READ_ISR);
}

void pic_reset_state(void)
{
    pic_set_mask(PIC_MASK_ALL);
    /* One non-specific EOI per in-service level, at most 8 per chip. */
    for (int i = 0; i < PIC_IRQS_PER_CHIP && (pic_read_isr() >> PIC_IRQS_PER_CHIP); i++)
        outb(PIC_SLAVE_CMD, PIC_OCW2_EOI);
    for (int i = 0; i < PIC_IRQS_PER_CHIP && (pic_read_isr() & 0xff); i++)
        outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
    /* ICW1 resets the edge-sense circuit (8259A datasheet, ICW1): an edge
     * latched while masked is dropped, where EOIs and masks keep it. The
     * initialisation leaves IRR selected for reads and every line masked. */
    pic_init(pic.master_base, pic.slave_base);
}

/* The pic kernel's setup: the 8259A initialisation sequence and virtual
 * wire mode; see pic-case.h. */
#include "pic-case.h"

#include "../ioapic/delivery.h"
#include "cpu/cpu.h"
#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "time/timebase.h"

bool pic_present(void)
{
    const struct acpi_info *a = acpi_get();
    return !a->madt || a->pcat_compat;
}

/* 8259A datasheet, "Initialization command words": ICW1 starts the
 * sequence (and clears IMR, resets edge sense, selects IRR for status
 * reads); ICW2 is the vector base; ICW3 names the cascade; ICW4 8086 mode
 * and, on request, automatic EOI. */
void pic_write_icws(const struct pic_setup *s)
{
    uint8_t icw4 = PIC_ICW4_8086 | (s->auto_eoi ? PIC_ICW4_AUTO_EOI : 0);
    outb(PIC_MASTER_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
    outb(PIC_SLAVE_CMD, PIC_ICW1_INIT | PIC_ICW1_ICW4);
    outb(PIC_MASTER_DATA, s->master_base);
    outb(PIC_SLAVE_DATA, s->slave_base);
    outb(PIC_MASTER_DATA, 1u << PIC_CASCADE_IRQ);   /* slave on IR2 */
    outb(PIC_SLAVE_DATA, PIC_CASCADE_IRQ);          /* slave identity 2 */
    outb(PIC_MASTER_DATA, icw4);
    outb(PIC_SLAVE_DATA, icw4);
}

void pic_case_start(const struct pic_setup *s)
{
    pic_write_icws(s);
    pic_set_mask(PIC_ALL_MASKED);
}

const struct pic_setup pic_default_setup = { VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE, false };

void pic_wire_to_cpu(void)
{
    if (lapic_usable())
        lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT);
}

void pic_unmask(unsigned irq)
{
    uint16_t mask = pic_get_mask() & (uint16_t)~(1u << irq);
    if (irq >= PIC_IRQS_PER_CHIP)
        mask &= (uint16_t)~(1u << PIC_CASCADE_IRQ);
    pic_set_mask(mask);
}

uint8_t pic_vector_of(const struct pic_setup *s, unsigned irq)
{
    return irq < PIC_IRQS_PER_CHIP ? (uint8_t)(s->master_base + irq)
                                   : (uint8_t)(s->slave_base + irq - PIC_IRQS_PER_CHIP);
}

void pic_non_specific_eoi(unsigned chip_cmd_port)
{
    outb((uint16_t)chip_cmd_port, PIC_OCW2_EOI);
}

/* OCW2 with SL=1: ends exactly the named level, whatever its priority. */
void pic_specific_eoi(unsigned irq)
{
    uint16_t port = irq < PIC_IRQS_PER_CHIP ? PIC_MASTER_CMD : PIC_SLAVE_CMD;
    outb(port, (uint8_t)(PIC_OCW2_EOI | PIC_OCW2_SPECIFIC | (irq % PIC_IRQS_PER_CHIP)));
}

bool pic_wait_for_irr(uint16_t bits, uint64_t timeout_ns)
{
    deadline_t d = deadline_after(timeout_ns);
    while ((pic_read_irr() & bits) != bits)
        if (deadline_passed(d))
            return false;
    return true;
}

void pit_irq0_edge_once(void)
{
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
}

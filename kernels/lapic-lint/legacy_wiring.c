/* Legacy wiring helpers and the controllers' view; see legacy_wiring.h. */
#include "legacy_wiring.h"

#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"

#define ALL_PIC_LINES 0xffffu

bool legacy_pic_present(void)
{
    const struct acpi_info *a = acpi_get();
    return !a->madt || a->pcat_compat;
}

bool pic_intr_ioapic_pin(unsigned *index, unsigned *pin)
{
    if (!legacy_pic_present() || acpi_isa_irq_to_gsi(PIT_ISA_IRQ, 0) == 0)
        return false;
    return ioapic_find_gsi(0, index, pin);
}

bool pic_intr_reaches_an_ioapic(void)
{
    unsigned index, pin;
    return pic_intr_ioapic_pin(&index, &pin);
}

bool pit_reaches_an_ioapic(void)
{
    unsigned index, pin;
    return ioapic_find_gsi(acpi_isa_irq_to_gsi(PIT_ISA_IRQ, 0), &index, &pin);
}

void pic_ready(bool irq0_unmasked)
{
    pic_init(VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE);
    pic_set_mask(irq0_unmasked ? (uint16_t)(ALL_PIC_LINES & ~IRQ0_BIT) : ALL_PIC_LINES);
}

void pit_fires_once(void)
{
    pit_channel0_start(PIT_MODE0, PIT_TICKS_PER_MS);
}

struct controller_view controllers_seen_by(uint8_t vector)
{
    return (struct controller_view){
        .pic_irr = pic_read_irr(),
        .pic_isr = pic_read_isr(),
        .in_lapic_isr = lapic_vector_bit(LAPIC_ISR0, vector),
        .in_lapic_irr = lapic_vector_bit(LAPIC_IRR0, vector),
        .in_lapic_tmr = lapic_vector_bit(LAPIC_TMR0, vector),
        .lapic_isr_highest = lapic_highest_vector(LAPIC_ISR0),
        .lvt_lint0 = lapic_read(LAPIC_LVT_LINT0),
    };
}

/* pic: in APIC mode the 8259A is switched off by masking every line; the
 * IOAPIC then carries the ISA interrupts and the 8259A delivers nothing,
 * even with LINT0 still wired as ExtINT. */
#include "pic-case.h"

#include "../ioapic/delivery.h"
#include "time/timebase.h"

#define IOAPIC_PIT_VECTOR    0x50
#define PIT_1MS_PERIODS      5
#define WAIT_FOR_PERIODS_NS  ms(50)
#define PIC_LINES            16

static const struct pic_setup *const normal = &pic_default_setup;

/* 8259A OCW1 (IMR 0xff on both chips) and ACPI 6.5 5.2.12 (a PCAT_COMPAT
 * system disables the 8259A by masking it when it uses the IOAPIC): the PIT
 * reaches the CPU through the IOAPIC only; none of the 16 PIC vectors is
 * ever taken. */
static void fully_masked_pic_delivers_nothing(enum wait_mode mode)
{
    pic_case_start(normal);
    pic_wire_to_cpu();
    struct irq_counter pic_irqs[PIC_LINES];
    for (unsigned irq = 0; irq < PIC_LINES; irq++)
        pic_irqs[irq] = irq_counter_on(pic_vector_of(normal, irq), EOI_PIC_BOTH);
    struct irq_counter apic = irq_counter_on(IOAPIC_PIT_VECTOR, EOI_LAPIC);
    unsigned index, pin;
    ASSERT_TRUE(ioapic_route_isa_irq(PIT_ISA_IRQ, ioapic_entry_to_this_cpu(IOAPIC_PIT_VECTOR),
                                     &index, &pin));
    pit_channel0_start(PIT_MODE2, PIT_TICKS_PER_MS);
    ASSERT_EQ(irq_wait(&apic, PIT_1MS_PERIODS, WAIT_FOR_PERIODS_NS, mode), PIT_1MS_PERIODS);
    for (unsigned irq = 0; irq < PIC_LINES; irq++)
        if (irq_count(&pic_irqs[irq]))
            FAIL("IRQ%u arrived through the masked 8259A on vector 0x%02x", irq,
                 pic_irqs[irq].vector);
}
WAIT_MODE_CASES(pic_fully_masked_delivers_nothing_while_the_ioapic_routes_the_pit,
                pic_present() && ioapic_usable(), "8259A datasheet OCW1; ACPI 6.5 5.2.12",
                fully_masked_pic_delivers_nothing)

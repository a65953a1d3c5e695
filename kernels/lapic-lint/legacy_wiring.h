/* The PC's legacy interrupt wiring as lapic-lint cases use it: the 8254's
 * OUT0 drives the 8259's IR0 and an IOAPIC pin (GSI 2 on most machines,
 * per the MADT); the 8259's INTR drives the BSP's LINT0 and IOAPIC INTIN0
 * (MP spec 1.4 Table 5-2). Plus what the controllers show about an
 * interrupt that has not been ended yet. */
#ifndef LAPIC_LINT_LEGACY_WIRING_H
#define LAPIC_LINT_LEGACY_WIRING_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pit.h"

#define IRQ0_BIT            (1u << PIT_ISA_IRQ)

/* The machine has the two 8259s of a PC (MADT PCAT_COMPAT, ACPI 6.5
 * 5.2.12); without a MADT we assume a PC. */
bool legacy_pic_present(void);
/* The IOAPIC pin the 8259's INTR drives: INTIN0 (MP spec 1.4 Table 5-2,
 * Intel ICH/PCH IOAPIC IRQ0 "8259 cascade"), when the MADT moved IRQ0 off
 * GSI 0, which then belongs to the 8259. False if unknown. */
bool pic_intr_ioapic_pin(unsigned *index, unsigned *pin);
bool pic_intr_reaches_an_ioapic(void);
/* The IOAPIC pin the PIT (ISA IRQ0) drives, routed through the MADT. */
bool pit_reaches_an_ioapic(void);

/* 8259s initialised (vectors 0x20/0x28), IRQ0 unmasked or not. */
void pic_ready(bool irq0_unmasked);
/* OUT0 rises once, about 1 ms from now, and stays high: 8254 mode 0
 * (interrupt on terminal count). The 8259 then keeps IR0 requested, and
 * INTR asserted, until an INTA cycle acknowledges it. */
void pit_fires_once(void);

/* The 8259's and the LAPIC's view of `vector`. The cases count with
 * irq_counter_on(vector, EOI_NONE) and end each interrupt in the case
 * body, so that what they read after the wait is what the handler would
 * have seen: the vector in service, not yet acknowledged by an EOI. */
struct controller_view {
    uint16_t pic_irr, pic_isr;
    bool in_lapic_isr, in_lapic_irr, in_lapic_tmr;   /* bits of `vector` */
    int lapic_isr_highest;                            /* -1: ISR empty */
    uint32_t lvt_lint0;
};
struct controller_view controllers_seen_by(uint8_t vector);

#endif

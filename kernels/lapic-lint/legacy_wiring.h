/* The PC's legacy interrupt wiring as lapic-lint cases use it: the 8254's
 * OUT0 drives the 8259's IR0 and an IOAPIC pin (GSI 2 on most machines,
 * per the MADT); the 8259's INTR drives the BSP's LINT0 and IOAPIC INTIN0
 * (MP spec 1.4 Table 5-2). Plus the record each delivery leaves. */
#ifndef LAPIC_LINT_LEGACY_WIRING_H
#define LAPIC_LINT_LEGACY_WIRING_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/frame.h"
#include "drivers/pit.h"
#include "test/irq.h"

#define IRQ0_BIT            (1u << PIT_ISA_IRQ)
/* One PIT interrupt about 1 ms after programming: in mode 0, OUT0 rises at
 * terminal count and stays high (8254 datasheet, mode 0). */
#define PIT_ONE_MS_COUNT    (PIT_FREQUENCY_HZ / 1000)

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
/* OUT0 rises once, about 1 ms from now. */
void pit_fires_once(void);

/* What the CPU saw when the interrupt arrived, taken in its handler. */
struct delivery {
    uint8_t vector;
    uint16_t pic_irr, pic_isr;
    bool in_lapic_isr, in_lapic_irr, in_lapic_tmr;   /* bits of `vector` */
    int lapic_isr_highest;
    uint32_t lvt_lint0;
};

struct delivery_log {
    volatile uint32_t count;
    struct delivery first;
};

extern struct delivery_log deliveries;
void deliveries_reset(void);
/* Appends (keeps the first) from the frame and the controllers now. */
void delivery_record(struct cpu_frame *frame);

/* Waits until deliveries.count reaches want or timeout_ns passes, IF=1
 * during the wait (spin or HLT, like irq_wait), IF=0 afterwards. */
uint32_t wait_for_deliveries(uint32_t want, uint64_t timeout_ns, enum wait_mode mode,
                             const char *what);
/* IF=1 for ns; returns how many deliveries arrived meanwhile. */
uint32_t deliveries_during(uint64_t ns);

#endif

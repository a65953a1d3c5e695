/* What every pic case starts from: both 8259As initialised by the case
 * itself (ICW1-ICW4, 8259A datasheet "Initialization command words"), and
 * their INT output wired to this CPU. In APIC mode that is virtual wire
 * mode through LINT0 programmed as ExtINT (SDM Vol. 3A 11.5.1; MP spec
 * 3.6.2.2): the CPU then fetches the vector from the 8259A with an INTA
 * cycle, and the LAPIC takes no EOI for it (SDM Vol. 3A 11.8.5). */
#ifndef KERNELS_PIC_PIC_CASE_H
#define KERNELS_PIC_PIC_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pic.h"
#include "drivers/pit.h"

#define PIC_ALL_MASKED       0xffffu
#define PIC_SLAVE_SHIFT      8          /* IRQ 8-15 in pic_read_irr/isr/mask */
/* A PIT one-shot this short has ended long before the cases look: the
 * 8254 raises OUT after count + 1 clocks (8254 datasheet mode 0). */
#define PIT_SHORT_COUNT      100u
#define PIT_SHORT_COUNT_NS   100000ull  /* 101 clocks = 85 us, rounded up */

/* ICW4 options a case may ask for. */
struct pic_setup {
    uint8_t master_base, slave_base;
    bool auto_eoi;                      /* ICW4 AEOI on both chips */
};

/* The 8259A exists: the MADT says so (PCAT_COMPAT), or there is no MADT
 * and this is a PC. */
bool pic_present(void);

/* ICW1-ICW4 on both chips as `s` says (cascade on IRQ2); nothing else. */
void pic_write_icws(const struct pic_setup *s);
/* ICW1-ICW4, then every line masked. */
void pic_case_start(const struct pic_setup *s);
/* The default: vectors VECTOR_PIC_MASTER/SLAVE, normal EOI. */
extern const struct pic_setup pic_default_setup;
/* LINT0 as ExtINT, so the master's INT reaches this CPU. */
void pic_wire_to_cpu(void);

/* Unmasks `irq`, and the cascade line too for a slave IRQ. */
void pic_unmask(unsigned irq);
uint8_t pic_vector_of(const struct pic_setup *s, unsigned irq);

void pic_non_specific_eoi(unsigned chip_cmd_port);
void pic_specific_eoi(unsigned irq);

/* Waits (bounded) until IRR shows every bit of `bits`; false on timeout. */
bool pic_wait_for_irr(uint16_t bits, uint64_t timeout_ns);

/* PIT channel 0 mode 0 with a short count: OUT rises once and stays high,
 * one edge on ISA IRQ0. */
void pit_irq0_edge_once(void);

#endif

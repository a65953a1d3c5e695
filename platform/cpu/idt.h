/* The IDT: all 256 vectors go to the stubs of isr.asm (SDM Vol. 3A 6.14.1). */
#ifndef PLATFORM_CPU_IDT_H
#define PLATFORM_CPU_IDT_H

#include <stdint.h>

#define IDT_TYPE_INTERRUPT_GATE 0xe   /* clears IF on entry */
#define IDT_TYPE_TRAP_GATE      0xf   /* leaves IF alone */

/* Installs the default gates: interrupt gates, DPL 0, the IST stacks for
 * #DF, NMI and #MC. Also what the framework restores after each case. */
void idt_init(void);
void idt_set_gate(uint8_t vector, uint8_t type, uint8_t dpl, uint8_t ist);

#endif

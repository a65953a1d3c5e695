/* The pit-timer kernel's helpers: channel 0's interrupt routed through the
 * IOAPIC (the MADT's override for ISA IRQ0), the 8254 read-back command,
 * and channel 2's gate and output in port 0x61. */
#ifndef KERNELS_PIT_TIMER_PIT_CASE_H
#define KERNELS_PIT_TIMER_PIT_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pit.h"

#define PIT_IRQ_VECTOR 0x40
/* 8254 datasheet, every mode: a count written is loaded into the counting
 * element on the next CLK (0.84 us), GATE low or high; until then a read
 * returns the old count. 20 us covers that and the port writes. */
#define PIT_COUNT_LOAD_NS 20000ull

/* ISA IRQ0 to PIT_IRQ_VECTOR on this CPU, masked or not; false if no IOAPIC
 * serves its GSI. */
bool pit_route_irq0(bool masked);

/* Channel 0 programmed and its count loaded (PIT_COUNT_LOAD_NS later), so
 * that what a read returns comes from this count, not the one before. */
void pit_channel0_start_loaded(uint8_t mode, uint16_t count);

/* Ticks between two counts of a counter that counts down (mod 2^16). */
static inline uint16_t pit_ticks_between(uint16_t earlier, uint16_t later)
{
    return (uint16_t)(earlier - later);
}

/* Port 0x61 exists (it reads all ones where nothing decodes it, e.g. on
 * QEMU microvm). */
bool pit_port61_present(void);
/* Channel 2's GATE input (port 0x61 bit 0); the speaker stays off. */
void pit_channel2_gate(bool high);

#endif

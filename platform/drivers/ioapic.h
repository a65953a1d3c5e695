/* I/O APIC (82093AA datasheet): indirect register access through IOREGSEL
 * and IOWIN, redirection table entries. */
#ifndef PLATFORM_DRIVERS_IOAPIC_H
#define PLATFORM_DRIVERS_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_REGSEL            0x00
#define IOAPIC_WINDOW            0x10
#define IOAPIC_EOI               0x40     /* version 0x20 and later */

#define IOAPIC_REG_ID            0x00
#define  IOAPIC_ID_SHIFT        24
#define  IOAPIC_ID_MASK         0x0fu    /* 82093AA 3.2.1: 4 bits */
#define IOAPIC_REG_VERSION       0x01
#define  IOAPIC_VERSION_MASK     0xffu
#define  IOAPIC_MAX_REDIR_SHIFT  16
#define  IOAPIC_MAX_REDIR_MASK   0xffu
#define  IOAPIC_VERSION_HAS_EOI  0x20u    /* EOI register from this version on */
#define IOAPIC_REG_ARBITRATION   0x02
#define  IOAPIC_ARBITRATION_SHIFT 24
#define  IOAPIC_ARBITRATION_MASK  0x0fu
#define IOAPIC_REG_REDIR(pin)    (0x10 + 2 * (pin))

#define IOAPIC_REDIR_VECTOR_MASK 0xffull
#define IOAPIC_REDIR_DM_FIXED    (0ull << 8)
#define IOAPIC_REDIR_DM_LOWEST   (1ull << 8)
#define IOAPIC_REDIR_DM_SMI      (2ull << 8)
#define IOAPIC_REDIR_DM_NMI      (4ull << 8)
#define IOAPIC_REDIR_DM_INIT     (5ull << 8)
#define IOAPIC_REDIR_DM_EXTINT   (7ull << 8)
#define IOAPIC_REDIR_DM_MASK     (7ull << 8)
#define IOAPIC_REDIR_LOGICAL     (1ull << 11)
#define IOAPIC_REDIR_PENDING     (1ull << 12)
#define IOAPIC_REDIR_ACTIVE_LOW  (1ull << 13)
#define IOAPIC_REDIR_REMOTE_IRR  (1ull << 14)
#define IOAPIC_REDIR_LEVEL       (1ull << 15)
#define IOAPIC_REDIR_MASKED      (1ull << 16)
#define IOAPIC_REDIR_DEST_SHIFT  56

/* Registers the IOAPICs of the MADT and masks every pin. */
void ioapic_init(void);
unsigned ioapic_count(void);
uint32_t ioapic_read(unsigned index, uint8_t reg);
void ioapic_write(unsigned index, uint8_t reg, uint32_t value);
unsigned ioapic_pins(unsigned index);
/* The IOAPIC and pin that serve a GSI; false if none does. */
bool ioapic_find_gsi(uint32_t gsi, unsigned *index, unsigned *pin);
uint64_t ioapic_redir_read(unsigned index, unsigned pin);
void ioapic_redir_write(unsigned index, unsigned pin, uint64_t entry);
/* Routes an ISA IRQ through the MADT (interrupt source override, else
 * identity, ACPI 6.5 5.2.12.5): writes `entry` (vector, delivery mode,
 * destination, mask) with the polarity and trigger mode the MADT gives (ISA
 * default: edge, active high) to the pin that serves the GSI. False if no
 * IOAPIC serves it; *index and *pin name the pin used. */
bool ioapic_route_isa_irq(uint8_t irq, uint64_t entry, unsigned *index, unsigned *pin);

/* Masks every pin of every IOAPIC (case isolation). */
void ioapic_mask_all(void);

#endif

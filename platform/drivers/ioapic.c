/* I/O APIC driver; see ioapic.h. */
#include "drivers/ioapic.h"

#include "drivers/acpi.h"

#define IOAPIC_MAX_PINS 256   /* the version register's 8-bit entry count + 1 */

/* Pins per IOAPIC, read once: every register access is a VM exit. */
static unsigned pin_counts[ACPI_MAX_IOAPICS];

/* Pins that may be unmasked: any written through this driver with the mask
 * bit clear, and all of them until ioapic_init() masked what firmware left.
 * ioapic_mask_all() then touches only these, so the case isolation costs
 * two register writes per pin a case used, not per pin (a VM exit each,
 * ~50 us under nested KVM). Every write to the IOAPIC goes through
 * ioapic_write(), so the record is complete. */
static uint64_t maybe_unmasked[ACPI_MAX_IOAPICS][IOAPIC_MAX_PINS / 64];

static void note_redirection_write(unsigned index, uint8_t reg, uint32_t value)
{
    if (reg < IOAPIC_REG_REDIR(0) || (reg - IOAPIC_REG_REDIR(0)) % 2)
        return;   /* not the low half of an entry, which holds the mask */
    unsigned pin = (reg - IOAPIC_REG_REDIR(0)) / 2;
    if (value & IOAPIC_REDIR_MASKED)
        maybe_unmasked[index][pin / 64] &= ~(1ull << (pin % 64));
    else
        maybe_unmasked[index][pin / 64] |= 1ull << (pin % 64);
}

static volatile uint32_t *reg32(unsigned index, unsigned offset)
{
    return (volatile uint32_t *)((uint64_t)acpi_get()->ioapics[index].address + offset);
}

unsigned ioapic_count(void)
{
    return acpi_get()->ioapic_count;
}

uint32_t ioapic_read(unsigned index, uint8_t reg)
{
    *reg32(index, IOAPIC_REGSEL) = reg;
    return *reg32(index, IOAPIC_WINDOW);
}

void ioapic_write(unsigned index, uint8_t reg, uint32_t value)
{
    note_redirection_write(index, reg, value);
    *reg32(index, IOAPIC_REGSEL) = reg;
    *reg32(index, IOAPIC_WINDOW) = value;
}

unsigned ioapic_pins(unsigned index)
{
    if (!pin_counts[index])
        pin_counts[index] =
            ((ioapic_read(index, IOAPIC_REG_VERSION) >> IOAPIC_MAX_REDIR_SHIFT) & 0xff) + 1;
    return pin_counts[index];
}

bool ioapic_find_gsi(uint32_t gsi, unsigned *index, unsigned *pin)
{
    for (unsigned i = 0; i < ioapic_count(); i++) {
        uint32_t base = acpi_get()->ioapics[i].gsi_base;
        if (gsi >= base && gsi < base + ioapic_pins(i)) {
            *index = i;
            *pin = gsi - base;
            return true;
        }
    }
    return false;
}

uint64_t ioapic_redir_read(unsigned index, unsigned pin)
{
    uint64_t lo = ioapic_read(index, (uint8_t)IOAPIC_REG_REDIR(pin));
    uint64_t hi = ioapic_read(index, (uint8_t)(IOAPIC_REG_REDIR(pin) + 1));
    return (hi << 32) | lo;
}

void ioapic_redir_write(unsigned index, unsigned pin, uint64_t entry)
{
    /* Mask first so the entry is never live half-written. */
    ioapic_write(index, (uint8_t)IOAPIC_REG_REDIR(pin), (uint32_t)IOAPIC_REDIR_MASKED);
    ioapic_write(index, (uint8_t)(IOAPIC_REG_REDIR(pin) + 1), (uint32_t)(entry >> 32));
    ioapic_write(index, (uint8_t)IOAPIC_REG_REDIR(pin), (uint32_t)entry);
}

bool ioapic_route_isa_irq(uint8_t irq, uint64_t entry, unsigned *index, unsigned *pin)
{
    uint16_t flags;
    uint32_t gsi = acpi_isa_irq_to_gsi(irq, &flags);
    if (!ioapic_find_gsi(gsi, index, pin))
        return false;
    entry &= ~(IOAPIC_REDIR_ACTIVE_LOW | IOAPIC_REDIR_LEVEL);
    if ((flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW)
        entry |= IOAPIC_REDIR_ACTIVE_LOW;
    if ((flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL)
        entry |= IOAPIC_REDIR_LEVEL;
    ioapic_redir_write(*index, *pin, entry);
    return true;
}

/* Setting the mask bit in the low half is enough to silence a pin. */
void ioapic_mask_all(void)
{
    for (unsigned i = 0; i < ioapic_count(); i++)
        for (unsigned pin = 0; pin < ioapic_pins(i); pin++)
            if (maybe_unmasked[i][pin / 64] & (1ull << (pin % 64)))
                ioapic_write(i, (uint8_t)IOAPIC_REG_REDIR(pin), (uint32_t)IOAPIC_REDIR_MASKED);
}

/* Firmware may have left any pin live. */
void ioapic_init(void)
{
    for (unsigned i = 0; i < ioapic_count(); i++)
        for (unsigned w = 0; w < IOAPIC_MAX_PINS / 64; w++)
            maybe_unmasked[i][w] = ~0ull;
    ioapic_mask_all();
}

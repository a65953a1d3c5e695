/* ioapic: the registers behind IOREGSEL/IOWIN: identification, version,
 * arbitration, and which redirection-entry bits software owns. */
#include "delivery.h"

#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "test/protocol.h"

#define MIN_INTEGRATED_VERSION   0x10u   /* 0x0X: discrete 82489DX */
#define MAX_KNOWN_VERSION        0x2fu
#define MAX_PINS                 240u    /* 82093AA 3.2.2: entries 0-239 */
#define ISA_IRQS                 16u
#define PATTERN_VECTOR           0xa5u
#define PATTERN_LOGICAL_DEST     0xf5ull /* logical mode: bits 63:56 */
#define PATTERN_PHYSICAL_DEST    0x0aull /* physical mode: bits 59:56 (82093AA 3.2.4) */

/* The bits software writes (82093AA 3.2.4): vector, delivery mode,
 * destination mode, polarity, trigger mode, mask, destination. */
#define REDIR_WRITABLE (IOAPIC_REDIR_VECTOR_MASK | IOAPIC_REDIR_DM_MASK | IOAPIC_REDIR_LOGICAL | \
                        IOAPIC_REDIR_ACTIVE_LOW | IOAPIC_REDIR_LEVEL | IOAPIC_REDIR_MASKED | \
                        (0xffull << IOAPIC_REDIR_DEST_SHIFT))

static uint8_t version_of(unsigned index)
{
    return ioapic_read(index, IOAPIC_REG_VERSION) & IOAPIC_VERSION_MASK;
}

static uint8_t id_of(unsigned index)
{
    return (ioapic_read(index, IOAPIC_REG_ID) >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
}

static void set_id(unsigned index, uint8_t id)
{
    uint32_t reg = ioapic_read(index, IOAPIC_REG_ID) & ~(IOAPIC_ID_MASK << IOAPIC_ID_SHIFT);
    ioapic_write(index, IOAPIC_REG_ID, reg | ((uint32_t)id << IOAPIC_ID_SHIFT));
}

static bool first_ioapic_has_arbitration_register(void)
{
    return ioapic_count() > 0 && version_of(0) < IOAPIC_VERSION_HAS_EOI;
}

/* 82093AA 3.2.2: the version register holds the APIC version (1xh for an
 * IOAPIC; 20h on Intel chipsets' IOxAPIC) and the maximum redirection entry
 * (pins - 1, 0-239). The IOAPIC at GSI 0 of a PC has the 16 ISA inputs. */
TEST_CASE_CONDITIONAL(ioapic_version_register_gives_version_and_entries, ioapic_count() > 0,
                      "82093AA 3.2.2")
{
    for (unsigned i = 0; i < ioapic_count(); i++) {
        uint32_t reg = ioapic_read(i, IOAPIC_REG_VERSION);
        unsigned pins = ((reg >> IOAPIC_MAX_REDIR_SHIFT) & IOAPIC_MAX_REDIR_MASK) + 1;
        protocol_fact("ioapic.version", "0x%02x", reg & IOAPIC_VERSION_MASK);
        protocol_fact("ioapic.pins", "%u", pins);
        ASSERT_GE(reg & IOAPIC_VERSION_MASK, MIN_INTEGRATED_VERSION);
        ASSERT_LE(reg & IOAPIC_VERSION_MASK, MAX_KNOWN_VERSION);
        ASSERT_LE(pins, MAX_PINS);
        ASSERT_EQ(pins, ioapic_pins(i));
        if (acpi_get()->ioapics[i].gsi_base == 0 && acpi_get()->pcat_compat)
            ASSERT_GE(pins, ISA_IRQS);
    }
}

/* 82093AA 3.2.1 and ACPI 6.5 5.2.12.3: firmware programs each IOAPIC's ID
 * and reports it in the MADT. Neither document obliges firmware to make
 * the two agree (ACPI only calls the field "the I/O APIC's ID"), and OSes
 * cope with a mismatch; a bare-metal baseline shows how common one is. */
TEST_CASE_CONDITIONAL(ioapic_id_register_matches_the_madt, ioapic_count() > 0,
                      "82093AA 3.2.1; ACPI 6.5 5.2.12.3")
{
    for (unsigned i = 0; i < ioapic_count(); i++)
        ASSERT_EQ(id_of(i), acpi_get()->ioapics[i].id & IOAPIC_ID_MASK);
}

/* 82093AA 3.2.1: the ID field (bits 27:24) is read/write. */
TEST_CASE_CONDITIONAL(ioapic_id_register_is_writable, ioapic_count() > 0, "82093AA 3.2.1")
{
    uint8_t id = id_of(0), other = (uint8_t)(id ^ 1);
    set_id(0, other);
    uint8_t got = id_of(0);
    set_id(0, id);
    ASSERT_EQ(got, other);
    ASSERT_EQ(id_of(0), id);
}

/* 82093AA 3.2.1, 3.2.3: writing the ID also loads the APIC bus
 * arbitration ID (read-only at register 02h); with no message sent since,
 * they are equal. IOAPICs on the system bus (version 20h on) have no APIC
 * bus and no such register. */
TEST_CASE_CONDITIONAL(ioapic_arbitration_id_is_loaded_by_an_id_write,
                      first_ioapic_has_arbitration_register(), "82093AA 3.2.3")
{
    uint8_t id = id_of(0), other = (uint8_t)(id ^ 1);
    set_id(0, other);
    uint32_t arb = ioapic_read(0, IOAPIC_REG_ARBITRATION);
    set_id(0, id);
    ASSERT_EQ((arb >> IOAPIC_ARBITRATION_SHIFT) & IOAPIC_ARBITRATION_MASK, other);
}

/* 82093AA 3.2.4: every redirection entry holds what software wrote to its
 * read/write fields. Two patterns that are each other's complement in
 * every writable bit but the mask (kept set: an entry under test never
 * delivers): fixed, logical, active low, level against ExtINT, physical,
 * active high, edge. */
TEST_CASE_CONDITIONAL(ioapic_every_redirection_entry_holds_its_writable_fields,
                      ioapic_count() > 0, "82093AA 3.2.4")
{
    static const uint64_t patterns[] = {
        PATTERN_VECTOR | IOAPIC_REDIR_DM_FIXED | IOAPIC_REDIR_LOGICAL | IOAPIC_REDIR_ACTIVE_LOW |
            IOAPIC_REDIR_LEVEL | IOAPIC_REDIR_MASKED | (PATTERN_LOGICAL_DEST << IOAPIC_REDIR_DEST_SHIFT),
        (uint8_t)~PATTERN_VECTOR | IOAPIC_REDIR_DM_EXTINT | IOAPIC_REDIR_MASKED |
            (PATTERN_PHYSICAL_DEST << IOAPIC_REDIR_DEST_SHIFT),
    };
    for (unsigned i = 0; i < ioapic_count(); i++)
        for (unsigned pin = 0; pin < ioapic_pins(i); pin++) {
            uint64_t saved = ioapic_redir_read(i, pin);
            for (unsigned p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
                ioapic_redir_write(i, pin, patterns[p]);
                uint64_t got = ioapic_redir_read(i, pin) & REDIR_WRITABLE;
                if (got != patterns[p])
                    test_fail(__FILE__, __LINE__, false, FAIL_ASSERT,
                              "IOAPIC %u pin %u: wrote 0x%016llx, read 0x%016llx", i, pin,
                              (unsigned long long)patterns[p], (unsigned long long)got);
            }
            ioapic_redir_write(i, pin, saved | IOAPIC_REDIR_MASKED);
        }
}

/* 82093AA 3.2.4: Delivery Status and Remote IRR are read-only: writing
 * ones there changes neither. A masked level entry has delivered nothing,
 * so its Remote IRR reads 0. Delivery Status is compared with the entry
 * written with zeros rather than with 0: what the last pin is wired to on
 * a chipset (often a PCI PIRQ line, active low) is unknown, and whether an
 * IOxAPIC shows a masked, asserted input as pending is not specified. */
TEST_CASE_CONDITIONAL(ioapic_delivery_status_and_remote_irr_ignore_writes, ioapic_count() > 0,
                      "82093AA 3.2.4")
{
    static const uint64_t read_only = IOAPIC_REDIR_PENDING | IOAPIC_REDIR_REMOTE_IRR;
    unsigned pin = ioapic_pins(0) - 1;       /* the last pin: no ISA device */
    uint64_t saved = ioapic_redir_read(0, pin);
    uint64_t entry = VECTOR_TEST_FIRST | IOAPIC_REDIR_LEVEL | IOAPIC_REDIR_MASKED;
    ioapic_redir_write(0, pin, entry);
    uint64_t zeros_written = ioapic_redir_read(0, pin);
    ioapic_redir_write(0, pin, entry | read_only);
    uint64_t ones_written = ioapic_redir_read(0, pin);
    ioapic_redir_write(0, pin, saved | IOAPIC_REDIR_MASKED);
    ASSERT_EQ(ones_written & read_only, zeros_written & read_only);
    ASSERT_EQ(ones_written & IOAPIC_REDIR_REMOTE_IRR, 0);
}

/* LINT1, the PC's NMI input (MP spec 1.4 5.1: LINT1 is NMI in the default
 * configurations). Chipsets drive it from SERR#/IOCHK# and watchdogs; no
 * architectural register asserts it from software (port 0x61 only
 * enables those sources, port 0x70 bit 7 masks them), so delivery cannot
 * be triggered here: the cases check what software can see. */
#include "drivers/acpi.h"
#include "drivers/lapic.h"
#include "test/test.h"

/* The LINT input number in the MADT's Local APIC NMI structure. */
#define MADT_LINT1 1

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* SDM Vol. 3A 11.5.1, Figure 11-8: LINT1 as an edge NMI, unmasked and
 * masked, reads back as written (NMI is always edge; "level-sensitive
 * interrupts are not supported for LINT1", so software writes edge). */
TEST_CASE_CONDITIONAL(lint1_programmed_as_nmi_reads_back_as_written, lapic_usable(),
                      "SDM Vol. 3A 11.5.1")
{
    static const uint32_t entries[] = { LAPIC_DM_NMI, LAPIC_DM_NMI | LAPIC_LVT_MASKED };
    static const uint32_t writable = LAPIC_VECTOR_MASK | LAPIC_DM_MASK | LAPIC_POLARITY_LOW |
                                     LAPIC_TRIGGER_LEVEL | LAPIC_LVT_MASKED;
    for (unsigned i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        lapic_write(LAPIC_LVT_LINT1, entries[i]);
        ASSERT_EQ(lapic_read(LAPIC_LVT_LINT1) & writable, entries[i]);
        ASSERT_FALSE(lapic_read(LAPIC_LVT_LINT1) & LAPIC_DELIVERY_PENDING);
    }
}

/* ACPI 6.5 5.2.12.7: the MADT's Local APIC NMI structures say which LINT
 * input carries NMI; on a PC it is LINT1 (MP spec 1.4 5.1, default configurations). */
TEST_CASE_CONDITIONAL(madt_wires_nmi_to_lint1, acpi_get()->lapic_nmi_count > 0,
                      "ACPI 6.5 5.2.12.7")
{
    const struct acpi_info *a = acpi_get();
    for (unsigned i = 0; i < a->lapic_nmi_count; i++)
        ASSERT_EQ(a->lapic_nmis[i].lint, MADT_LINT1);
}

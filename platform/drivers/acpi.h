/* ACPI table discovery (ACPI 6.5 chapter 5): RSDP, XSDT/RSDT, MADT, HPET,
 * FADT. What the platform needs, parsed once; every fallback taken is
 * printed as a CERTIFY FACT. */
#ifndef PLATFORM_DRIVERS_ACPI_H
#define PLATFORM_DRIVERS_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_IOAPICS    8
#define ACPI_MAX_OVERRIDES  16
#define ACPI_MAX_LAPICS     64
#define ACPI_MAX_NMI_SOURCES 8

/* MADT entry types (ACPI 6.5 5.2.12). */
#define MADT_LAPIC              0
#define MADT_IOAPIC             1
#define MADT_INTERRUPT_OVERRIDE 2
#define MADT_NMI_SOURCE         3
#define MADT_LAPIC_NMI          4
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define MADT_X2APIC             9
#define MADT_X2APIC_NMI         0xa
#define MADT_LAPIC_ENABLED      (1u << 0)
#define MADT_PCAT_COMPAT        (1u << 0)     /* MADT flags: dual 8259 present */

/* MPS INTI flags of overrides and NMI sources (ACPI 6.5 Table 5.26). */
#define MPS_POLARITY_MASK       0x3
#define MPS_POLARITY_HIGH       0x1
#define MPS_POLARITY_LOW        0x3
#define MPS_TRIGGER_MASK        0xc
#define MPS_TRIGGER_EDGE        0x4
#define MPS_TRIGGER_LEVEL       0xc

/* FADT fields used here. */
#define FADT_FLAG_TMR_VAL_EXT   (1u << 8)
#define ACPI_SCI_EN             (1u << 0)
#define ACPI_SLP_EN             (1u << 13)
#define ACPI_SLP_TYP_SHIFT      10

struct acpi_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

struct acpi_override {
    uint8_t bus, source;    /* ISA IRQ */
    uint32_t gsi;
    uint16_t flags;         /* MPS INTI flags */
};

struct acpi_nmi_source {
    uint32_t gsi;
    uint16_t flags;
};

struct acpi_lapic_nmi {
    uint32_t processor;     /* 0xff / 0xffffffff: all */
    uint8_t lint;
    uint16_t flags;
};

struct acpi_info {
    bool found;
    uint64_t rsdp;
    uint8_t revision;
    char oem_id[7], oem_table_id[9];
    bool xsdt;                            /* tables came from the XSDT */
    /* MADT */
    bool madt;
    uint64_t lapic_address;
    bool pcat_compat;
    unsigned lapic_count;
    uint32_t lapic_ids[ACPI_MAX_LAPICS];
    unsigned ioapic_count;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned override_count;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    unsigned nmi_source_count;
    struct acpi_nmi_source nmi_sources[ACPI_MAX_NMI_SOURCES];
    unsigned lapic_nmi_count;
    struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_NMI_SOURCES];
    /* HPET table */
    bool hpet;
    uint64_t hpet_address;
    uint32_t hpet_block_id;
    /* FADT */
    bool fadt;
    uint32_t pm1a_control, pm1b_control;  /* I/O ports */
    uint32_t smi_command;                 /* where ACPI_ENABLE is written */
    uint8_t acpi_enable;
    uint16_t pm_timer_port;
    bool pm_timer_32bit;
    uint16_t slp_typ_s5;                  /* from \_S5 in the DSDT, if found */
    bool s5_found;
};

/* Finds the tables: RSDP from the boot loader if it gave one (rsdp != 0),
 * else the BIOS areas; prints what it found and every fallback as facts. */
void acpi_init(uint64_t rsdp_from_loader, const char *rsdp_source);
const struct acpi_info *acpi_get(void);

/* The GSI and MPS flags an ISA IRQ arrives on: an interrupt source
 * override if the MADT has one, else identity-mapped, edge, active high. */
uint32_t acpi_isa_irq_to_gsi(uint8_t irq, uint16_t *flags);

#endif

/* ACPI table discovery; see acpi.h. */
#include "drivers/acpi.h"

#include "cpu/cpu.h"
#include "lib/format.h"
#include "lib/string.h"
#include "test/protocol.h"

#define RSDP_SIGNATURE      "RSD PTR "
#define EBDA_SEGMENT_PTR    0x40e
#define BIOS_AREA_START     0xe0000
#define BIOS_AREA_END       0x100000
#define EBDA_SCAN_LENGTH    1024
#define RSDP_V1_LENGTH      20
#define AML_NAME_OP         0x08
#define AML_PACKAGE_OP      0x12
#define AML_BYTE_PREFIX     0x0a
#define AML_ZERO_OP         0x00
#define AML_ONE_OP          0x01

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

struct generic_address {
    uint8_t space, bit_width, bit_offset, access_size;
    uint64_t address;
} __attribute__((packed));

static struct acpi_info acpi;

const struct acpi_info *acpi_get(void)
{
    return &acpi;
}

/* The bytes of a table sum to 0 mod 256 (ACPI 6.5 5.2.5.3, 5.2.6). Eight
 * bytes at a time into 16-bit lanes, folded before a lane can carry into
 * the next: a DSDT is kilobytes, and an emulating VMM pays per
 * instruction. */
#define LANE_BYTES 0x00ff00ff00ff00ffull
#define QWORDS_BEFORE_FOLD 128   /* 128 * 2 * 255 < 2^16 per lane */

typedef uint64_t __attribute__((may_alias, aligned(1))) unaligned_u64;

static uint8_t fold_lanes(uint64_t lanes)
{
    return (uint8_t)(lanes + (lanes >> 16) + (lanes >> 32) + (lanes >> 48));
}

static bool checksum_ok(const void *p, uint32_t length)
{
    const uint8_t *bytes = p;
    uint8_t sum = 0;
    uint32_t i = 0;
    while (length - i >= 8) {
        uint64_t lanes = 0;
        for (unsigned q = 0; q < QWORDS_BEFORE_FOLD && length - i >= 8; q++, i += 8) {
            uint64_t x = *(const unaligned_u64 *)(bytes + i);
            lanes += (x & LANE_BYTES) + ((x >> 8) & LANE_BYTES);
        }
        sum += fold_lanes(lanes);
    }
    for (; i < length; i++)
        sum += bytes[i];
    return sum == 0;
}

static bool rsdp_valid(const struct rsdp *r)
{
    if (memcmp(r->signature, RSDP_SIGNATURE, 8) != 0 || !checksum_ok(r, RSDP_V1_LENGTH))
        return false;
    return r->revision < 2 || (r->length >= sizeof(*r) && r->length < 4096 &&
                               checksum_ok(r, r->length));
}

static uint64_t scan_rsdp(uint64_t start, uint64_t end)
{
    for (uint64_t p = start; p + sizeof(struct rsdp) <= end; p += 16)
        if (rsdp_valid((const struct rsdp *)p))
            return p;
    return 0;
}

/* ACPI 6.5 5.2.5.1: the first KiB of the EBDA, then 0xE0000-0xFFFFF. */
static uint64_t find_rsdp_in_bios_areas(void)
{
    uint64_t ebda = (uint64_t)*(const volatile uint16_t *)phys_to_virt(EBDA_SEGMENT_PTR) << 4;
    uint64_t found = 0;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        found = scan_rsdp(ebda, ebda + EBDA_SCAN_LENGTH);
    return found ? found : scan_rsdp(BIOS_AREA_START, BIOS_AREA_END);
}

static const struct sdt_header *table_at(uint64_t addr, const char *why)
{
    const struct sdt_header *h = (const struct sdt_header *)addr;
    if (!addr || addr >= (1ull << 32)) {
        if (addr)
            protocol_fact("fallback.acpi", "%s table at 0x%llx is above 4 GiB, not mapped", why,
                          (unsigned long long)addr);
        return NULL;
    }
    if (h->length < sizeof(*h) || !checksum_ok(h, h->length)) {
        protocol_fact("fallback.acpi", "%s table at 0x%llx has a bad checksum or length; ignored",
                      why, (unsigned long long)addr);
        return NULL;
    }
    return h;
}

static void parse_madt(const struct sdt_header *h)
{
    const uint8_t *p = (const uint8_t *)h;
    acpi.madt = true;
    acpi.lapic_address = *(const uint32_t *)(p + 36);
    acpi.pcat_compat = *(const uint32_t *)(p + 40) & MADT_PCAT_COMPAT;
    for (uint32_t off = 44; off + 2 <= h->length;) {
        uint8_t type = p[off], len = p[off + 1];
        if (len < 2 || off + len > h->length)
            break;
        const uint8_t *e = p + off;
        switch (type) {
        case MADT_LAPIC:
            if ((*(const uint32_t *)(e + 4) & MADT_LAPIC_ENABLED) &&
                acpi.lapic_count < ACPI_MAX_LAPICS)
                acpi.lapic_ids[acpi.lapic_count++] = e[3];
            break;
        case MADT_X2APIC:
            if ((*(const uint32_t *)(e + 8) & MADT_LAPIC_ENABLED) &&
                acpi.lapic_count < ACPI_MAX_LAPICS)
                acpi.lapic_ids[acpi.lapic_count++] = *(const uint32_t *)(e + 4);
            break;
        case MADT_IOAPIC:
            if (acpi.ioapic_count < ACPI_MAX_IOAPICS)
                acpi.ioapics[acpi.ioapic_count++] = (struct acpi_ioapic){
                    e[2], *(const uint32_t *)(e + 4), *(const uint32_t *)(e + 8) };
            break;
        case MADT_INTERRUPT_OVERRIDE:
            if (acpi.override_count < ACPI_MAX_OVERRIDES)
                acpi.overrides[acpi.override_count++] = (struct acpi_override){
                    e[2], e[3], *(const uint32_t *)(e + 4), *(const uint16_t *)(e + 8) };
            break;
        case MADT_NMI_SOURCE:
            if (acpi.nmi_source_count < ACPI_MAX_NMI_SOURCES)
                acpi.nmi_sources[acpi.nmi_source_count++] = (struct acpi_nmi_source){
                    *(const uint32_t *)(e + 4), *(const uint16_t *)(e + 2) };
            break;
        case MADT_LAPIC_NMI:
            if (acpi.lapic_nmi_count < ACPI_MAX_NMI_SOURCES)
                acpi.lapic_nmis[acpi.lapic_nmi_count++] = (struct acpi_lapic_nmi){
                    e[2] == 0xff ? 0xffffffffu : e[2], e[5], *(const uint16_t *)(e + 3) };
            break;
        case MADT_LAPIC_ADDR_OVERRIDE:
            acpi.lapic_address = *(const uint64_t *)(e + 4);
            break;
        }
        off += len;
    }
}

static void parse_hpet(const struct sdt_header *h)
{
    const uint8_t *p = (const uint8_t *)h;
    if (h->length < 56)
        return;
    const struct generic_address *ga = (const struct generic_address *)(p + 40);
    acpi.hpet = true;
    acpi.hpet_block_id = *(const uint32_t *)(p + 36);
    acpi.hpet_address = ga->address;
}

/* Finds \_S5's SLP_TYPa in the DSDT: the AML "_S5_" Name holds a Package
 * whose first element is SLP_TYPa (ACPI 6.5 7.4.2). A byte scan, not an
 * interpreter: it handles the encodings firmware and VMMs emit. */
static void find_s5(const struct sdt_header *dsdt)
{
    const uint8_t *p = (const uint8_t *)dsdt;
    for (uint32_t i = sizeof(*dsdt); i + 8 < dsdt->length; i++) {
        /* '5' is rare in AML: scan for it, then look at the name around. */
        const uint8_t *five = memchr(p + i + 2, '5', dsdt->length - 8 - i);
        if (!five)
            return;
        i = (uint32_t)(five - 2 - p);
        if (memcmp(p + i, "_S5_", 4) != 0)
            continue;
        if (p[i - 1] != AML_NAME_OP && !(p[i - 2] == AML_NAME_OP && p[i - 1] == '\\'))
            continue;
        uint32_t j = i + 4;
        if (p[j] != AML_PACKAGE_OP)
            continue;
        j++;
        j += (uint32_t)(p[j] >> 6) + 1;   /* PkgLength: 1 + (lead >> 6) bytes */
        j++;                               /* NumElements */
        uint8_t v;
        if (p[j] == AML_BYTE_PREFIX) v = p[j + 1];
        else if (p[j] == AML_ZERO_OP) v = 0;
        else if (p[j] == AML_ONE_OP) v = 1;
        else continue;
        acpi.slp_typ_s5 = v;
        acpi.s5_found = true;
        return;
    }
}

static void parse_fadt(const struct sdt_header *h)
{
    const uint8_t *p = (const uint8_t *)h;
    acpi.fadt = true;
    uint64_t dsdt = *(const uint32_t *)(p + 40);
    acpi.smi_command = *(const uint32_t *)(p + 48);
    acpi.acpi_enable = p[52];
    acpi.pm1a_control = *(const uint32_t *)(p + 64);
    acpi.pm1b_control = *(const uint32_t *)(p + 68);
    acpi.pm_timer_port = (uint16_t)*(const uint32_t *)(p + 76);
    if (h->length >= 116)
        acpi.pm_timer_32bit = *(const uint32_t *)(p + 112) & FADT_FLAG_TMR_VAL_EXT;
    if (h->length >= 148 && *(const uint64_t *)(p + 140))
        dsdt = *(const uint64_t *)(p + 140);       /* X_DSDT */
    const struct sdt_header *d = table_at(dsdt, "DSDT");
    if (d)
        find_s5(d);
}

static void parse_table(const struct sdt_header *h)
{
    if (memcmp(h->signature, "APIC", 4) == 0)
        parse_madt(h);
    else if (memcmp(h->signature, "HPET", 4) == 0)
        parse_hpet(h);
    else if (memcmp(h->signature, "FACP", 4) == 0)
        parse_fadt(h);
}

static void walk_root(const struct sdt_header *root, unsigned entry_size)
{
    const uint8_t *entries = (const uint8_t *)root + sizeof(*root);
    unsigned n = (root->length - sizeof(*root)) / entry_size;
    for (unsigned i = 0; i < n; i++) {
        uint64_t addr = entry_size == 8 ? *(const uint64_t *)(entries + i * 8)
                                        : *(const uint32_t *)(entries + i * 4);
        const struct sdt_header *h = table_at(addr, "an (X)SDT entry's");
        if (h)
            parse_table(h);
    }
}

static void print_facts(void)
{
    protocol_fact("acpi.oem", "%s %s", acpi.oem_id, acpi.oem_table_id);
    protocol_fact("acpi.revision", "%u", acpi.revision);
    protocol_fact("acpi.root", "%s", acpi.xsdt ? "xsdt" : "rsdt");
    protocol_fact("acpi.madt", "%s", acpi.madt ? "yes" : "no");
    if (acpi.madt) {
        protocol_fact("acpi.madt.lapics", "%u", acpi.lapic_count);
        protocol_fact("acpi.madt.ioapics", "%u", acpi.ioapic_count);
        protocol_fact("acpi.madt.pcat-compat", "%s", acpi.pcat_compat ? "yes" : "no");
        for (unsigned i = 0; i < acpi.override_count; i++) {
            char key[40];
            format_string(key, sizeof(key), "acpi.madt.override.irq%u", acpi.overrides[i].source);
            protocol_fact(key, "gsi%u flags=0x%x", acpi.overrides[i].gsi, acpi.overrides[i].flags);
        }
    }
    protocol_fact("acpi.hpet", "%s", acpi.hpet ? "yes" : "no");
    protocol_fact("acpi.fadt", "%s", acpi.fadt ? "yes" : "no");
    if (acpi.fadt)
        protocol_fact("acpi.s5", "%s", acpi.s5_found ? "yes" : "no");
}

void acpi_init(uint64_t rsdp_from_loader, const char *rsdp_source)
{
    memset(&acpi, 0, sizeof(acpi));
    uint64_t rsdp = rsdp_from_loader;
    if (rsdp && !rsdp_valid((const struct rsdp *)rsdp)) {
        protocol_fact("fallback.acpi", "the RSDP the loader gave (%s) is invalid; scanning",
                      rsdp_source);
        rsdp = 0;
    }
    if (!rsdp) {
        rsdp = find_rsdp_in_bios_areas();
        rsdp_source = rsdp ? "bios-scan" : "none";
        if (rsdp_from_loader == 0)
            protocol_fact("fallback.acpi", "the loader gave no RSDP; %s",
                          rsdp ? "found one in the BIOS areas" : "none in the BIOS areas either");
    }
    protocol_fact("acpi.rsdp", "%s", rsdp_source);
    if (!rsdp)
        return;

    const struct rsdp *r = (const struct rsdp *)rsdp;
    acpi.found = true;
    acpi.rsdp = rsdp;
    acpi.revision = r->revision;
    const struct sdt_header *root = NULL;
    if (r->revision >= 2 && r->xsdt) {
        root = table_at(r->xsdt, "XSDT");
        acpi.xsdt = root != NULL;
        if (!root)
            protocol_fact("fallback.acpi", "XSDT unusable; using the RSDT");
    }
    if (!root)
        root = table_at(r->rsdt, "RSDT");
    if (!root)
        return;
    memcpy(acpi.oem_id, root->oem_id, 6);
    memcpy(acpi.oem_table_id, root->oem_table_id, 8);
    for (int i = 5; i >= 0 && acpi.oem_id[i] == ' '; i--)
        acpi.oem_id[i] = '\0';
    for (int i = 7; i >= 0 && acpi.oem_table_id[i] == ' '; i--)
        acpi.oem_table_id[i] = '\0';
    walk_root(root, acpi.xsdt ? 8 : 4);
    print_facts();
}

uint32_t acpi_isa_irq_to_gsi(uint8_t irq, uint16_t *flags)
{
    for (unsigned i = 0; i < acpi.override_count; i++) {
        if (acpi.overrides[i].bus == 0 && acpi.overrides[i].source == irq) {
            if (flags)
                *flags = acpi.overrides[i].flags;
            return acpi.overrides[i].gsi;
        }
    }
    if (flags)
        *flags = 0;   /* bus default: ISA is edge-triggered, active high */
    return irq;
}

/* Parsing of the boot information of all three protocols; see bootinfo.h. */
#include "boot/bootinfo.h"

#include "lib/string.h"

static void copy_string(char *dst, uint64_t size, uint64_t src, bool *truncated)
{
    const char *s = (const char *)src;
    uint64_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        dst[i] = s[i];
    dst[i] = '\0';
    if (truncated)
        *truncated = s[i] != '\0';
}

static uint32_t read32(uint64_t addr)
{
    return *(const volatile uint32_t *)addr;
}

static void parse_multiboot1(uint64_t info, struct boot_info *b)
{
    uint32_t flags = read32(info + MB1_OFFSET_FLAGS);
    if (flags & MB1_INFO_CMDLINE)
        copy_string(b->cmdline, sizeof(b->cmdline), read32(info + MB1_OFFSET_CMDLINE),
                    &b->cmdline_truncated);
    if (flags & MB1_INFO_LOADER_NAME)
        copy_string(b->loader, sizeof(b->loader), read32(info + MB1_OFFSET_LOADER_NAME), NULL);
}

static void parse_multiboot2(uint64_t info, struct boot_info *b)
{
    uint32_t total = read32(info);
    uint64_t tag = info + 8, end = info + total;
    while (tag + 8 <= end) {
        uint32_t type = read32(tag), size = read32(tag + 4);
        if (type == MB2_TAG_END || size < 8)
            break;
        switch (type) {
        case MB2_TAG_CMDLINE:
            copy_string(b->cmdline, sizeof(b->cmdline), tag + 8, &b->cmdline_truncated);
            break;
        case MB2_TAG_LOADER_NAME:
            copy_string(b->loader, sizeof(b->loader), tag + 8, NULL);
            break;
        case MB2_TAG_ACPI_NEW:   /* preferred: it may carry the XSDT */
            b->rsdp = tag + 8;
            b->rsdp_source = "multiboot2-new";
            break;
        case MB2_TAG_ACPI_OLD:
            if (!b->rsdp) {
                b->rsdp = tag + 8;
                b->rsdp_source = "multiboot2-old";
            }
            break;
        }
        tag += (size + MB2_TAG_ALIGN - 1) & ~(uint64_t)(MB2_TAG_ALIGN - 1);
    }
}

static void parse_pvh(uint64_t info, struct boot_info *b)
{
    const struct hvm_start_info *si = (const struct hvm_start_info *)info;
    if (si->magic != PVH_START_INFO_MAGIC)
        return;
    if (si->cmdline_paddr)
        copy_string(b->cmdline, sizeof(b->cmdline), si->cmdline_paddr, &b->cmdline_truncated);
    if (si->rsdp_paddr) {
        b->rsdp = si->rsdp_paddr;
        b->rsdp_source = "pvh";
    }
}

void bootinfo_parse(uint32_t magic, uint64_t info, struct boot_info *b)
{
    memset(b, 0, sizeof(*b));
    b->magic = magic;
    b->rsdp_source = "none";
    switch (magic) {
    case MULTIBOOT1_LOADER_MAGIC:
        b->protocol = BOOT_MULTIBOOT1;
        parse_multiboot1(info, b);
        break;
    case MULTIBOOT2_LOADER_MAGIC:
        b->protocol = BOOT_MULTIBOOT2;
        parse_multiboot2(info, b);
        break;
    case PVH_START_INFO_MAGIC:
        b->protocol = BOOT_PVH;
        parse_pvh(info, b);
        break;
    default:
        b->protocol = BOOT_UNKNOWN;
        break;
    }
}

const char *boot_protocol_name(enum boot_protocol p)
{
    switch (p) {
    case BOOT_MULTIBOOT1: return "multiboot1";
    case BOOT_MULTIBOOT2: return "multiboot2";
    case BOOT_PVH: return "pvh";
    default: return "unknown";
    }
}

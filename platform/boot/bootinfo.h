/* What the boot loader told us, whichever protocol it used: Multiboot 1
 * (Multiboot spec 0.6.96 section 3.3), Multiboot 2 (Multiboot2 spec 3.6) or
 * Xen PVH (xen/include/public/arch-x86/hvm/start_info.h). */
#ifndef PLATFORM_BOOT_BOOTINFO_H
#define PLATFORM_BOOT_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define MULTIBOOT1_LOADER_MAGIC   0x2badb002u
#define MULTIBOOT2_LOADER_MAGIC   0x36d76289u
#define PVH_START_INFO_MAGIC      0x336ec578u   /* also what entry.asm passes */

/* Multiboot 1 info flags and offsets. */
#define MB1_INFO_CMDLINE          (1u << 2)
#define MB1_INFO_LOADER_NAME      (1u << 9)
#define MB1_OFFSET_FLAGS          0
#define MB1_OFFSET_CMDLINE        16
#define MB1_OFFSET_LOADER_NAME    64

/* Multiboot 2 tag types. */
#define MB2_TAG_END               0
#define MB2_TAG_CMDLINE           1
#define MB2_TAG_LOADER_NAME       2
#define MB2_TAG_ACPI_OLD          14   /* copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW          15   /* copy of the ACPI 2.0+ RSDP */
#define MB2_TAG_ALIGN             8

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    /* version 1 adds a memory map; we do not need it */
} __attribute__((packed));

enum boot_protocol {
    BOOT_UNKNOWN,
    BOOT_MULTIBOOT1,
    BOOT_MULTIBOOT2,
    BOOT_PVH,
};

#define BOOT_CMDLINE_MAX 4096

struct boot_info {
    enum boot_protocol protocol;
    uint32_t magic;                      /* as received in EAX */
    char cmdline[BOOT_CMDLINE_MAX];      /* copied: the loader's memory is not ours */
    bool cmdline_truncated;
    char loader[64];
    uint64_t rsdp;                       /* 0 when the loader gave none */
    const char *rsdp_source;             /* "multiboot2-new", ... (docs/protocol.md) */
};

void bootinfo_parse(uint32_t magic, uint64_t info, struct boot_info *out);
const char *boot_protocol_name(enum boot_protocol p);

#endif

/* GDT and TSS set-up; see gdt.h. */
#include "cpu/gdt.h"

#include "lib/string.h"

#define SEG_CODE64_KERNEL 0x00af9a000000ffffull
#define SEG_DATA_KERNEL   0x00cf92000000ffffull
#define SEG_CODE32_USER   0x00cffa000000ffffull
#define SEG_DATA_USER     0x00cff2000000ffffull
#define SEG_CODE64_USER   0x00affa000000ffffull
#define SEG_TSS_AVAILABLE 0x89ull            /* present, type 9: 64-bit TSS */

/* gdt_init_cpu() writes it whole before use: no zeroing at entry. */
static struct cpu_tables bsp __attribute__((section(".bss.noinit")));

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

uint64_t ist_stack_top(unsigned ist)
{
    return (uint64_t)&bsp.ist_stacks[ist - 1][IST_STACK_SIZE];
}

struct tss64 *tss_get(void)
{
    return &bsp.tss;
}

void gdt_init(void)
{
    gdt_init_cpu(&bsp);
}

void gdt_init_cpu(struct cpu_tables *t)
{
    struct tss64 *tss = &t->tss;
    uint64_t *gdt = t->gdt;
    memset(tss, 0, sizeof(*tss));
    for (unsigned i = 1; i <= IST_COUNT; i++)
        tss->ist[i - 1] = (uint64_t)&t->ist_stacks[i - 1][IST_STACK_SIZE];
    tss->rsp[0] = (uint64_t)&t->ring0_stack[IST_STACK_SIZE];
    tss->iomap_base = sizeof(*tss);   /* no I/O bitmap: ring 3 port I/O faults */

    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;
    gdt[0] = 0;
    gdt[GDT_KERNEL_CS / 8] = SEG_CODE64_KERNEL;
    gdt[GDT_KERNEL_DS / 8] = SEG_DATA_KERNEL;
    gdt[GDT_USER_CS32 / 8] = SEG_CODE32_USER;
    gdt[GDT_USER_DS / 8] = SEG_DATA_USER;
    gdt[GDT_USER_CS / 8] = SEG_CODE64_USER;
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                       (SEG_TSS_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
                       (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;

    struct descriptor_pointer p = { sizeof(t->gdt) - 1, (uint64_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3\n\t"
        :
        : "m"(p), "i"(GDT_KERNEL_CS), "i"(GDT_KERNEL_DS), "r"((uint16_t)GDT_TSS)
        : "rax", "memory");
}

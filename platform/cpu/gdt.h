/* The GDT (kernel and user segments, TSS) and the TSS with its interrupt
 * stacks (SDM Vol. 3A 3.4.5, 8.7). The layout fits SYSCALL/SYSRET: user
 * 32-bit code, user data, user 64-bit code in a row (SDM Vol. 2B SYSRET). */
#ifndef PLATFORM_CPU_GDT_H
#define PLATFORM_CPU_GDT_H

#include <stdint.h>

#define GDT_KERNEL_CS   0x08
#define GDT_KERNEL_DS   0x10
#define GDT_USER_CS32   0x18
#define GDT_USER_DS     0x20
#define GDT_USER_CS     0x28
#define GDT_TSS         0x30
#define SELECTOR_RPL3   3

/* Interrupt stack table slots (1-based, as in the IDT gate). */
#define IST_DOUBLE_FAULT    1
#define IST_NMI             2
#define IST_MACHINE_CHECK   3
#define IST_SPARE           4   /* for cases that need an untouched stack */
#define IST_COUNT           4
#define IST_STACK_SIZE      8192

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

#define GDT_ENTRIES 8

/* One CPU's GDT, TSS and interrupt stacks. The BSP uses gdt.c's own; each
 * AP (platform/smp) has its own set, because LTR marks the TSS descriptor
 * busy (SDM Vol. 3A 8.2.2) and two CPUs must not share IST stacks. */
struct cpu_tables {
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    struct tss64 tss __attribute__((aligned(16)));
    uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
    /* TSS.RSP0: the stack of an interrupt or exception taken in ring 3
     * (SDM Vol. 3A 6.14.4); without it the CPU pushes below address 0. */
    uint8_t ring0_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* The BSP's tables, filled and loaded on the calling CPU. */
void gdt_init(void);
/* Fills `t` (the same segments, a TSS on t's IST stacks) and loads it on
 * the calling CPU: LGDT, CS/DS/ES/SS reloaded, LTR. */
void gdt_init_cpu(struct cpu_tables *t);
struct tss64 *tss_get(void);
/* The top of interrupt stack `ist` (1-based). */
uint64_t ist_stack_top(unsigned ist);

#endif

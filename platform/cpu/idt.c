/* IDT set-up; see idt.h. */
#include "cpu/idt.h"

#include <stdbool.h>

#include "cpu/gdt.h"
#include "cpu/processor-flags.h"
#include "lib/string.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;   /* P, DPL, type */
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

#define IDT_GATE_PRESENT 0x80

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));
/* The default gates, built once: restoring them after a case is one copy,
 * where building 256 gates again cost ~5 ms a case under an emulating
 * VMM. Written whole before use: no zeroing at entry. */
static struct idt_gate default_idt[256] __attribute__((section(".bss.noinit")));
static bool default_idt_built;

void idt_set_gate(uint8_t vector, uint8_t type, uint8_t dpl, uint8_t ist)
{
    uint64_t target = isr_stub_table[vector];
    idt[vector] = (struct idt_gate){
        .offset_low = target & 0xffff,
        .selector = GDT_KERNEL_CS,
        .ist = ist & 7,
        .type_attr = IDT_GATE_PRESENT | (uint8_t)((dpl & 3) << 5) | (type & 0xf),
        .offset_mid = (target >> 16) & 0xffff,
        .offset_high = (uint32_t)(target >> 32),
    };
}

static void build_default_idt(void)
{
    for (unsigned v = 0; v < 256; v++)
        idt_set_gate((uint8_t)v, IDT_TYPE_INTERRUPT_GATE, 0, 0);
    idt_set_gate(X86_EXC_DF, IDT_TYPE_INTERRUPT_GATE, 0, IST_DOUBLE_FAULT);
    idt_set_gate(X86_EXC_NMI, IDT_TYPE_INTERRUPT_GATE, 0, IST_NMI);
    idt_set_gate(X86_EXC_MC, IDT_TYPE_INTERRUPT_GATE, 0, IST_MACHINE_CHECK);
    memcpy(default_idt, idt, sizeof(idt));
    default_idt_built = true;
}

/* A case may change any gate, through idt_set_gate or by writing the
 * table it finds with SIDT: the whole table is copied back. */
void idt_init(void)
{
    if (default_idt_built)
        memcpy(idt, default_idt, sizeof(idt));
    else
        build_default_idt();

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

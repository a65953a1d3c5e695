/* Segment loads that fault: #NP for a not-present data segment, #SS for a
 * not-present stack segment, #GP(selector) for the wrong type or
 * privilege (SDM Vol. 2B MOV, Vol. 3A 6.15 Interrupts 11-13). The cases
 * run on a copy of the GDT with one descriptor added; the framework
 * reloads the platform GDT afterwards. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/safe.h"
#include "test/test.h"

/* Descriptor fields (SDM Vol. 3A 3.4.5): flat 4 GiB, G=1, D/B=1. */
#define DESC_FLAT_4G       0x00cf00000000ffffull
#define DESC_PRESENT       (1ull << 47)
#define DESC_S_CODE_DATA   (1ull << 44)
#define DESC_TYPE_DATA_RW  (2ull << 40)
#define DESC_TYPE_DATA_RO  (0ull << 40)
#define DATA_RW_NOT_PRESENT (DESC_FLAT_4G | DESC_S_CODE_DATA | DESC_TYPE_DATA_RW)
#define DATA_RO_PRESENT    (DESC_FLAT_4G | DESC_S_CODE_DATA | DESC_TYPE_DATA_RO | DESC_PRESENT)
#define SELECTOR_ERROR_CODE(sel) ((uint32_t)(sel) & ~(uint32_t)SELECTOR_RPL3)   /* index, TI; EXT = IDT = 0 */
#define MAX_GDT_COPY 32
#define NULL_SELECTOR 0

struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint64_t gdt_copy[MAX_GDT_COPY] __attribute__((aligned(16)));

/* Loads a copy of the live GDT with `descriptor` appended; returns its
 * selector (RPL 0). */
static uint16_t load_gdt_with(uint64_t descriptor)
{
    struct descriptor_table_pointer p;
    __asm__ volatile("sgdt %0" : "=m"(p));
    unsigned entries = (p.limit + 1u) / 8;
    const uint64_t *live = (const uint64_t *)p.base;
    for (unsigned i = 0; i < entries; i++)
        gdt_copy[i] = live[i];
    gdt_copy[entries] = descriptor;
    struct descriptor_table_pointer copy = { (uint16_t)((entries + 1) * 8 - 1),
                                             (uint64_t)gdt_copy };
    __asm__ volatile("lgdt %0" : : "m"(copy) : "memory");
    return (uint16_t)(entries * 8);
}

enum segment_register { DS, SS };

struct segment_case {
    uint64_t descriptor;       /* appended to the GDT; 0: use `selector` */
    uint16_t selector;
    enum segment_register reg;
    uint8_t vector;            /* 0: the load succeeds */
};

static void check_segment_load(const struct segment_case *c)
{
    uint16_t selector = c->descriptor ? load_gdt_with(c->descriptor) : c->selector;
    exinfo_t got = c->reg == DS ? load_ds_safe(selector)
                                : catch_record(trigger_load_ss, (void *)(uint64_t)selector).info;
    __asm__ volatile("movw %w0, %%ds" : : "r"((uint16_t)GDT_KERNEL_DS));
    exinfo_t expected = c->vector ? EXINFO_EC(c->vector, SELECTOR_ERROR_CODE(selector))
                                  : EXINFO_NONE;
    ASSERT_EXCEPTION(got, expected);
}

#define SEGMENT_CASE(name, ref, ...)                                         \
    TEST_CASE(name, ref)                                                     \
    {                                                                        \
        static const struct segment_case c = { __VA_ARGS__ };               \
        check_segment_load(&c);                                              \
    }

SEGMENT_CASE(ds_load_of_a_not_present_segment_raises_np_selector,
             "SDM Vol. 2B MOV; SDM Vol. 3A 6.15 Interrupt 11",
             DATA_RW_NOT_PRESENT, 0, DS, X86_EXC_NP)
SEGMENT_CASE(ss_load_of_a_not_present_segment_raises_ss_selector,
             "SDM Vol. 2B MOV; SDM Vol. 3A 6.15 Interrupt 12",
             DATA_RW_NOT_PRESENT, 0, SS, X86_EXC_SS)
SEGMENT_CASE(ss_load_of_a_read_only_segment_raises_gp_selector, "SDM Vol. 2B MOV",
             DATA_RO_PRESENT, 0, SS, X86_EXC_GP)
SEGMENT_CASE(ss_load_of_a_code_segment_raises_gp_selector, "SDM Vol. 2B MOV",
             0, GDT_KERNEL_CS, SS, X86_EXC_GP)
SEGMENT_CASE(ds_load_of_a_tss_descriptor_raises_gp_selector, "SDM Vol. 2B MOV",
             0, GDT_TSS, DS, X86_EXC_GP)
/* RPL 3 > DPL 0 of the kernel data segment: max(CPL, RPL) must not
 * exceed DPL (SDM Vol. 3A 5.6), even at CPL 0. */
SEGMENT_CASE(ds_load_with_rpl_above_dpl_raises_gp_selector, "SDM Vol. 2B MOV; SDM Vol. 3A 5.6",
             0, GDT_KERNEL_DS | SELECTOR_RPL3, DS, X86_EXC_GP)
/* 64-bit mode allows a null SS at CPL 0 (only CPL 3 faults). */
SEGMENT_CASE(ss_load_of_null_at_cpl0_is_allowed_in_64bit_mode, "SDM Vol. 2B MOV",
             0, NULL_SELECTOR, SS, 0)

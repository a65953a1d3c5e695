/* Ring 3 for cases; see usermode.h. */
#include "cpu/usermode.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"

/* Paging-structure entry bits (SDM Vol. 3A 4.5, Table 4-15 to 4-18). */
#define PTE_PRESENT       (1ull << 0)
#define PTE_USER          (1ull << 2)
#define PTE_LARGE         (1ull << 7)
#define PTE_ADDR_MASK     0x000ffffffffff000ull
#define PAGE_TABLE_ENTRIES 512
#define LARGE_PAGE_SIZE   (2ull << 20)
#define USER_STACK_SIZE   16384

extern char __image_start[], __image_end[];

/* The trampoline ring 3 starts in: RAX = fn, RDI = arg. When fn returns,
 * the UD2 at user_mode_return hands control back to ring 0. */
extern char user_mode_trampoline[], user_mode_return[];
__asm__(".pushsection .text\n"
        "user_mode_trampoline:\n\t"
        "call *%rax\n"
        "user_mode_return:\n\t"
        "ud2\n\t"
        ".popsection");

/* Needs no zeros: outside the cleared BSS (kernel.ld). */
static uint8_t user_stack[USER_STACK_SIZE] __attribute__((aligned(16), section(".bss.noinit")));

/* A copy of the first PML4E -> PDPTE -> PD path with U/S set on the way to
 * the kernel image; the other GiBs keep the supervisor-only tables.
 * build_user_tables writes every entry before use: no zeros needed. */
static struct {
    uint64_t pml4[PAGE_TABLE_ENTRIES] __attribute__((aligned(4096)));
    uint64_t pdpt[PAGE_TABLE_ENTRIES] __attribute__((aligned(4096)));
    uint64_t pd[PAGE_TABLE_ENTRIES] __attribute__((aligned(4096)));
} user_tables __attribute__((section(".bss.noinit")));

struct user_call {
    void (*fn)(void *);
    void *arg;
    uint64_t rflags;
};

uint64_t user_mode_stack_top(void)
{
    return (uint64_t)&user_stack[USER_STACK_SIZE];
}

uint64_t user_mode_return_point(void)
{
    return (uint64_t)user_mode_return;
}

static uint64_t *table_at(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* Writes only what changed: a VMM that shadows page tables traps every
 * write to a page it has seen as a page table (a full copy per call costs
 * ~50 ms on a nested shadow-paging host). */
static void set_entry(uint64_t *entry, uint64_t value)
{
    if (*entry != value)
        *entry = value;
}

/* Builds the user copy from the live tables (a case may have changed them)
 * and returns its CR3. The boot map uses 2 MiB pages in GiB 0. */
static uint64_t build_user_tables(void)
{
    uint64_t *pml4 = table_at(read_cr3());
    uint64_t *pdpt = table_at(pml4[0]);
    uint64_t *pd = table_at(pdpt[0]);
    uint64_t first = (uint64_t)__image_start / LARGE_PAGE_SIZE;
    uint64_t last = ((uint64_t)__image_end - 1) / LARGE_PAGE_SIZE;
    for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++) {
        set_entry(&user_tables.pml4[i], i == 0 ? (uint64_t)user_tables.pdpt |
                                                     (pml4[0] & ~PTE_ADDR_MASK) | PTE_USER
                                               : pml4[i]);
        set_entry(&user_tables.pdpt[i], i == 0 ? (uint64_t)user_tables.pd |
                                                     (pdpt[0] & ~PTE_ADDR_MASK) | PTE_USER
                                               : pdpt[i]);
        set_entry(&user_tables.pd[i], i >= first && i <= last ? pd[i] | PTE_USER : pd[i]);
    }
    return (uint64_t)user_tables.pml4;
}

/* Runs inside catch_call in ring 0: IRET to the trampoline at CPL 3. */
static void enter_ring3(void *p)
{
    const struct user_call *call = p;
    __asm__ volatile("pushq %[ss]\n\t"
                     "pushq %[rsp]\n\t"
                     "pushq %[rflags]\n\t"
                     "pushq %[cs]\n\t"
                     "pushq %[rip]\n\t"
                     "iretq"
                     :
                     : [ss] "i"(GDT_USER_DS | SELECTOR_RPL3), [rsp] "r"(user_mode_stack_top()),
                       [rflags] "r"(call->rflags | RFLAGS_RESERVED1),
                       [cs] "i"(GDT_USER_CS | SELECTOR_RPL3),
                       [rip] "r"((uint64_t)user_mode_trampoline), "a"(call->fn), "D"(call->arg)
                     : "memory");
    __builtin_unreachable();
}

static bool is_the_return_point(const struct exception_record *rec)
{
    return exinfo_vector(rec->info) == X86_EXC_UD && (rec->frame.cs & SELECTOR_RPL3) &&
           rec->frame.rip == user_mode_return_point();
}

exinfo_t run_in_user_mode_flags(void (*fn)(void *), void *arg, uint64_t rflags,
                                struct exception_record *rec)
{
    struct user_call call = { fn, arg, rflags };
    uint64_t cr3 = read_cr3(), cr4 = read_cr4();
    /* The kernel runs its handlers on user-accessible pages meanwhile. */
    if (cr4 & (CR4_SMEP | CR4_SMAP))
        write_cr4(cr4 & ~(CR4_SMEP | CR4_SMAP));
    write_cr3(build_user_tables());

    struct catch_frame cf;
    bool unwound = catch_call(enter_ring3, &call, &cf);

    write_cr3(cr3);
    write_cr4(cr4);
    /* IRET to ring 3 nulled DS and ES (DPL 0 < CPL 3, SDM Vol. 2A IRET). */
    __asm__ volatile("movw %w0, %%ds\n\tmovw %w0, %%es" : : "r"((uint16_t)GDT_KERNEL_DS));

    if (!unwound)   /* cannot happen: the trampoline never returns to ring 0 */
        cf.record.info = EXINFO_NONE;
    if (rec)
        *rec = cf.record;
    if (!unwound || is_the_return_point(&cf.record))
        return EXINFO_NONE;
    return cf.record.info;
}

exinfo_t run_in_user_mode(void (*fn)(void *), void *arg)
{
    return run_in_user_mode_flags(fn, arg, USER_RFLAGS_DEFAULT, 0);
}

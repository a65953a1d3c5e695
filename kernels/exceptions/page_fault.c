/* #PF: CR2 holds the linear address and the error code says why (SDM Vol.
 * 3A 4.7, 6.15 Interrupt 14). The cases run on a private copy of the boot
 * tables whose GiB 1 has its own page directory; the framework restores
 * CR3 afterwards. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/usermode.h"
#include "lib/string.h"
#include "test/test.h"

/* Paging-structure entry bits (SDM Vol. 3A 4.5, Tables 4-15 to 4-18). */
#define PTE_PRESENT        (1ull << 0)
#define PTE_WRITABLE       (1ull << 1)
#define PTE_LARGE          (1ull << 7)
#define PDE_2M_RESERVED_13 (1ull << 13)   /* bits 20:13 of a 2 MiB PDE are reserved */
#define PTE_XD             (1ull << 63)
#define PTE_ADDR_MASK      0x000ffffffffff000ull
#define TABLE_ENTRIES      512
#define LARGE_PAGE_SIZE    (2ull << 20)
#define SCRATCH_GIB        1
#define SCRATCH_BASE       ((uint64_t)SCRATCH_GIB << 30)
#define WRITE_MARK         0x5a5aa5a5u

static struct {
    uint64_t pml4[TABLE_ENTRIES] __attribute__((aligned(4096)));
    uint64_t pdpt[TABLE_ENTRIES] __attribute__((aligned(4096)));
    uint64_t pd[TABLE_ENTRIES] __attribute__((aligned(4096)));
} scratch;

/* A buffer the scratch page can alias. */
static volatile uint32_t target[4] __attribute__((aligned(16)));

static uint64_t *table_at(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The 2 MiB page at SCRATCH_BASE gets `pde`; everything else maps as at boot. */
static void load_scratch_tables(uint64_t pde)
{
    uint64_t *pml4 = table_at(read_cr3());
    uint64_t *pdpt = table_at(pml4[0]);
    memcpy(scratch.pml4, pml4, sizeof(scratch.pml4));
    memcpy(scratch.pdpt, pdpt, sizeof(scratch.pdpt));
    memcpy(scratch.pd, table_at(pdpt[SCRATCH_GIB]), sizeof(scratch.pd));
    scratch.pd[0] = pde;
    scratch.pdpt[SCRATCH_GIB] = (uint64_t)scratch.pd | (pdpt[SCRATCH_GIB] & ~PTE_ADDR_MASK);
    scratch.pml4[0] = (uint64_t)scratch.pdpt | (pml4[0] & ~PTE_ADDR_MASK);
    write_cr3((uint64_t)scratch.pml4);
}

/* A present writable 2 MiB PDE over the frame that holds `target`, and
 * the scratch address of target through it. */
static uint64_t alias_pde(void)
{
    return ((uint64_t)target & ~(LARGE_PAGE_SIZE - 1)) | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE;
}

static uint64_t alias_address(void)
{
    return SCRATCH_BASE + ((uint64_t)target & (LARGE_PAGE_SIZE - 1));
}

static bool nx_enabled(void)
{
    return rdmsr(MSR_EFER) & EFER_NXE;
}

enum access { READ, WRITE, FETCH, USER_READ, USER_WRITE };

static void user_read(void *address)
{
    (void)*(volatile uint32_t *)address;
}

static void user_write(void *address)
{
    *(volatile uint32_t *)address = WRITE_MARK;
}

struct page_fault_case {
    uint64_t pde;           /* 0: not present; else the alias with these changes */
    uint64_t pde_set, pde_clear;
    enum access access;
    uint32_t error_code;
};

static void check_page_fault(const struct page_fault_case *c)
{
    uint64_t pde = c->pde ? (alias_pde() | c->pde_set) & ~c->pde_clear : 0;
    uint64_t address = c->pde ? alias_address() : SCRATCH_BASE;
    load_scratch_tables(pde);
    /* Supervisor writes honour R/W only with CR0.WP (SDM Vol. 3A 4.6.1):
     * set here rather than trusted from boot. */
    write_cr0(read_cr0() | CR0_WP);

    struct exception_record rec = { 0 };
    const char *insn = 0;
    switch (c->access) {
    case READ:
        rec = catch_record(trigger_read, (void *)address);
        insn = trigger_read_insn;
        break;
    case WRITE:
        rec = catch_record(trigger_write, (void *)address);
        insn = trigger_write_insn;
        break;
    case FETCH:   /* the fault is on the fetch at the target */
        rec = catch_record(trigger_fetch, (void *)address);
        insn = (const char *)address;
        break;
    case USER_READ:
        run_in_user_mode_flags(user_read, (void *)address, USER_RFLAGS_DEFAULT, &rec);
        break;
    case USER_WRITE:
        run_in_user_mode_flags(user_write, (void *)address, USER_RFLAGS_DEFAULT, &rec);
        break;
    }
    ASSERT_EXCEPTION(rec.info, EXINFO_EC(X86_EXC_PF, c->error_code));
    ASSERT_EQ(rec.cr2, address);
    if (insn)
        ASSERT_EQ(rec.frame.rip, (uint64_t)insn);
}

#define PAGE_FAULT_CASE(name, cond, ...)                                     \
    TEST_CASE_CONDITIONAL(name, cond, "SDM Vol. 3A 4.7")                     \
    {                                                                        \
        static const struct page_fault_case c = { __VA_ARGS__ };            \
        check_page_fault(&c);                                                \
    }

#define NOT_PRESENT 0, 0, 0
#define ALIAS(set, clear) 1, set, clear

PAGE_FAULT_CASE(read_of_a_not_present_page_raises_pf_zero, true, NOT_PRESENT, READ, 0)
PAGE_FAULT_CASE(write_to_a_not_present_page_raises_pf_w, true, NOT_PRESENT, WRITE, PFEC_W)
/* I/D is set for fetches only with EFER.NXE (or CR4.SMEP). */
PAGE_FAULT_CASE(fetch_from_a_not_present_page_raises_pf_i, nx_enabled(), NOT_PRESENT, FETCH,
                PFEC_I)
PAGE_FAULT_CASE(write_to_a_read_only_page_with_cr0_wp_raises_pf_p_w, true,
                ALIAS(0, PTE_WRITABLE), WRITE, PFEC_P | PFEC_W)
PAGE_FAULT_CASE(reserved_bit_in_a_pde_raises_pf_p_rsvd, true, ALIAS(PDE_2M_RESERVED_13, 0),
                READ, PFEC_P | PFEC_RSVD)
PAGE_FAULT_CASE(fetch_from_an_xd_page_raises_pf_p_i, nx_enabled(), ALIAS(PTE_XD, 0), FETCH,
                PFEC_P | PFEC_I)
PAGE_FAULT_CASE(user_read_of_a_supervisor_page_raises_pf_p_u, true, ALIAS(0, 0), USER_READ,
                PFEC_P | PFEC_U)
PAGE_FAULT_CASE(user_write_to_a_supervisor_page_raises_pf_p_w_u, true, ALIAS(0, 0), USER_WRITE,
                PFEC_P | PFEC_W | PFEC_U)
PAGE_FAULT_CASE(user_read_of_a_not_present_page_raises_pf_u, true, NOT_PRESENT, USER_READ,
                PFEC_U)

/* SDM Vol. 3A 4.6.1: with CR0.WP clear, supervisor writes ignore R/W. */
TEST_CASE(write_to_a_read_only_page_without_cr0_wp_succeeds, "SDM Vol. 3A 4.6.1")
{
    target[0] = 0;
    load_scratch_tables(alias_pde() & ~PTE_WRITABLE);
    write_cr0(read_cr0() & ~CR0_WP);
    *(volatile uint32_t *)alias_address() = WRITE_MARK;
    ASSERT_EQ(target[0], WRITE_MARK);
}

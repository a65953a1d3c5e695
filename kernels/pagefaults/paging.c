/* The pagefaults kernel's own page tables; see paging.h. */
#include "paging.h"

#include "cpu/cpu.h"

static uint64_t tables[4][ENTRIES_PER_TABLE] __attribute__((aligned(4096)));
static uint8_t frames[TEST_FRAMES][PAGE_SIZE] __attribute__((aligned(4096)));

enum { TABLE_PML4, TABLE_PDPT, TABLE_PD, TABLE_PT };

/* The entries a case may use in each table (paging.h: slots 0 and 1 of
 * the PML4, PDPT and PD, the first TEST_FRAMES PTEs). */
#define USED_UPPER_ENTRIES 2

/* Rewrites only the entries cases use; the rest of each table is zero
 * from the BSS and never written. Fewer writes matter: a VMM that shadows
 * guest page tables write-protects them and traps every write (this
 * host's nested KVM took ~130 ms per case with a full memset). */
void paging_build(struct test_space *s)
{
    for (unsigned i = 0; i < USED_UPPER_ENTRIES; i++)
        tables[TABLE_PML4][i] = tables[TABLE_PDPT][i] = tables[TABLE_PD][i] = 0;
    for (unsigned i = 0; i < TEST_FRAMES; i++)
        tables[TABLE_PT][i] = 0;
    s->pml4 = tables[TABLE_PML4];
    s->pdpt = tables[TABLE_PDPT];
    s->pd = tables[TABLE_PD];
    s->pt = tables[TABLE_PT];
    const uint64_t *boot_pml4 = phys_to_virt(read_cr3() & PTE_ADDR_MASK);
    s->pml4[0] = boot_pml4[0];
    s->pml4[TEST_PML4_SLOT] = (uint64_t)s->pdpt | TABLE_FLAGS;
    s->pdpt[0] = (uint64_t)s->pd | TABLE_FLAGS;
    s->pd[0] = (uint64_t)s->pt | TABLE_FLAGS;
}

void paging_activate(const struct test_space *s)
{
    write_cr3((uint64_t)s->pml4);
}

uint64_t *paging_pte(struct test_space *s, unsigned index)
{
    return &s->pt[index];
}

uint64_t paging_map_frame(struct test_space *s, unsigned index, unsigned frame, uint64_t flags)
{
    if (index >= TEST_FRAMES)   /* paging_build resets only these PTEs */
        index = TEST_FRAMES - 1;
    s->pt[index] = (uint64_t)frames[frame] | flags;
    return TEST_VA + index * PAGE_SIZE;
}

uint8_t *test_frame(unsigned frame)
{
    return frames[frame];
}

uint64_t *paging_entry(struct test_space *s, enum paging_level level)
{
    switch (level) {
    case LEVEL_PML4E: return &s->pml4[TEST_PML4_SLOT];
    case LEVEL_PDPTE: return &s->pdpt[0];
    case LEVEL_PDE: return &s->pd[0];
    case LEVEL_PTE: break;
    }
    return &s->pt[0];
}

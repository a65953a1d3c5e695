/* The pagefaults kernel's own 4-level page tables (SDM Vol. 3A 4.5): the
 * boot identity map of the low 4 GiB (shared, PML4 slot 0) plus a test
 * region at TEST_VA (PML4 slot 1) whose every entry a case may change.
 * The framework reloads the boot CR3 after each case. */
#ifndef KERNELS_PAGEFAULTS_PAGING_H
#define KERNELS_PAGEFAULTS_PAGING_H

#include <stdint.h>

/* Paging-structure entry bits (SDM Vol. 3A Tables 4-14 to 4-20). */
#define PTE_P          (1ull << 0)
#define PTE_W          (1ull << 1)
#define PTE_U          (1ull << 2)
#define PTE_PWT        (1ull << 3)
#define PTE_PCD        (1ull << 4)
#define PTE_A          (1ull << 5)
#define PTE_D          (1ull << 6)
#define PTE_PS         (1ull << 7)    /* PDPTE, PDE; reserved in a PML4E */
#define PTE_G          (1ull << 8)
#define PTE_PKEY_SHIFT 59             /* bits 62:59, leaf entries */
#define PTE_XD         (1ull << 63)
#define PTE_ADDR_MASK  0x000ffffffffff000ull
#define PDE_2M_RESERVED_LOW   (1ull << 13)   /* in bits 20:13 of a 2-MByte PDE */
#define PDPTE_1G_RESERVED_LOW (1ull << 13)   /* in bits 29:13 of a 1-GByte PDPTE */

#define PAGE_SIZE      0x1000ull
#define LARGE_PAGE_SIZE (2ull << 20)
#define HUGE_PAGE_SIZE (1ull << 30)
#define ENTRIES_PER_TABLE 512

/* The test region (PML4 slot 1, 512 GiB):
 *  TEST_VA          .. +2 MiB: 4-KByte pages through pt (one per frame),
 *  TEST_VA_2M       .. +2 MiB: one 2-MByte page (pd[1]),
 *  TEST_VA_1G       .. +1 GiB: one 1-GByte page (pdpt[1]). */
#define TEST_PML4_SLOT 1
#define TEST_VA        (TEST_PML4_SLOT * 512ull * HUGE_PAGE_SIZE)
#define TEST_VA_2M     (TEST_VA + LARGE_PAGE_SIZE)
#define TEST_VA_1G     (TEST_VA + HUGE_PAGE_SIZE)
/* Accesses land inside a page, not at its start: CR2 must be exact. */
#define TEST_OFFSET    0x123ull

#define TEST_FRAMES    4

/* Upper-level entries of the test region: present, writable, user (so
 * that the leaf alone decides the U/S of a page, SDM Vol. 3A 4.6.1). */
#define TABLE_FLAGS    (PTE_P | PTE_W | PTE_U)

struct test_space {
    uint64_t *pml4, *pdpt, *pd, *pt;
};

/* Fresh tables: PML4[0] as in the boot map, PML4[1] -> pdpt -> pd -> pt
 * with TABLE_FLAGS, no page mapped yet, A and D clear. Not yet loaded. */
void paging_build(struct test_space *s);

/* Loads the tables (MOV CR3: flushes the non-global TLB entries). */
void paging_activate(const struct test_space *s);

/* Maps 4-KByte page `index` (< TEST_FRAMES) of the region to test frame `frame` with the
 * leaf `flags`; returns the page's linear address. */
uint64_t paging_map_frame(struct test_space *s, unsigned index, unsigned frame, uint64_t flags);

/* The PTE of 4-KByte page `index`. */
uint64_t *paging_pte(struct test_space *s, unsigned index);

/* The entries on the way to the region's first 4-KByte page, by level. */
enum paging_level { LEVEL_PML4E, LEVEL_PDPTE, LEVEL_PDE, LEVEL_PTE };
uint64_t *paging_entry(struct test_space *s, enum paging_level level);

/* Test frame `frame` (4 KiB, identity-mapped) and its physical address. */
uint8_t *test_frame(unsigned frame);

#endif

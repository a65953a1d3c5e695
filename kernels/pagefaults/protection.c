/* Write protection (SDM Vol. 3A 4.6.1): R/W=0 in any entry of the walk
 * makes the page read-only; supervisor writes honour it only with
 * CR0.WP=1. */
#include "access.h"
#include "paging.h"

#include "cpu/cpu.h"

#define WRITTEN_VALUE 0x5a5a5a5a5a5a5a5aull

/* SDM Vol. 3A 4.7: a write to a not-present page sets W/R. */
TEST_CASE(write_to_a_not_present_page_faults_with_w, "SDM Vol. 3A 4.7")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, 0) + TEST_OFFSET;
    paging_activate(&s);
    ASSERT_PAGE_FAULT(write_at(va, WRITTEN_VALUE), va, PFEC_W);
}

/* SDM Vol. 3A 4.6.1: "If CR0.WP = 1, data may be written to any
 * supervisor-mode address with a translation for which the R/W flag is 1
 * in every paging-structure entry"; a read-only page faults with P|W. */
TEST_CASE(supervisor_write_to_a_read_only_page_faults_with_cr0_wp, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P) + TEST_OFFSET;
    paging_activate(&s);
    write_cr0(read_cr0() | CR0_WP);
    ASSERT_PAGE_FAULT(write_at(va, WRITTEN_VALUE), va, PFEC_P | PFEC_W);
}

/* SDM Vol. 3A 4.6.1: "If CR0.WP = 0, data may be written to any
 * supervisor-mode address with a valid translation". */
TEST_CASE(supervisor_write_to_a_read_only_page_succeeds_without_cr0_wp, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P) + TEST_OFFSET;
    paging_activate(&s);
    write_cr0(read_cr0() & ~CR0_WP);
    ASSERT_NO_FAULT(write_at(va, WRITTEN_VALUE));
    ASSERT_EQ(*(volatile uint64_t *)(test_frame(0) + TEST_OFFSET), WRITTEN_VALUE);
}

/* SDM Vol. 3A 4.6.1: R/W=0 in a paging-structure entry above the PTE makes
 * every page below it read-only, whatever the PTE says. */
TEST_CASE(read_only_directory_entry_makes_its_pages_read_only, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P | PTE_W) + TEST_OFFSET;
    *paging_entry(&s, LEVEL_PDE) &= ~PTE_W;
    paging_activate(&s);
    write_cr0(read_cr0() | CR0_WP);
    ASSERT_NO_FAULT(read_at(va));
    ASSERT_PAGE_FAULT(write_at(va, WRITTEN_VALUE), va, PFEC_P | PFEC_W);
}

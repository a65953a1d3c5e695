/* Accessed and dirty flags (SDM Vol. 3A 4.8): the walk sets A in every
 * entry it uses; a write sets D in the entry that maps the page. The
 * tables start with A and D clear (paging_build). */
#include "access.h"
#include "paging.h"

static const enum paging_level walk[] = { LEVEL_PML4E, LEVEL_PDPTE, LEVEL_PDE, LEVEL_PTE };

/* SDM Vol. 3A 4.8: "Whenever the processor uses a paging-structure entry
 * as part of linear-address translation, it sets the accessed flag in
 * that entry (if it is not already set)". A read sets no D. */
TEST_CASE(read_sets_the_accessed_flag_at_every_level_and_no_dirty_flag, "SDM Vol. 3A 4.8")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P | PTE_W) + TEST_OFFSET;
    paging_activate(&s);
    ASSERT_NO_FAULT(read_at(va));
    for (unsigned i = 0; i < sizeof(walk) / sizeof(walk[0]); i++)
        if (!(*paging_entry(&s, walk[i]) & PTE_A))
            FAIL("level %u (0 = PML4E): accessed flag not set: entry 0x%llx", i,
                 (unsigned long long)*paging_entry(&s, walk[i]));
    ASSERT_FALSE(*paging_entry(&s, LEVEL_PTE) & PTE_D);
}

/* SDM Vol. 3A 4.8: "Whenever there is a write to a linear address, the
 * processor sets the dirty flag (if it is not already set) in the paging-
 * structure entry that identifies the final physical address". */
TEST_CASE(write_sets_the_dirty_flag_of_the_page, "SDM Vol. 3A 4.8")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P | PTE_W) + TEST_OFFSET;
    paging_activate(&s);
    ASSERT_NO_FAULT(write_at(va, 1));
    ASSERT_TRUE(*paging_entry(&s, LEVEL_PTE) & PTE_D);
    ASSERT_TRUE(*paging_entry(&s, LEVEL_PTE) & PTE_A);
}

/* Reserved bits outside the address field (SDM Vol. 3A 4.5, Tables 4-15,
 * 4-16 and 4-18, and 4.7): PS in a PML4E, and the bits between the flags
 * and the address of a large page; each faults with P|RSVD. */
#include "access.h"
#include "paging.h"

#include "cpu/cpuid.h"

static bool cpu_has_1g_pages(void)
{
    return cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_PAGE1GB;
}

/* Table 4-15: bit 7 of a PML4E is reserved (must be 0). */
TEST_CASE(ps_in_a_pml4e_is_a_reserved_bit, "SDM Vol. 3A 4.5 Table 4-15")
{
    struct test_space s;
    paging_build(&s);
    uint64_t va = paging_map_frame(&s, 0, 0, PTE_P | PTE_W) + TEST_OFFSET;
    *paging_entry(&s, LEVEL_PML4E) |= PTE_PS;
    paging_activate(&s);
    ASSERT_PAGE_FAULT(read_at(va), va, PFEC_P | PFEC_RSVD);
}

/* Table 4-18: bits 20:13 of a PDE that maps a 2-MByte page are reserved. */
TEST_CASE(low_address_bit_of_a_2m_page_is_a_reserved_bit, "SDM Vol. 3A 4.5 Table 4-18")
{
    struct test_space s;
    paging_build(&s);
    s.pd[1] = PTE_P | PTE_W | PTE_PS | PDE_2M_RESERVED_LOW;
    paging_activate(&s);
    uint64_t va = TEST_VA_2M + TEST_OFFSET;
    ASSERT_PAGE_FAULT(read_at(va), va, PFEC_P | PFEC_RSVD);
}

/* Table 4-16: bits 29:13 of a PDPTE that maps a 1-GByte page are
 * reserved; a write sets W/R beside RSVD (4.7: the error code describes
 * the access). */
TEST_CASE_CONDITIONAL(low_address_bit_of_a_1g_page_is_a_reserved_bit, cpu_has_1g_pages(),
                      "SDM Vol. 3A 4.5 Table 4-16")
{
    struct test_space s;
    paging_build(&s);
    s.pdpt[1] = PTE_P | PTE_W | PTE_PS | PDPTE_1G_RESERVED_LOW;
    paging_activate(&s);
    uint64_t va = TEST_VA_1G + TEST_OFFSET;
    ASSERT_PAGE_FAULT(write_at(va, 0), va, PFEC_P | PFEC_W | PFEC_RSVD);
}

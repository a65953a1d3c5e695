/* Faults decided by one entry on the walk, at each of the four levels
 * (one case per level, from the table): a clear P flag, and a reserved
 * address bit (at or above MAXPHYADDR). The walk is to the first 4-KByte
 * page of the test region, mapped readable and writable. */
#include "access.h"
#include "paging.h"

#include "cpu/cpuid.h"

#define MAX_PHYS_BITS 52

static uint64_t map_first_page(struct test_space *s)
{
    paging_build(s);
    return paging_map_frame(s, 0, 0, PTE_P | PTE_W) + TEST_OFFSET;
}

/* SDM Vol. 3A 4.7: a not-present entry at any level faults with P=0; a
 * supervisor read sets neither W/R, U/S nor I/D: error code 0. */
static void not_present_entry_faults_a_read(enum paging_level level)
{
    struct test_space s;
    uint64_t va = map_first_page(&s);
    *paging_entry(&s, level) &= ~PTE_P;
    paging_activate(&s);
    ASSERT_PAGE_FAULT(read_at(va), va, 0);
}

/* SDM Vol. 3A 4.5 (Tables 4-14 to 4-20: bits M-1:12 hold the address,
 * bits 51:M are reserved) and 4.7: a reserved bit set in a present entry
 * faults with P=1 and RSVD=1. */
static void reserved_address_bit_faults_with_rsvd(enum paging_level level)
{
    struct test_space s;
    uint64_t va = map_first_page(&s);
    *paging_entry(&s, level) |= 1ull << cpu_phys_addr_bits();
    paging_activate(&s);
    ASSERT_PAGE_FAULT(read_at(va), va, PFEC_P | PFEC_RSVD);
}

static bool has_reserved_address_bits(void)
{
    return cpu_phys_addr_bits() < MAX_PHYS_BITS;
}

#define LEVEL_CASES(name_, level_)                                                     \
    TEST_CASE(not_present_##name_##_faults_a_read_with_error_code_0, "SDM Vol. 3A 4.7") \
    {                                                                                  \
        not_present_entry_faults_a_read(level_);                                       \
    }                                                                                  \
    TEST_CASE_CONDITIONAL(address_bit_above_maxphyaddr_in_##name_##_faults_with_rsvd, \
                          has_reserved_address_bits(), "SDM Vol. 3A 4.5")              \
    {                                                                                  \
        reserved_address_bit_faults_with_rsvd(level_);                                 \
    }

LEVEL_CASES(pml4e, LEVEL_PML4E)
LEVEL_CASES(pdpte, LEVEL_PDPTE)
LEVEL_CASES(pde, LEVEL_PDE)
LEVEL_CASES(pte, LEVEL_PTE)

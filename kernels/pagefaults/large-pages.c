/* Large pages (SDM Vol. 3A 4.5, Tables 4-16 and 4-18): PS=1 in a PDE maps
 * 2 MBytes, in a PDPTE 1 GByte (where CPUID.80000001H:EDX[26] says so),
 * of contiguous physical memory. Checked through a kernel variable: read
 * and written through the large page, seen through the identity map. */
#include "access.h"
#include "paging.h"

#include "cpu/cpuid.h"

#define FIRST_PATTERN  0x1111222233334444ull
#define SECOND_PATTERN 0x5555666677778888ull

static volatile uint64_t marker;

/* The large page maps the aligned block that holds `marker`. */
static void large_page_aliases_the_marker(const struct test_space *s, uint64_t *entry,
                                          uint64_t va_base, uint64_t size)
{
    uint64_t phys = (uint64_t)&marker;
    uint64_t block = phys & ~(size - 1);
    *entry = block | PTE_P | PTE_W | PTE_PS;
    paging_activate(s);
    volatile uint64_t *alias = (volatile uint64_t *)(va_base + (phys - block));
    marker = FIRST_PATTERN;
    ASSERT_EQ(*alias, FIRST_PATTERN);
    *alias = SECOND_PATTERN;
    ASSERT_EQ(marker, SECOND_PATTERN);
}

TEST_CASE(two_mib_page_maps_contiguous_memory, "SDM Vol. 3A 4.5 Table 4-18")
{
    struct test_space s;
    paging_build(&s);
    large_page_aliases_the_marker(&s, &s.pd[1], TEST_VA_2M, LARGE_PAGE_SIZE);
}

static bool cpu_has_1g_pages(void)
{
    return cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_PAGE1GB;
}

TEST_CASE_CONDITIONAL(one_gib_page_maps_contiguous_memory, cpu_has_1g_pages(),
                      "SDM Vol. 3A 4.5 Table 4-16")
{
    struct test_space s;
    paging_build(&s);
    large_page_aliases_the_marker(&s, &s.pdpt[1], TEST_VA_1G, HUGE_PAGE_SIZE);
}

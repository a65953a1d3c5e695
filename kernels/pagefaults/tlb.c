/* TLB invalidation (SDM Vol. 3A 4.10.4): after a PTE changes, INVLPG of
 * the page, a MOV to CR3 (non-global pages) or a change of CR4.PGE (all
 * pages) makes the processor use the new entry. Only that is asserted: a
 * processor or VMM may flush more, so what happens before the flush is
 * not a verdict. Each case fills the TLB through frame 0, points the PTE
 * at frame 1 and reads again after the flush. */
#include "access.h"
#include "paging.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"

#define OLD_VALUE 0x0101010101010101ull
#define NEW_VALUE 0x0202020202020202ull

static uint64_t read_u64(uint64_t va)
{
    return *(volatile uint64_t *)va;
}

/* Maps page 0 to frame 0 (OLD_VALUE), reads it, repoints it to frame 1
 * (NEW_VALUE) without a flush, and returns its address. */
static uint64_t cache_then_repoint(struct test_space *s, uint64_t flags)
{
    paging_build(s);
    *(volatile uint64_t *)(test_frame(0) + TEST_OFFSET) = OLD_VALUE;
    *(volatile uint64_t *)(test_frame(1) + TEST_OFFSET) = NEW_VALUE;
    uint64_t va = paging_map_frame(s, 0, 0, flags) + TEST_OFFSET;
    paging_activate(s);
    if (read_u64(va) != OLD_VALUE)
        FAIL("the first read did not see frame 0");
    paging_map_frame(s, 0, 1, flags);
    return va;
}

/* SDM Vol. 3A 4.10.4.1: INVLPG "invalidates any TLB entries for the page
 * number of the linear address". */
TEST_CASE(invlpg_makes_a_changed_pte_take_effect, "SDM Vol. 3A 4.10.4.1")
{
    struct test_space s;
    uint64_t va = cache_then_repoint(&s, PTE_P | PTE_W);
    invlpg((void *)va);
    ASSERT_EQ(read_u64(va), NEW_VALUE);
}

/* SDM Vol. 3A 4.10.4.1: MOV to CR3 (CR4.PCIDE=0) "invalidates all TLB
 * entries ... except those for global pages". */
TEST_CASE(cr3_reload_makes_a_changed_pte_take_effect, "SDM Vol. 3A 4.10.4.1")
{
    struct test_space s;
    uint64_t va = cache_then_repoint(&s, PTE_P | PTE_W);
    write_cr3(read_cr3());
    ASSERT_EQ(read_u64(va), NEW_VALUE);
}

static bool cpu_has_pge(void)
{
    return cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_PGE;
}

/* SDM Vol. 3A 4.10.4.1: a MOV to CR4 that changes CR4.PGE "invalidates all
 * TLB entries (including global entries)". */
TEST_CASE_CONDITIONAL(toggling_cr4_pge_makes_a_changed_global_pte_take_effect, cpu_has_pge(),
                      "SDM Vol. 3A 4.10.4.1")
{
    write_cr4(read_cr4() | CR4_PGE);
    struct test_space s;
    uint64_t va = cache_then_repoint(&s, PTE_P | PTE_W | PTE_G);
    write_cr4(read_cr4() & ~CR4_PGE);
    write_cr4(read_cr4() | CR4_PGE);
    uint64_t got = read_u64(va);
    /* The global translation would outlive the framework's CR3 reload
     * if the boot CR4 had PGE set too; INVLPG invalidates the page's
     * entries, global ones included (4.10.4.1), so the next case sees its
     * own tables. */
    invlpg((void *)va);
    ASSERT_EQ(got, NEW_VALUE);
}

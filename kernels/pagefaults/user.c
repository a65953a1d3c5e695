/* User-mode accesses (SDM Vol. 3A 4.6.1, 4.7): ring 3 may touch only pages
 * with U/S=1 at every level, may write only where R/W=1 at every level
 * (whatever CR0.WP), and its faults set U/S in the error code. Ring 3 runs
 * through run_in_user_mode (cpu/usermode.h), which keeps this kernel's
 * PML4 slot 1 (the test region) in its copy of the tables. */
#include "access.h"
#include "paging.h"

#include "cpu/cpu.h"
#include "cpu/usermode.h"

#define WRITTEN_VALUE 0x7777777777777777ull

struct user_access {
    uint64_t address;
    bool write;
};

/* Ring 3: one plain access; a fault ends the ring-3 run. */
static void access_in_user_mode(void *arg)
{
    const struct user_access *a = arg;
    if (a->write)
        *(volatile uint64_t *)a->address = WRITTEN_VALUE;
    else
        (void)*(volatile uint64_t *)a->address;
}

static struct fault user_access(uint64_t address, bool write)
{
    struct user_access a = { address, write };
    struct exception_record rec;
    write_cr2(CR2_POISON);
    exinfo_t ex = run_in_user_mode_flags(access_in_user_mode, &a, USER_RFLAGS_DEFAULT, &rec);
    struct fault f = { ex, exinfo_raised(ex) ? rec.cr2 : read_cr2() };
    return f;
}

static uint64_t map_page(struct test_space *s, uint64_t flags)
{
    paging_build(s);
    uint64_t va = paging_map_frame(s, 0, 0, flags) + TEST_OFFSET;
    paging_activate(s);
    return va;
}

/* The contrast: a user page is readable and writable from ring 3. */
TEST_CASE(user_access_to_a_user_page_succeeds, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_page(&s, PTE_P | PTE_W | PTE_U);
    ASSERT_NO_FAULT(user_access(va, false));
    ASSERT_NO_FAULT(user_access(va, true));
    ASSERT_EQ(*(volatile uint64_t *)(test_frame(0) + TEST_OFFSET), WRITTEN_VALUE);
}

/* SDM Vol. 3A 4.6.1: "Data may be read (implicitly or explicitly) from any
 * user-mode address with a valid translation"; a supervisor page is not
 * one: P|U. */
TEST_CASE(user_read_of_a_supervisor_page_faults_with_p_and_u, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_page(&s, PTE_P | PTE_W);
    ASSERT_PAGE_FAULT(user_access(va, false), va, PFEC_P | PFEC_U);
}

/* SDM Vol. 3A 4.6.1: user-mode writes need R/W=1 at every level, even with
 * CR0.WP=0: P|W|U. */
TEST_CASE(user_write_to_a_read_only_page_faults_with_p_w_and_u, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_page(&s, PTE_P | PTE_U);
    write_cr0(read_cr0() & ~CR0_WP);
    ASSERT_PAGE_FAULT(user_access(va, true), va, PFEC_P | PFEC_W | PFEC_U);
}

/* SDM Vol. 3A 4.7: a user read of a not-present page: only U/S set. */
TEST_CASE(user_read_of_a_not_present_page_faults_with_u, "SDM Vol. 3A 4.7")
{
    struct test_space s;
    uint64_t va = map_page(&s, 0);
    ASSERT_PAGE_FAULT(user_access(va, false), va, PFEC_U);
}

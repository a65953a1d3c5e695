/* CR4.TSD: RDTSC (and RDTSCP) at CPL > 0 raise #GP(0) when set; ring 0 is
 * never affected (SDM Vol. 2B RDTSC, RDTSCP; Vol. 3A 2.5). */
#include "tsc.h"

#include "cpu/cpu.h"
#include "cpu/usermode.h"
#include "test/test.h"

static void execute_rdtsc(void *result)
{
    *(volatile uint64_t *)result = rdtsc();
}

static volatile uint64_t ring3_tsc;

TEST_CASE(rdtsc_in_ring3_with_cr4_tsd_raises_gp, "SDM Vol. 2B RDTSC")
{
    write_cr4(read_cr4() | CR4_TSD);
    ASSERT_EXCEPTION(run_in_user_mode(execute_rdtsc, (void *)&ring3_tsc), EXINFO_EC(X86_EXC_GP, 0));
}

TEST_CASE(rdtsc_in_ring3_without_cr4_tsd_is_allowed, "SDM Vol. 2B RDTSC")
{
    write_cr4(read_cr4() & ~CR4_TSD);
    ring3_tsc = 0;
    uint64_t before = rdtsc();
    ASSERT_NO_EXCEPTION(run_in_user_mode(execute_rdtsc, (void *)&ring3_tsc));
    ASSERT_GE(ring3_tsc, before);
}

TEST_CASE(rdtsc_in_ring0_with_cr4_tsd_is_allowed, "SDM Vol. 2B RDTSC")
{
    write_cr4(read_cr4() | CR4_TSD);
    ASSERT_NO_EXCEPTION(run_catching(execute_rdtsc, (void *)&ring3_tsc));
}

/* The x87 FPU: its initial state, the CR0.EM/MP/TS matrix that decides
 * between executing and #NM, and how its exceptions are reported. */
#include "fpu.h"

#include "test/test.h"

/* SDM Vol. 1 8.7 and Vol. 2A FINIT/FNINIT: FCW=037FH, FSW=0, all tags
 * empty (FFFFH). */
TEST_CASE(fninit_sets_the_default_x87_state, "SDM Vol. 2A FINIT/FNINIT")
{
    fpu_enable();
    fld1_safe();
    fninit();
    struct x87_env env = fnstenv();
    ASSERT_EQ(env.fcw & 0xffff, FCW_DEFAULT);
    ASSERT_EQ(env.fsw & 0xffff, 0u);
    ASSERT_EQ(env.ftw & 0xffff, FTW_ALL_EMPTY);
}

/* SDM Vol. 3A 2.5, Table 2-2 "Action Taken By x87 FPU Instructions for
 * Different Combinations of EM, MP, and TS": an x87 instruction faults
 * (#NM) when EM or TS is set; WAIT/FWAIT only when both MP and TS are. */
struct em_mp_ts {
    bool em, mp, ts;
    bool x87_faults, wait_faults;
};

static void x87_and_wait_follow_table_2_2(const struct em_mp_ts *row)
{
    fpu_enable();
    fninit();
    uint64_t cr0 = read_cr0() & ~(CR0_EM | CR0_MP | CR0_TS);
    write_cr0(cr0 | (row->em ? CR0_EM : 0) | (row->mp ? CR0_MP : 0) | (row->ts ? CR0_TS : 0));
    exinfo_t x87 = fld1_safe();
    exinfo_t wait = fwait_safe();
    write_cr0(cr0);
    ASSERT_EXCEPTION(x87, row->x87_faults ? EXINFO(X86_EXC_NM) : EXINFO_NONE);
    ASSERT_EXCEPTION(wait, row->wait_faults ? EXINFO(X86_EXC_NM) : EXINFO_NONE);
}

#define TABLE_2_2_ROW(em_, mp_, ts_, x87_, wait_)                                        \
    TEST_CASE(x87_and_wait_with_em##em_##_mp##mp_##_ts##ts_##_follow_table_2_2,          \
              "SDM Vol. 3A 2.5 Table 2-2")                                               \
    {                                                                                    \
        static const struct em_mp_ts row = { em_, mp_, ts_, x87_, wait_ };               \
        x87_and_wait_follow_table_2_2(&row);                                             \
    }

/*            EM MP TS  x87 #NM  WAIT #NM */
TABLE_2_2_ROW(0, 0, 0,  false,   false)
TABLE_2_2_ROW(0, 0, 1,  true,    false)
TABLE_2_2_ROW(0, 1, 0,  false,   false)
TABLE_2_2_ROW(0, 1, 1,  true,    true)
TABLE_2_2_ROW(1, 0, 0,  true,    false)
TABLE_2_2_ROW(1, 0, 1,  true,    false)
TABLE_2_2_ROW(1, 1, 0,  true,    false)
TABLE_2_2_ROW(1, 1, 1,  true,    true)

/* SDM Vol. 1 8.5.3 and 8.7 (with CR0.NE=1, "native mode"): an unmasked
 * divide-by-zero sets ZE and ES in the status word; the exception is
 * raised as #MF by the next waiting x87 instruction, here FWAIT, not by
 * the FDIV. */
TEST_CASE(unmasked_x87_divide_by_zero_raises_mf_on_the_next_fwait, "SDM Vol. 1 8.7")
{
    fpu_enable();
    write_cr0(read_cr0() | CR0_NE);
    fninit();
    fldcw(FCW_DEFAULT & ~FCW_ZM);
    x87_divide_one_by_zero();
    uint16_t fsw = fnstsw();
    exinfo_t ex = fwait_safe();
    fnclex();
    ASSERT_TRUE(fsw & FSW_ZE);
    ASSERT_TRUE(fsw & FSW_ES);
    ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_MF));
}

/* SDM Vol. 1 8.5.3: masked, a divide-by-zero only sets ZE and returns a
 * signed infinity; nothing is raised. */
TEST_CASE(masked_x87_divide_by_zero_sets_ze_without_an_exception, "SDM Vol. 1 8.5.3")
{
    fpu_enable();
    fninit();
    x87_divide_one_by_zero();
    uint16_t fsw = fnstsw();
    ASSERT_NO_EXCEPTION(fwait_safe());
    ASSERT_TRUE(fsw & FSW_ZE);
    ASSERT_FALSE(fsw & FSW_ES);
}

/* SDM Vol. 1 8.5.1.1: loading a ninth value overflows the register stack:
 * IE and SF set, C1=1 (overflow); masked, so no exception. */
TEST_CASE(x87_stack_overflow_sets_ie_sf_and_c1, "SDM Vol. 1 8.5.1.1")
{
    fpu_enable();
    fninit();
    for (unsigned i = 0; i < X87_STACK_DEPTH + 1; i++)
        ASSERT_NO_EXCEPTION(fld1_safe());
    uint16_t fsw = fnstsw();
    fninit();
    ASSERT_EQ(fsw & (FSW_IE | FSW_SF | FSW_C1), FSW_IE | FSW_SF | FSW_C1);
}

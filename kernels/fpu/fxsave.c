/* FXSAVE/FXRSTOR (SDM Vol. 2A FXSAVE, Vol. 1 Table 10-2): where the
 * registers land in the 512-byte area, that FXRSTOR loads them back, and
 * the 16-byte alignment rule. */
#include "fpu.h"

#include "lib/string.h"
#include "test/test.h"

#define FCW_PATTERN   0x027fu                 /* default, 53-bit precision */
#define MXCSR_PATTERN (MXCSR_DEFAULT | MXCSR_PE)
#define MXCSR_OTHER   (MXCSR_DEFAULT | MXCSR_ZE)
#define MISALIGNMENT  8

static const uint8_t xmm_pattern[XMM_BYTES] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
static const uint8_t xmm_other[XMM_BYTES] = {
    0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
    0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f,
};

static uint8_t area[FXSAVE_SIZE + MISALIGNMENT] __attribute__((aligned(16)));

/* Table 10-2: FCW at byte 0, MXCSR at 24, XMM0 at 160. */
TEST_CASE(fxsave_stores_fcw_mxcsr_and_xmm0_at_their_offsets, "SDM Vol. 1 Table 10-2")
{
    fpu_enable();
    fninit();
    fldcw(FCW_PATTERN);
    ASSERT_NO_EXCEPTION(ldmxcsr_safe(MXCSR_PATTERN));
    load_xmm0(xmm_pattern);
    memset(area, 0, sizeof(area));
    exinfo_t ex = fxsave_safe(area);
    (void)ldmxcsr_safe(MXCSR_DEFAULT);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(*(uint16_t *)(area + FXSAVE_FCW), FCW_PATTERN);
    ASSERT_EQ(*(uint32_t *)(area + FXSAVE_MXCSR), MXCSR_PATTERN);
    ASSERT_EQ(memcmp(area + FXSAVE_XMM0, xmm_pattern, XMM_BYTES), 0);
}

/* SDM Vol. 2A FXRSTOR: reloads the state from the area: changed XMM1 and
 * MXCSR in an FXSAVE image come back in the registers. */
TEST_CASE(fxrstor_loads_xmm_and_mxcsr_from_the_area, "SDM Vol. 2A FXRSTOR")
{
    fpu_enable();
    fninit();
    ASSERT_NO_EXCEPTION(fxsave_safe(area));
    memcpy(area + FXSAVE_XMM1, xmm_other, XMM_BYTES);
    *(uint32_t *)(area + FXSAVE_MXCSR) = MXCSR_OTHER;
    exinfo_t ex = fxrstor_safe(area);
    uint8_t xmm1[XMM_BYTES];
    store_xmm1(xmm1);
    uint32_t mxcsr = stmxcsr();
    (void)ldmxcsr_safe(MXCSR_DEFAULT);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(memcmp(xmm1, xmm_other, XMM_BYTES), 0);
    ASSERT_EQ(mxcsr, MXCSR_OTHER);
}

/* SDM Vol. 2A FXSAVE, 64-bit mode exceptions: "#GP(0) If memory operand
 * is not aligned on a 16-byte boundary, regardless of segment". */
TEST_CASE(fxsave_to_a_misaligned_area_raises_gp, "SDM Vol. 2A FXSAVE")
{
    fpu_enable();
    ASSERT_EXCEPTION(fxsave_safe(area + MISALIGNMENT), EXINFO_EC(X86_EXC_GP, 0));
}

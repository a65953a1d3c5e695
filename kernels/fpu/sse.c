/* SSE and MXCSR (SDM Vol. 1 10.2.3, 11.5; Vol. 3A 2.5, 6.15): when SSE is
 * usable (CR4.OSFXSR, CR0.EM/TS), MXCSR's reset value and reserved bits,
 * and how unmasked SIMD exceptions are reported (#XM or #UD by
 * CR4.OSXMMEXCPT). */
#include "fpu.h"

#include "test/test.h"

static uint32_t mxcsr_mask(void)
{
    static uint8_t area[FXSAVE_SIZE] __attribute__((aligned(16)));
    (void)fxsave_safe(area);
    uint32_t mask = *(uint32_t *)(area + FXSAVE_MXCSR_MASK);
    return mask ? mask : MXCSR_MASK_DEFAULT;
}

/* SDM Vol. 3A Table 10-1 (state after power-up or reset): MXCSR = 1F80H.
 * Runs before any case writes MXCSR. Assumes firmware left it so (UEFI
 * requires 1F80H on x64; legacy BIOS and a PVH start run no SSE code). */
TEST_CASE(mxcsr_holds_its_reset_value, "SDM Vol. 3A Table 10-1")
{
    fpu_enable();
    ASSERT_EQ(stmxcsr(), MXCSR_DEFAULT);
}

/* SDM Vol. 2B LDMXCSR: "#GP(0) for an attempt to set any of the reserved
 * bits" (those clear in MXCSR_MASK, SDM Vol. 1 11.6.6); MXCSR unchanged. */
TEST_CASE(ldmxcsr_with_a_reserved_bit_raises_gp, "SDM Vol. 2B LDMXCSR")
{
    fpu_enable();
    ASSERT_NO_EXCEPTION(ldmxcsr_safe(MXCSR_DEFAULT));
    ASSERT_FALSE(mxcsr_mask() & MXCSR_RESERVED_TOP);
    ASSERT_EXCEPTION(ldmxcsr_safe(MXCSR_DEFAULT | MXCSR_RESERVED_TOP), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(stmxcsr(), MXCSR_DEFAULT);
}

/* SDM Vol. 3A 6.15 "Interrupt 19": with CR4.OSXMMEXCPT=1 an unmasked SIMD
 * floating-point exception raises #XM, and sets its flag in MXCSR. */
TEST_CASE(unmasked_sse_divide_by_zero_raises_xm_with_osxmmexcpt, "SDM Vol. 3A 6.15 Interrupt 19")
{
    fpu_enable();
    ASSERT_NO_EXCEPTION(ldmxcsr_safe(MXCSR_DEFAULT & ~MXCSR_ZM));
    uint32_t result = 0;
    exinfo_t ex = divss_safe(FP_ONE, FP_ZERO, &result);
    uint32_t mxcsr = stmxcsr();
    (void)ldmxcsr_safe(MXCSR_DEFAULT);
    ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_XM));
    ASSERT_TRUE(mxcsr & MXCSR_ZE);
}

/* SDM Vol. 3A 6.15 "Interrupt 19": "If CR4.OSXMMEXCPT is 0, an unmasked
 * SIMD floating-point exception causes an invalid-opcode exception". */
TEST_CASE(unmasked_sse_exception_without_osxmmexcpt_raises_ud, "SDM Vol. 3A 6.15 Interrupt 19")
{
    fpu_enable();
    write_cr4(read_cr4() & ~CR4_OSXMMEXCPT);
    ASSERT_NO_EXCEPTION(ldmxcsr_safe(MXCSR_DEFAULT & ~MXCSR_ZM));
    uint32_t result = 0;
    exinfo_t ex = divss_safe(FP_ONE, FP_ZERO, &result);
    (void)ldmxcsr_safe(MXCSR_DEFAULT);
    ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_UD));
}

/* SDM Vol. 1 11.5.2.2: masked, divide-by-zero sets ZE and returns an
 * infinity of the right sign. */
TEST_CASE(masked_sse_divide_by_zero_returns_infinity_and_sets_ze, "SDM Vol. 1 11.5.2.2")
{
    fpu_enable();
    ASSERT_NO_EXCEPTION(ldmxcsr_safe(MXCSR_DEFAULT));
    uint32_t result = 0;
    ASSERT_NO_EXCEPTION(divss_safe(FP_ONE, FP_ZERO, &result));
    uint32_t mxcsr = stmxcsr();
    (void)ldmxcsr_safe(MXCSR_DEFAULT);
    ASSERT_EQ(result, FP_PLUS_INFINITY);
    ASSERT_TRUE(mxcsr & MXCSR_ZE);
}

/* SDM Vol. 3A 2.5 (CR0.EM, CR0.TS, CR4.OSFXSR) and the SSE instructions'
 * exception tables in Vol. 2: #UD if CR4.OSFXSR=0 or CR0.EM=1, #NM if
 * CR0.TS=1. */
TEST_CASE(sse_without_cr4_osfxsr_raises_ud, "SDM Vol. 3A 2.5")
{
    fpu_enable();
    write_cr4(read_cr4() & ~CR4_OSFXSR);
    ASSERT_EXCEPTION(sse_instruction_safe(), EXINFO(X86_EXC_UD));
}

TEST_CASE(sse_with_cr0_em_raises_ud, "SDM Vol. 3A 2.5")
{
    fpu_enable();
    write_cr0(read_cr0() | CR0_EM);
    exinfo_t ex = sse_instruction_safe();
    write_cr0(read_cr0() & ~CR0_EM);
    ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_UD));
}

TEST_CASE(sse_with_cr0_ts_raises_nm, "SDM Vol. 3A 2.5")
{
    fpu_enable();
    write_cr0(read_cr0() | CR0_TS);
    exinfo_t ex = sse_instruction_safe();
    write_cr0(read_cr0() & ~CR0_TS);
    ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_NM));
}

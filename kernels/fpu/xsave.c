/* XSAVE feature set (SDM Vol. 1 chapter 13, Vol. 2B XSETBV/XRSTOR): XCR0
 * rules, the XSAVE area's legacy region and header, XRSTOR's init and
 * fault rules, and the optional XSAVEOPT/XSAVES forms. XGETBV comes last
 * (xgetbv.c): this host's nested KVM cannot emulate it. */
#include "fpu.h"

#include "cpu/cpuid.h"
#include "lib/string.h"
#include "test/test.h"
#include "xsave-support.h"

static const uint8_t xmm_pattern[XMM_BYTES] = {
    0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
    0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
};
static const uint8_t zeros[XMM_BYTES];

static uint8_t area[XSAVE_AREA_SIZE] __attribute__((aligned(64)));

/* SDM Vol. 2B XSETBV: #UD "if CR4.OSXSAVE[bit 18] = 0". */
TEST_CASE_CONDITIONAL(xsetbv_without_cr4_osxsave_raises_ud, cpu_has_xsave(), "SDM Vol. 2B XSETBV")
{
    fpu_enable();
    write_cr4(read_cr4() & ~CR4_OSXSAVE);
    ASSERT_EXCEPTION(xsetbv_safe(0, XCR0_X87 | XCR0_SSE), EXINFO(X86_EXC_UD));
}

/* SDM Vol. 2B XSETBV and Vol. 1 13.3: #GP(0) for clearing XCR0[0], for
 * XCR0[2:1] = 10b, and for a bit the processor does not support
 * (CPUID.(EAX=0DH,ECX=0):EDX:EAX). */
TEST_CASE_CONDITIONAL(xsetbv_refuses_invalid_xcr0_values, cpu_has_xsave(), "SDM Vol. 2B XSETBV")
{
    uint64_t invalid[] = {
        XCR0_SSE,                       /* x87 clear */
        XCR0_X87 | XCR0_AVX,            /* AVX without SSE */
        XCR0_X87 | XCR0_SSE | XCR0_RESERVED_TOP,
    };
    xsave_enable(XCR0_X87 | XCR0_SSE);
    for (unsigned i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        exinfo_t ex = xsetbv_safe(0, invalid[i]);
        if (ex != EXINFO_EC(X86_EXC_GP, 0))
            FAIL("XSETBV XCR0 <- 0x%llx: expected #GP(0), got %s",
                 (unsigned long long)invalid[i], exinfo_raised(ex) ? "another exception" : "none");
    }
}

/* SDM Vol. 1 13.4.1 and 13.6: XSAVE writes the x87/SSE state in the
 * FXSAVE layout (MXCSR at 24, XMM0 at 160) and sets XSTATE_BV[1] for SSE
 * state not in its initial configuration. */
TEST_CASE_CONDITIONAL(xsave_stores_the_legacy_region_and_xstate_bv, cpu_has_xsave(),
                      "SDM Vol. 1 13.6")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    load_xmm0(xmm_pattern);
    memset(area, 0, sizeof(area));
    ASSERT_NO_EXCEPTION(xsave_safe(area, XCR0_X87 | XCR0_SSE));
    ASSERT_EQ(*(uint32_t *)(area + FXSAVE_MXCSR), stmxcsr());
    ASSERT_EQ(memcmp(area + FXSAVE_XMM0, xmm_pattern, XMM_BYTES), 0);
    ASSERT_TRUE(*(uint64_t *)(area + XSAVE_XSTATE_BV) & XCR0_SSE);
}

/* SDM Vol. 1 13.8.1: XRSTOR of a component whose XSTATE_BV bit is 0 puts
 * it in its initial configuration: the XMM registers become 0. */
TEST_CASE_CONDITIONAL(xrstor_with_xstate_bv_clear_initialises_the_xmm_registers,
                      cpu_has_xsave(), "SDM Vol. 1 13.8.1")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    memset(area, 0, sizeof(area));
    ASSERT_NO_EXCEPTION(xsave_safe(area, XCR0_X87 | XCR0_SSE));
    *(uint64_t *)(area + XSAVE_XSTATE_BV) &= ~XCR0_SSE;
    load_xmm0(xmm_pattern);
    ASSERT_NO_EXCEPTION(xrstor_safe(area, XCR0_X87 | XCR0_SSE));
    uint8_t xmm0[XMM_BYTES];
    store_xmm0(xmm0);
    ASSERT_EQ(memcmp(xmm0, zeros, XMM_BYTES), 0);
}

/* SDM Vol. 2B XRSTOR and Vol. 1 13.8.1 (standard form): #GP(0) if a bit
 * of XSTATE_BV is 1 where XCR0's is 0, and if bytes 63:16 of the XSAVE
 * header are not all 0. */
TEST_CASE_CONDITIONAL(xrstor_refuses_a_header_with_bits_outside_xcr0_or_reserved_bytes,
                      cpu_has_xsave(), "SDM Vol. 1 13.8")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    memset(area, 0, sizeof(area));
    ASSERT_NO_EXCEPTION(xsave_safe(area, XCR0_X87 | XCR0_SSE));
    *(uint64_t *)(area + XSAVE_XSTATE_BV) |= XCR0_AVX;
    ASSERT_EXCEPTION(xrstor_safe(area, XCR0_X87 | XCR0_SSE), EXINFO_EC(X86_EXC_GP, 0));
    *(uint64_t *)(area + XSAVE_XSTATE_BV) &= ~XCR0_AVX;
    area[XSAVE_HEADER_RESERVED] = 1;
    ASSERT_EXCEPTION(xrstor_safe(area, XCR0_X87 | XCR0_SSE), EXINFO_EC(X86_EXC_GP, 0));
}

/* SDM Vol. 2B XSAVEOPT: stores the same state as XSAVE (it may skip
 * components known unmodified, never ones that differ from the area). */
TEST_CASE_CONDITIONAL(xsaveopt_stores_the_current_xmm_state, cpu_has_xsave_extension(CPUID_XSAVE1_EAX_XSAVEOPT),
                      "SDM Vol. 2B XSAVEOPT")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    memset(area, 0, sizeof(area));
    load_xmm0(xmm_pattern);
    ASSERT_NO_EXCEPTION(xsaveopt_safe(area, XCR0_X87 | XCR0_SSE));
    ASSERT_EQ(memcmp(area + FXSAVE_XMM0, xmm_pattern, XMM_BYTES), 0);
}

/* SDM Vol. 1 13.11 and Vol. 2B XSAVES/XRSTORS: XSAVES writes the compacted
 * form (XCOMP_BV[63]=1); XRSTORS loads it back. */
TEST_CASE_CONDITIONAL(xsaves_and_xrstors_round_trip_the_xmm_state,
                      cpu_has_xsave_extension(CPUID_XSAVE1_EAX_XSAVES), "SDM Vol. 1 13.11")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    ASSERT_NO_EXCEPTION(clear_ia32_xss());
    memset(area, 0, sizeof(area));
    load_xmm0(xmm_pattern);
    ASSERT_NO_EXCEPTION(xsaves_safe(area, XCR0_X87 | XCR0_SSE));
    ASSERT_TRUE(*(uint64_t *)(area + XSAVE_XCOMP_BV) & XCOMP_BV_COMPACTED);
    load_xmm0(zeros);
    ASSERT_NO_EXCEPTION(xrstors_safe(area, XCR0_X87 | XCR0_SSE));
    uint8_t xmm0[XMM_BYTES];
    store_xmm0(xmm0);
    ASSERT_EQ(memcmp(xmm0, xmm_pattern, XMM_BYTES), 0);
}

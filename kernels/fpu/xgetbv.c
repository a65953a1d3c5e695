/* XGETBV reads what XSETBV wrote. Last in the kernel on purpose: this
 * host's nested KVM cannot emulate XGETBV ("KVM internal error", QEMU
 * freezes), which would end the run before any case after it. */
#include "fpu.h"

#include "test/test.h"
#include "xsave-support.h"

/* SDM Vol. 2B XGETBV: "Reads the contents of the extended control
 * register (XCR) specified in the ECX register"; XCR0 as XSETBV left it. */
TEST_CASE_CONDITIONAL(xgetbv_reads_what_xsetbv_wrote, cpu_has_xsave(), "SDM Vol. 2B XGETBV")
{
    xsave_enable(XCR0_X87 | XCR0_SSE);
    uint64_t xcr0 = 0;
    ASSERT_NO_EXCEPTION(xgetbv_safe(0, &xcr0));
    ASSERT_EQ(xcr0, XCR0_X87 | XCR0_SSE);
}

/* AVX and AVX-512 register state survives an interrupt: the handler (like
 * all platform code) touches no vector register, so whatever the VMM does
 * on the exit and the injection must leave YMM/ZMM and the opmask
 * registers as the guest set them (SDM Vol. 1 13.5.3, 13.5.5: the state
 * belongs to the thread; nothing in interrupt delivery changes it). */
#include "fpu.h"

#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "lib/string.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"
#include "xsave-support.h"

#define TEST_VECTOR  0x40
#define YMM_BYTES    32
#define ZMM_BYTES    64
#define OPMASK_PATTERN 0xa5a5f00f0ff05a5aull

static bool cpu_can_use_avx(void)
{
    return lapic_present() && (cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_AVX) &&
           (xcr0_supported() & XCR0_AVX);
}

static bool cpu_can_use_avx512(void)
{
    return cpu_can_use_avx() && cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid(CPUID_LEAF_STRUCTURED).ebx & CPUID7_EBX_AVX512F) &&
           (xcr0_supported() & XCR0_AVX512) == XCR0_AVX512;
}

static void fill_pattern(uint8_t *p, unsigned n, uint8_t seed)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + 37 * i);
}

/* Sends a self IPI and waits for it with HLT: an exit and an injection. */
static void take_an_interrupt(void)
{
    struct irq_counter irqs = irq_counter_on(TEST_VECTOR, EOI_LAPIC);
    lapic_self_ipi(TEST_VECTOR);
    ASSERT_EQ(irq_wait(&irqs, 1, ms(50), WAIT_HLT), 1);
}

TEST_CASE_CONDITIONAL(ymm_registers_survive_an_interrupt, cpu_can_use_avx(), "SDM Vol. 1 13.5.3")
{
    uint8_t in[2][YMM_BYTES], out[2][YMM_BYTES];
    fill_pattern(in[0], YMM_BYTES, 1);
    fill_pattern(in[1], YMM_BYTES, 2);
    xsave_enable(XCR0_X87 | XCR0_SSE | XCR0_AVX);
    __asm__ volatile("vmovdqu (%0), %%ymm0\n\tvmovdqu (%1), %%ymm15"
                     : : "r"(in[0]), "r"(in[1]) : "memory");
    take_an_interrupt();
    __asm__ volatile("vmovdqu %%ymm0, (%0)\n\tvmovdqu %%ymm15, (%1)\n\tvzeroupper"
                     : : "r"(out[0]), "r"(out[1]) : "memory");
    ASSERT_EQ(memcmp(in[0], out[0], YMM_BYTES), 0);
    ASSERT_EQ(memcmp(in[1], out[1], YMM_BYTES), 0);
}

TEST_CASE_CONDITIONAL(zmm_and_opmask_registers_survive_an_interrupt, cpu_can_use_avx512(),
                      "SDM Vol. 1 13.5.5")
{
    uint8_t in[2][ZMM_BYTES], out[2][ZMM_BYTES];
    uint64_t k_in = OPMASK_PATTERN, k_out = 0;
    fill_pattern(in[0], ZMM_BYTES, 3);
    fill_pattern(in[1], ZMM_BYTES, 4);
    xsave_enable(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512);
    __asm__ volatile("vmovdqu64 (%0), %%zmm1\n\tvmovdqu64 (%1), %%zmm31\n\tkmovq (%2), %%k3"
                     : : "r"(in[0]), "r"(in[1]), "r"(&k_in) : "memory");
    take_an_interrupt();
    __asm__ volatile("vmovdqu64 %%zmm1, (%0)\n\tvmovdqu64 %%zmm31, (%1)\n\tkmovq %%k3, (%2)\n\t"
                     "vzeroupper"
                     : : "r"(out[0]), "r"(out[1]), "r"(&k_out) : "memory");
    ASSERT_EQ(memcmp(in[0], out[0], ZMM_BYTES), 0);
    ASSERT_EQ(memcmp(in[1], out[1], ZMM_BYTES), 0);
    ASSERT_EQ(k_out, k_in);
}

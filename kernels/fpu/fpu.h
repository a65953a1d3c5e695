/* x87, SSE and XSAVE instructions for the fpu kernel, as inline asm with
 * memory operands only: the kernel builds with -mgeneral-regs-only, so the
 * compiler itself never touches the state under test. The *_safe forms
 * return the exception (cpu/extable.h). Bits and layouts: SDM Vol. 1
 * 8.1.3-8.1.7 (x87), 10.2.3 (MXCSR), Table 10-2 (FXSAVE area), 13.4 (XSAVE
 * area). */
#ifndef KERNELS_FPU_FPU_H
#define KERNELS_FPU_FPU_H

#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/cpu.h"
#include "cpu/extable.h"
#include "cpu/safe.h"

/* x87 control word, status word, tag word. */
#define FCW_DEFAULT        0x037fu   /* after FNINIT: all masked, 64-bit, nearest */
#define FCW_ZM             (1u << 2)
#define FSW_IE             (1u << 0)
#define FSW_ZE             (1u << 2)
#define FSW_SF             (1u << 6)
#define FSW_ES             (1u << 7)
#define FSW_C1             (1u << 9)
#define FTW_ALL_EMPTY      0xffffu
#define X87_STACK_DEPTH    8

/* MXCSR. */
#define MXCSR_DEFAULT      0x1f80u   /* power-up/reset: all masked, flags clear */
#define MXCSR_ZE           (1u << 2)
#define MXCSR_PE           (1u << 5)
#define MXCSR_ZM           (1u << 9)
#define MXCSR_MASK_DEFAULT 0xffbfu   /* when FXSAVE stores 0 (SDM Vol. 1 11.6.6) */
#define MXCSR_RESERVED_TOP (1u << 31)

/* FXSAVE area offsets (SDM Vol. 1 Table 10-2). */
#define FXSAVE_SIZE        512
#define FXSAVE_FCW         0
#define FXSAVE_FSW         2
#define FXSAVE_MXCSR       24
#define FXSAVE_MXCSR_MASK  28
#define FXSAVE_XMM0        160
#define FXSAVE_XMM1        176
#define XMM_BYTES          16

/* XSAVE header (SDM Vol. 1 13.4.2) and XCR0 bits (13.3). */
#define XSAVE_HEADER       512
#define XSAVE_XSTATE_BV    512
#define XSAVE_XCOMP_BV     520
#define XSAVE_HEADER_RESERVED 528     /* bytes 528-575 must be 0 */
#define XSAVE_AREA_SIZE    4096       /* enough for any XCR0 this kernel sets */
#define XCOMP_BV_COMPACTED (1ull << 63)
#define XCR0_X87           (1ull << 0)
#define XCR0_SSE           (1ull << 1)
#define XCR0_AVX           (1ull << 2)
#define XCR0_OPMASK        (1ull << 5)
#define XCR0_ZMM_HI256     (1ull << 6)
#define XCR0_HI16_ZMM      (1ull << 7)
#define XCR0_AVX512        (XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)
#define XCR0_RESERVED_TOP  (1ull << 63)

#define FP_ONE             0x3f800000u    /* 1.0f */
#define FP_ZERO            0x00000000u
#define FP_PLUS_INFINITY   0x7f800000u

/* One asm statement with an exception-table entry around `insn`. */
#define FPU_SAFE_ASM(insn, ...)                                                \
    ({                                                                         \
        exinfo_t ex__ = EXINFO_NONE;                                           \
        __asm__ volatile("1: " insn "\n2:\n\t" EXTABLE("1b", "2b")             \
                         : "+D"(ex__) __VA_ARGS__);                            \
        ex__;                                                                  \
    })

static inline void fninit(void) { __asm__ volatile("fninit" ::: "memory"); }
static inline void fnclex(void) { __asm__ volatile("fnclex" ::: "memory"); }

static inline uint16_t fnstcw(void)
{
    uint16_t v;
    __asm__ volatile("fnstcw %0" : "=m"(v));
    return v;
}

static inline uint16_t fnstsw(void)
{
    uint16_t v;
    __asm__ volatile("fnstsw %0" : "=m"(v));
    return v;
}

static inline void fldcw(uint16_t v) { __asm__ volatile("fldcw %0" : : "m"(v)); }

/* FNSTENV in 64-bit mode writes the 28-byte protected-mode layout (SDM
 * Vol. 1 Figure 8-9): FCW, FSW, FTW at 0, 4, 8. */
struct x87_env {
    uint32_t fcw, fsw, ftw, fip, fcs, fdp, fds;
};

static inline struct x87_env fnstenv(void)
{
    struct x87_env e;
    __asm__ volatile("fnstenv %0" : "=m"(e));
    return e;
}

static inline exinfo_t fld1_safe(void) { return FPU_SAFE_ASM("fld1", : : "memory"); }
static inline exinfo_t fwait_safe(void) { return FPU_SAFE_ASM("fwait", : : "memory"); }

/* 1 / 0 on the x87 stack: ST(0) = 1/0, nothing popped left. */
static inline void x87_divide_one_by_zero(void)
{
    __asm__ volatile("fld1\n\tfldz\n\tfdivrp %%st, %%st(1)" ::: "memory");
}

static inline uint32_t stmxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static inline exinfo_t ldmxcsr_safe(uint32_t v)
{
    return FPU_SAFE_ASM("ldmxcsr %1", : "m"(v) : "memory");
}

static inline exinfo_t sse_instruction_safe(void)
{
    return FPU_SAFE_ASM("xorps %%xmm0, %%xmm0", : : "memory");
}

/* *result = one / zero with DIVSS (single precision). Only the DIVSS is
 * in the exception table: the moves around it cannot fault. */
static inline exinfo_t divss_safe(uint32_t one, uint32_t zero, uint32_t *result)
{
    __asm__ volatile("movss %0, %%xmm0" : : "m"(one) : "memory");
    exinfo_t ex = FPU_SAFE_ASM("divss %1, %%xmm0", : "m"(zero) : "memory");
    __asm__ volatile("movss %%xmm0, %0" : "=m"(*result) : : "memory");
    return ex;
}

static inline void load_xmm0(const void *src) { __asm__ volatile("movdqu (%0), %%xmm0" : : "r"(src) : "memory"); }
static inline void store_xmm0(void *dst) { __asm__ volatile("movdqu %%xmm0, (%0)" : : "r"(dst) : "memory"); }
static inline void store_xmm1(void *dst) { __asm__ volatile("movdqu %%xmm1, (%0)" : : "r"(dst) : "memory"); }

static inline exinfo_t fxsave_safe(void *area) { return FPU_SAFE_ASM("fxsave64 (%1)", : "r"(area) : "memory"); }
static inline exinfo_t fxrstor_safe(const void *area) { return FPU_SAFE_ASM("fxrstor64 (%1)", : "r"(area) : "memory"); }

/* xsetbv_safe is the platform's (cpu/safe.h). */
static inline exinfo_t xgetbv_safe(uint32_t index, uint64_t *value)
{
    uint32_t lo = 0, hi = 0;
    exinfo_t ex = FPU_SAFE_ASM("xgetbv", , "+a"(lo), "+d"(hi) : "c"(index));
    *value = ((uint64_t)hi << 32) | lo;
    return ex;
}

#define DEFINE_XSAVE_SAFE(name_, insn_)                                              \
    static inline exinfo_t name_##_safe(void *area, uint64_t rfbm)                   \
    {                                                                                \
        return FPU_SAFE_ASM(insn_ " (%1)", : "r"(area), "a"((uint32_t)rfbm),         \
                            "d"((uint32_t)(rfbm >> 32)) : "memory");                 \
    }
DEFINE_XSAVE_SAFE(xsave, "xsave64")
DEFINE_XSAVE_SAFE(xrstor, "xrstor64")
DEFINE_XSAVE_SAFE(xsaveopt, "xsaveopt64")
DEFINE_XSAVE_SAFE(xsaves, "xsaves64")
DEFINE_XSAVE_SAFE(xrstors, "xrstors64")
#undef DEFINE_XSAVE_SAFE

/* CR0.EM=0, TS=0 and CR4.OSFXSR=1, OSXMMEXCPT=1: x87 and SSE usable with
 * unmasked SIMD exceptions reported as #XM. The framework restores CR0
 * and CR4 after the case. */
static inline void fpu_enable(void)
{
    write_cr0(read_cr0() & ~(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

#endif

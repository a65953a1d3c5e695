/* Instructions that may fault, as functions that return the exception
 * (exinfo_t, catch.h) instead of crashing: a case asserts on the value. */
#ifndef PLATFORM_CPU_SAFE_H
#define PLATFORM_CPU_SAFE_H

#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/extable.h"

static inline exinfo_t rdmsr_safe(uint32_t msr, uint64_t *value)
{
    uint32_t lo = 0, hi = 0;
    exinfo_t ex = EXINFO_NONE;
    __asm__ volatile("1: rdmsr\n2:\n\t" EXTABLE("1b", "2b")
                     : "=a"(lo), "=d"(hi), "+D"(ex)
                     : "c"(msr));
    *value = ((uint64_t)hi << 32) | lo;
    return ex;
}

static inline exinfo_t wrmsr_safe(uint32_t msr, uint64_t value)
{
    exinfo_t ex = EXINFO_NONE;
    __asm__ volatile("1: wrmsr\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex)
                     : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
    return ex;
}

#define DEFINE_CR_SAFE(n)                                                    \
    static inline exinfo_t read_cr##n##_safe(uint64_t *value)               \
    {                                                                        \
        exinfo_t ex = EXINFO_NONE;                                           \
        uint64_t v = 0;                                                      \
        __asm__ volatile("1: mov %%cr" #n ", %1\n2:\n\t" EXTABLE("1b", "2b") \
                         : "+D"(ex), "+r"(v));                               \
        *value = v;                                                          \
        return ex;                                                           \
    }                                                                        \
    static inline exinfo_t write_cr##n##_safe(uint64_t value)               \
    {                                                                        \
        exinfo_t ex = EXINFO_NONE;                                           \
        __asm__ volatile("1: mov %1, %%cr" #n "\n2:\n\t" EXTABLE("1b", "2b") \
                         : "+D"(ex)                                          \
                         : "r"(value)                                        \
                         : "memory");                                        \
        return ex;                                                           \
    }
DEFINE_CR_SAFE(0)
DEFINE_CR_SAFE(3)
DEFINE_CR_SAFE(4)
DEFINE_CR_SAFE(8)
#undef DEFINE_CR_SAFE

/* MOV to DS: a selector beyond the GDT limit raises #GP(selector) (SDM
 * Vol. 2A MOV, protected-mode exceptions). DS is unchanged on a fault. */
static inline exinfo_t load_ds_safe(uint16_t selector)
{
    exinfo_t ex = EXINFO_NONE;
    __asm__ volatile("1: mov %w1, %%ds\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex)
                     : "r"(selector)
                     : "memory");
    return ex;
}

/* XSETBV: #UD without CR4.OSXSAVE, #GP for an unsupported XCR0 (SDM Vol.
 * 2B XSETBV). */
static inline exinfo_t xsetbv_safe(uint32_t index, uint64_t value)
{
    exinfo_t ex = EXINFO_NONE;
    __asm__ volatile("1: xsetbv\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex)
                     : "c"(index), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
    return ex;
}

/* A load from any address; a non-canonical one raises #GP(0). */
static inline exinfo_t read64_safe(uint64_t address, uint64_t *value)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t v = 0;
    __asm__ volatile("1: mov (%2), %1\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "+r"(v)
                     : "r"(address)
                     : "memory");
    *value = v;
    return ex;
}

#endif

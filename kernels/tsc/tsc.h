/* What the tsc kernel's files share. */
#ifndef KERNELS_TSC_H
#define KERNELS_TSC_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid.h"

static inline bool cpu_has_rdtscp(void)
{
    return cpuid_max_ext_leaf() >= CPUID_LEAF_EXT_FEATURES &&
           (cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_RDTSCP);
}

static inline bool cpu_has_rdpid(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid_count(CPUID_LEAF_STRUCTURED, 0).ecx & CPUID7_ECX_RDPID);
}

static inline bool cpu_has_tsc_adjust(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid_count(CPUID_LEAF_STRUCTURED, 0).ebx & CPUID7_EBX_TSC_ADJUST);
}

/* RDTSCP: the TSC, and IA32_TSC_AUX[31:0] in ECX (SDM Vol. 2B RDTSCP). */
static inline uint64_t rdtscp(uint32_t *aux)
{
    uint32_t lo, hi, c;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(c));
    *aux = c;
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdpid(void)
{
    uint64_t v;
    __asm__ volatile("rdpid %0" : "=r"(v));
    return v;
}

#endif

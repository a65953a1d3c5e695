/* CPUID leaves and feature bits the platform and the kernels use
 * (SDM Vol. 2A, CPUID). */
#ifndef PLATFORM_CPU_CPUID_H
#define PLATFORM_CPU_CPUID_H

#include <stdbool.h>
#include "cpu/cpu.h"

#define CPUID_LEAF_VENDOR            0x00000000
#define CPUID_LEAF_FEATURES          0x00000001
#define  CPUID1_ECX_SSE3             (1u << 0)
#define  CPUID1_ECX_VMX              (1u << 5)
#define  CPUID1_ECX_X2APIC           (1u << 21)
#define  CPUID1_ECX_TSC_DEADLINE     (1u << 24)
#define  CPUID1_ECX_XSAVE            (1u << 26)
#define  CPUID1_ECX_HYPERVISOR       (1u << 31)
#define  CPUID1_EDX_FPU              (1u << 0)
#define  CPUID1_EDX_TSC              (1u << 4)
#define  CPUID1_EDX_MSR              (1u << 5)
#define  CPUID1_EDX_APIC             (1u << 9)
#define  CPUID1_EDX_MTRR             (1u << 12)
#define  CPUID1_EDX_SSE              (1u << 25)
#define  CPUID1_EDX_SSE2             (1u << 26)
#define CPUID_LEAF_STRUCTURED        0x00000007
#define CPUID_LEAF_TSC_FREQ          0x00000015
#define CPUID_LEAF_HYPERVISOR        0x40000000
#define CPUID_LEAF_HV_TIMING         0x40000010
#define CPUID_LEAF_EXT_MAX           0x80000000
#define CPUID_LEAF_EXT_FEATURES      0x80000001
#define  CPUID_EXT_EDX_NX            (1u << 20)
#define  CPUID_EXT_EDX_RDTSCP        (1u << 27)
#define  CPUID_EXT_EDX_LM            (1u << 29)
#define CPUID_LEAF_BRAND0            0x80000002
#define CPUID_LEAF_POWER             0x80000007
#define  CPUID_POWER_EDX_INVARIANT_TSC (1u << 8)

static inline uint32_t cpuid_max_leaf(void)
{
    return cpuid(CPUID_LEAF_VENDOR).eax;
}

static inline uint32_t cpuid_max_ext_leaf(void)
{
    return cpuid(CPUID_LEAF_EXT_MAX).eax;
}

static inline bool cpu_has_x2apic(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_X2APIC;
}

static inline bool cpu_has_tsc_deadline(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_TSC_DEADLINE;
}

static inline bool cpu_is_virtualised(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_HYPERVISOR;
}

static inline bool cpu_has_invariant_tsc(void)
{
    return cpuid_max_ext_leaf() >= CPUID_LEAF_POWER &&
           (cpuid(CPUID_LEAF_POWER).edx & CPUID_POWER_EDX_INVARIANT_TSC);
}

#endif

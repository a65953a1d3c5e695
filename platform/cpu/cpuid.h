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
#define  CPUID1_ECX_SMX              (1u << 6)
#define  CPUID1_ECX_PCID             (1u << 17)
#define  CPUID1_ECX_X2APIC           (1u << 21)
#define  CPUID1_ECX_TSC_DEADLINE     (1u << 24)
#define  CPUID1_ECX_XSAVE            (1u << 26)
#define  CPUID1_ECX_OSXSAVE          (1u << 27)   /* mirrors CR4.OSXSAVE */
#define  CPUID1_ECX_AVX              (1u << 28)
#define  CPUID1_ECX_HYPERVISOR       (1u << 31)
#define  CPUID1_EBX_INITIAL_APIC_ID_SHIFT 24
#define  CPUID1_EDX_FPU              (1u << 0)
#define  CPUID1_EDX_VME              (1u << 1)
#define  CPUID1_EDX_DE               (1u << 2)
#define  CPUID1_EDX_PSE              (1u << 3)
#define  CPUID1_EDX_TSC              (1u << 4)
#define  CPUID1_EDX_MSR              (1u << 5)
#define  CPUID1_EDX_PAE              (1u << 6)
#define  CPUID1_EDX_MCE              (1u << 7)
#define  CPUID1_EDX_APIC             (1u << 9)
#define  CPUID1_EDX_SEP              (1u << 11)   /* SYSENTER/SYSEXIT */
#define  CPUID1_EDX_MTRR             (1u << 12)
#define  CPUID1_EDX_PGE              (1u << 13)
#define  CPUID1_EDX_PAT              (1u << 16)
#define  CPUID1_EDX_FXSR             (1u << 24)
#define  CPUID1_EDX_SSE              (1u << 25)
#define  CPUID1_EDX_SSE2             (1u << 26)
#define CPUID_LEAF_STRUCTURED        0x00000007
#define  CPUID7_EBX_FSGSBASE         (1u << 0)
#define  CPUID7_EBX_TSC_ADJUST       (1u << 1)
#define  CPUID7_EBX_SMEP             (1u << 7)
#define  CPUID7_EBX_AVX512F          (1u << 16)
#define  CPUID7_EBX_SMAP             (1u << 20)
#define  CPUID7_ECX_UMIP             (1u << 2)
#define  CPUID7_ECX_PKU              (1u << 3)
#define  CPUID7_ECX_LA57             (1u << 16)
#define  CPUID7_ECX_RDPID            (1u << 22)
#define CPUID_SUBLEAF_STRUCTURED_1   1             /* leaf 07H sub-leaf 1 */
#define  CPUID7_1_EAX_FRED           (1u << 17)    /* CR4.FRED (bit 32) exists */
#define CPUID_LEAF_TOPOLOGY          0x0000000b   /* extended topology */
#define CPUID_LEAF_TOPOLOGY_V2       0x0000001f   /* V2 extended topology */
#define  CPUID_TOPOLOGY_ECX_LEVEL_MASK      0xffu
#define  CPUID_TOPOLOGY_ECX_TYPE_SHIFT      8
#define  CPUID_TOPOLOGY_ECX_TYPE_MASK       0xffu
#define  CPUID_TOPOLOGY_TYPE_INVALID        0
#define  CPUID_TOPOLOGY_EBX_COUNT_MASK      0xffffu
#define CPUID_LEAF_XSAVE             0x0000000d   /* subleaf 0: XCR0 bits, 1: extensions */
#define  CPUID_XSAVE1_EAX_XSAVEOPT   (1u << 0)
#define  CPUID_XSAVE1_EAX_XSAVEC     (1u << 1)
#define  CPUID_XSAVE1_EAX_XSAVES     (1u << 3)
#define CPUID_LEAF_TSC_FREQ          0x00000015
#define CPUID_LEAF_HYPERVISOR        0x40000000
#define CPUID_LEAF_HV_TIMING         0x40000010
#define CPUID_LEAF_EXT_MAX           0x80000000
#define CPUID_LEAF_EXT_FEATURES      0x80000001
#define  CPUID_EXT_ECX_SVM           (1u << 2)
#define  CPUID_EXT_EDX_SYSCALL       (1u << 11)
#define  CPUID_EXT_EDX_PAGE1GB       (1u << 26)
#define  CPUID_EXT_EDX_NX            (1u << 20)
#define  CPUID_EXT_EDX_RDTSCP        (1u << 27)
#define  CPUID_EXT_EDX_LM            (1u << 29)
#define CPUID_LEAF_BRAND0            0x80000002
#define CPUID_LEAF_POWER             0x80000007
#define  CPUID_POWER_EDX_INVARIANT_TSC (1u << 8)
#define CPUID_LEAF_ADDRESS_SIZES     0x80000008
#define  CPUID_ADDRESS_EAX_PHYS_BITS_MASK 0xffu

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

/* MAXPHYADDR (SDM Vol. 2A CPUID 80000008H:EAX[7:0]); 36 where the leaf is
 * absent (SDM Vol. 3A 4.1.4). */
#define CPUID_DEFAULT_PHYS_BITS 36
static inline unsigned cpu_phys_addr_bits(void)
{
    if (cpuid_max_ext_leaf() < CPUID_LEAF_ADDRESS_SIZES)
        return CPUID_DEFAULT_PHYS_BITS;
    return cpuid(CPUID_LEAF_ADDRESS_SIZES).eax & CPUID_ADDRESS_EAX_PHYS_BITS_MASK;
}

/* The vendor, where the manuals differ (e.g. CPUID leaves above the
 * maximum: SDM Vol. 2A CPUID vs AMD APM Vol. 3 CPUID). Hygon follows AMD. */
enum cpu_vendor { CPU_VENDOR_OTHER, CPU_VENDOR_INTEL, CPU_VENDOR_AMD };

#define CPUID_VENDOR_INTEL_EBX 0x756e6547u   /* "Genu" "ineI" "ntel" */
#define CPUID_VENDOR_INTEL_EDX 0x49656e69u
#define CPUID_VENDOR_INTEL_ECX 0x6c65746eu
#define CPUID_VENDOR_AMD_EBX   0x68747541u   /* "Auth" "enti" "cAMD" */
#define CPUID_VENDOR_AMD_EDX   0x69746e65u
#define CPUID_VENDOR_AMD_ECX   0x444d4163u
#define CPUID_VENDOR_HYGON_EBX 0x6f677948u   /* "Hygo" "nGen" "uine" */
#define CPUID_VENDOR_HYGON_EDX 0x6e65476eu
#define CPUID_VENDOR_HYGON_ECX 0x656e6975u

static inline enum cpu_vendor cpu_vendor(void)
{
    struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR);
    if (r.ebx == CPUID_VENDOR_INTEL_EBX && r.edx == CPUID_VENDOR_INTEL_EDX &&
        r.ecx == CPUID_VENDOR_INTEL_ECX)
        return CPU_VENDOR_INTEL;
    if ((r.ebx == CPUID_VENDOR_AMD_EBX && r.edx == CPUID_VENDOR_AMD_EDX &&
         r.ecx == CPUID_VENDOR_AMD_ECX) ||
        (r.ebx == CPUID_VENDOR_HYGON_EBX && r.edx == CPUID_VENDOR_HYGON_EDX &&
         r.ecx == CPUID_VENDOR_HYGON_ECX))
        return CPU_VENDOR_AMD;
    return CPU_VENDOR_OTHER;
}

static inline bool cpu_has_invariant_tsc(void)
{
    return cpuid_max_ext_leaf() >= CPUID_LEAF_POWER &&
           (cpuid(CPUID_LEAF_POWER).edx & CPUID_POWER_EDX_INVARIANT_TSC);
}

#endif

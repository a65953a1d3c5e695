/* Model-specific registers and their bits (SDM Vol. 4), each MSR with its
 * bits right under it. */
#ifndef PLATFORM_CPU_MSR_INDEX_H
#define PLATFORM_CPU_MSR_INDEX_H

#define MSR_IA32_TSC                0x00000010
#define MSR_IA32_PLATFORM_ID        0x00000017

#define MSR_IA32_APIC_BASE          0x0000001b
#define  APIC_BASE_BSP              (1ull << 8)
#define  APIC_BASE_EXTD             (1ull << 10)   /* x2APIC mode */
#define  APIC_BASE_EN               (1ull << 11)   /* xAPIC global enable */
#define  APIC_BASE_ADDR_MASK        0x000ffffffffff000ull

#define MSR_IA32_FEATURE_CONTROL    0x0000003a
#define MSR_IA32_TSC_ADJUST         0x0000003b
#define MSR_IA32_BIOS_SIGN_ID       0x0000008b     /* microcode revision in 63:32 */
#define MSR_IA32_MTRRCAP            0x000000fe
#define MSR_IA32_SYSENTER_CS        0x00000174
#define MSR_IA32_SYSENTER_ESP       0x00000175
#define MSR_IA32_SYSENTER_EIP       0x00000176
#define MSR_IA32_MISC_ENABLE        0x000001a0
#define MSR_IA32_TSC_DEADLINE       0x000006e0
#define MSR_IA32_PAT                0x00000277
#define MSR_IA32_MTRR_DEF_TYPE      0x000002ff
#define  MTRR_DEF_TYPE_ENABLE       (1ull << 11)
#define  MTRR_TYPE_WB               6ull

/* x2APIC registers: MSR 0x800 + (xAPIC MMIO offset >> 4) (SDM Vol. 3A 11.12.1). */
#define MSR_X2APIC_BASE             0x00000800

#define MSR_EFER                    0xc0000080
#define  EFER_SCE                   (1ull << 0)
#define  EFER_LME                   (1ull << 8)
#define  EFER_LMA                   (1ull << 10)
#define  EFER_NXE                   (1ull << 11)
#define  EFER_SVME                  (1ull << 12)
#define MSR_STAR                    0xc0000081
#define MSR_LSTAR                   0xc0000082
#define MSR_CSTAR                   0xc0000083
#define MSR_FMASK                   0xc0000084
#define MSR_FS_BASE                 0xc0000100
#define MSR_GS_BASE                 0xc0000101
#define MSR_KERNEL_GS_BASE          0xc0000102
#define MSR_TSC_AUX                 0xc0000103

#endif

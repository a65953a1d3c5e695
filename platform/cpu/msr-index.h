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
#define  FEATURE_CONTROL_LOCKED     (1ull << 0)
#define  FEATURE_CONTROL_VMX_IN_SMX (1ull << 1)
#define  FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define MSR_IA32_TSC_ADJUST         0x0000003b
#define MSR_IA32_BIOS_SIGN_ID       0x0000008b     /* microcode revision in 63:32 */
#define MSR_IA32_MTRRCAP            0x000000fe
#define  MTRRCAP_VCNT_MASK          0xffull        /* variable ranges */
#define  MTRRCAP_FIX                (1ull << 8)
#define  MTRRCAP_WC                 (1ull << 10)
#define MSR_IA32_SYSENTER_CS        0x00000174
#define MSR_IA32_SYSENTER_ESP       0x00000175
#define MSR_IA32_SYSENTER_EIP       0x00000176
#define MSR_IA32_MISC_ENABLE        0x000001a0
/* Variable-range MTRRs: PHYSBASE n at 0x200 + 2n, PHYSMASK n at 0x201 + 2n
 * (SDM Vol. 3A 12.11.2.3). */
#define MSR_IA32_MTRR_PHYSBASE0     0x00000200
#define MSR_IA32_MTRR_PHYSMASK0     0x00000201
#define  MTRR_PHYSMASK_VALID        (1ull << 11)
#define  MTRR_TYPE_MASK             0xffull
#define MSR_IA32_MTRR_FIX64K_00000  0x00000250
#define MSR_IA32_MTRR_FIX16K_80000  0x00000258
#define MSR_IA32_MTRR_FIX16K_A0000  0x00000259
#define MSR_IA32_TSC_DEADLINE       0x000006e0
#define MSR_IA32_PAT                0x00000277
#define  PAT_ENTRY_BITS             8
#define  PAT_ENTRIES                8
#define MSR_IA32_MTRR_DEF_TYPE      0x000002ff
#define  MTRR_DEF_TYPE_ENABLE       (1ull << 11)
#define  MTRR_TYPE_WB               6ull
/* Memory types of the MTRRs and the PAT (SDM Vol. 3A Table 12-8, 12-10). */
#define MEMTYPE_UC                  0ull
#define MEMTYPE_WC                  1ull
#define MEMTYPE_RESERVED2           2ull
#define MEMTYPE_RESERVED3           3ull
#define MEMTYPE_WT                  4ull
#define MEMTYPE_WP                  5ull
#define MEMTYPE_WB                  6ull
#define MEMTYPE_UC_MINUS            7ull          /* PAT only */
#define MSR_IA32_VMX_BASIC          0x00000480
#define  VMX_BASIC_REVISION_MASK    0x7fffffffull
#define  VMX_BASIC_REGION_SIZE_SHIFT 32
#define  VMX_BASIC_REGION_SIZE_MASK 0x1fffull
#define  VMX_BASIC_MEMTYPE_SHIFT    50
#define  VMX_BASIC_MEMTYPE_MASK     0xfull
#define  VMX_BASIC_TRUE_CONTROLS    (1ull << 55)
#define MSR_IA32_VMX_PINBASED_CTLS  0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x00000482
#define MSR_IA32_VMX_EXIT_CTLS      0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS     0x00000484
#define MSR_IA32_VMX_MISC           0x00000485
#define  VMX_MISC_VMWRITE_ANY_FIELD (1ull << 29)
#define MSR_IA32_VMX_CR0_FIXED0     0x00000486
#define MSR_IA32_VMX_CR0_FIXED1     0x00000487
#define MSR_IA32_VMX_CR4_FIXED0     0x00000488
#define MSR_IA32_VMX_CR4_FIXED1     0x00000489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x0000048b
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x00000490
#define MSR_IA32_XSS                0x00000da0

/* x2APIC registers: MSR 0x800 + (xAPIC MMIO offset >> 4) (SDM Vol. 3A 11.12.1). */
#define MSR_X2APIC_BASE             0x00000800
#define MSR_X2APIC_LAST             0x000008ff     /* 0x840-0x8ff: reserved today */
#define MSR_X2APIC(lapic_reg)       (MSR_X2APIC_BASE + ((lapic_reg) >> 4))

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

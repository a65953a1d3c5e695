/* Architectural bits of the control registers, RFLAGS and the exception
 * vectors (SDM Vol. 3A 2.5, 2.3, 6.15). */
#ifndef PLATFORM_CPU_PROCESSOR_FLAGS_H
#define PLATFORM_CPU_PROCESSOR_FLAGS_H

#define CR0_PE          (1ul << 0)
#define CR0_MP          (1ul << 1)
#define CR0_EM          (1ul << 2)
#define CR0_TS          (1ul << 3)
#define CR0_ET          (1ul << 4)
#define CR0_NE          (1ul << 5)
#define CR0_WP          (1ul << 16)
#define CR0_AM          (1ul << 18)
#define CR0_NW          (1ul << 29)
#define CR0_CD          (1ul << 30)
#define CR0_PG          (1ul << 31)

#define CR4_VME         (1ul << 0)
#define CR4_PVI         (1ul << 1)
#define CR4_TSD         (1ul << 2)
#define CR4_DE          (1ul << 3)
#define CR4_PSE         (1ul << 4)
#define CR4_PAE         (1ul << 5)
#define CR4_MCE         (1ul << 6)
#define CR4_PGE         (1ul << 7)
#define CR4_PCE         (1ul << 8)
#define CR4_OSFXSR      (1ul << 9)
#define CR4_OSXMMEXCPT  (1ul << 10)
#define CR4_UMIP        (1ul << 11)
#define CR4_LA57        (1ul << 12)
#define CR4_VMXE        (1ul << 13)
#define CR4_SMXE        (1ul << 14)
#define CR4_FSGSBASE    (1ul << 16)
#define CR4_PCIDE       (1ul << 17)
#define CR4_OSXSAVE     (1ul << 18)
#define CR4_SMEP        (1ul << 20)
#define CR4_SMAP        (1ul << 21)
#define CR4_PKE         (1ul << 22)
#define CR4_FRED        (1ul << 32)   /* flexible return and event delivery */

#define RFLAGS_CF       (1ul << 0)
#define RFLAGS_RESERVED1 (1ul << 1)   /* always 1 */
#define RFLAGS_PF       (1ul << 2)
#define RFLAGS_ZF       (1ul << 6)
#define RFLAGS_TF       (1ul << 8)
#define RFLAGS_IF       (1ul << 9)
#define RFLAGS_DF       (1ul << 10)
#define RFLAGS_OF       (1ul << 11)
#define RFLAGS_IOPL_MASK (3ul << 12)
#define RFLAGS_NT       (1ul << 14)
#define RFLAGS_RF       (1ul << 16)
#define RFLAGS_VM       (1ul << 17)
#define RFLAGS_AC       (1ul << 18)
#define RFLAGS_ID       (1ul << 21)

/* Exception vectors (SDM Vol. 3A Table 6-1). */
#define X86_EXC_DE   0    /* divide error */
#define X86_EXC_DB   1    /* debug */
#define X86_EXC_NMI  2
#define X86_EXC_BP   3    /* breakpoint */
#define X86_EXC_OF   4    /* overflow */
#define X86_EXC_BR   5    /* bound range */
#define X86_EXC_UD   6    /* invalid opcode */
#define X86_EXC_NM   7    /* device not available */
#define X86_EXC_DF   8    /* double fault */
#define X86_EXC_TS   10   /* invalid TSS */
#define X86_EXC_NP   11   /* segment not present */
#define X86_EXC_SS   12   /* stack fault */
#define X86_EXC_GP   13   /* general protection */
#define X86_EXC_PF   14   /* page fault */
#define X86_EXC_MF   16   /* x87 floating point */
#define X86_EXC_AC   17   /* alignment check */
#define X86_EXC_MC   18   /* machine check */
#define X86_EXC_XM   19   /* SIMD floating point */
#define X86_EXC_VE   20   /* virtualisation */
#define X86_EXC_CP   21   /* control protection */
#define X86_EXC_HV   28   /* hypervisor injection (AMD) */
#define X86_EXC_VC   29   /* VMM communication (AMD) */
#define X86_EXC_SX   30   /* security (AMD) */
#define X86_NR_EXCEPTIONS 32

/* Page-fault error code (SDM Vol. 3A 4.7). */
#define PFEC_P     (1u << 0)
#define PFEC_W     (1u << 1)
#define PFEC_U     (1u << 2)
#define PFEC_RSVD  (1u << 3)
#define PFEC_I     (1u << 4)
#define PFEC_PK    (1u << 5)

/* Selector error code (SDM Vol. 3A 6.13, AMD APM Vol. 2 8.4.1): #TS, #NP,
 * #SS and #GP push the selector index with these bits below it; for a
 * gate, the index is the vector and IDT is set. */
#define ERRCODE_EXT          (1u << 0)   /* raised while delivering an external event */
#define ERRCODE_IDT          (1u << 1)   /* the index names an IDT gate */
#define ERRCODE_TI           (1u << 2)   /* the index is in the LDT */
#define ERRCODE_INDEX_SHIFT  3

/* Debug registers (SDM Vol. 3B 18.2). DR6 holds the conditions of the last
 * #DB; DR6_INIT is its value with none (reserved bits read as 1). */
#define DR6_B0          (1ul << 0)       /* breakpoint 0 (DR0/DR7 L0) matched */
#define DR6_B_MASK      0xful            /* B0-B3 */
#define DR6_BD          (1ul << 13)
#define DR6_BS          (1ul << 14)      /* single step */
#define DR6_BT          (1ul << 15)
#define DR6_INIT        0xffff0ff0ul
#define DR7_L0          (1ul << 0)       /* enable breakpoint 0 */
#define DR7_FIXED1      (1ul << 10)      /* reserved, reads as 1 */
#define DR7_RW0_SHIFT   16               /* breakpoint 0 condition */
#define DR7_LEN0_SHIFT  18               /* breakpoint 0 length */
#define DR7_RW_EXECUTE  0ul
#define DR7_RW_WRITE    1ul
#define DR7_RW_ACCESS   3ul              /* data reads and writes */
#define DR7_LEN_1       0ul
#define DR7_LEN_2       1ul
#define DR7_LEN_8       2ul
#define DR7_LEN_4       3ul

/* Extended control registers (SDM Vol. 1 13.3): XCR0 enables state
 * components for XSAVE; its reset value has only x87 set. */
#define XCR_XFEATURE_ENABLED 0
#define XCR0_X87        (1ull << 0)

#endif

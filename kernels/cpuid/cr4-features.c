/* CR4 feature bits: settable exactly when CPUID reports the feature (a bit
 * of an absent feature is reserved, and MOV to CR4 that sets a reserved
 * bit raises #GP(0): SDM Vol. 3A 2.5, Vol. 2B MOV--Move to/from Control
 * Registers). One case per bit, from the table below. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

static bool leaf1_edx(uint32_t bit) { return cpuid(CPUID_LEAF_FEATURES).edx & bit; }
static bool leaf1_ecx(uint32_t bit) { return cpuid(CPUID_LEAF_FEATURES).ecx & bit; }

static bool leaf7_ebx(uint32_t bit)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED && (cpuid(CPUID_LEAF_STRUCTURED).ebx & bit);
}

static bool leaf7_ecx(uint32_t bit)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED && (cpuid(CPUID_LEAF_STRUCTURED).ecx & bit);
}

struct cr4_feature {
    uint64_t cr4_bit;
    bool (*leaf)(uint32_t bit);
    uint32_t cpuid_bit;
};

/* SDM Vol. 3A 2.5 "CR4", each bit with the CPUID flag that makes it
 * available (SDM Vol. 2A Table 3-10, 3-11 and leaf 07H). */
static const struct cr4_feature cr4_vme      = { CR4_VME,      leaf1_edx, CPUID1_EDX_VME };
static const struct cr4_feature cr4_pvi      = { CR4_PVI,      leaf1_edx, CPUID1_EDX_VME };
static const struct cr4_feature cr4_tsd      = { CR4_TSD,      leaf1_edx, CPUID1_EDX_TSC };
static const struct cr4_feature cr4_de       = { CR4_DE,       leaf1_edx, CPUID1_EDX_DE };
static const struct cr4_feature cr4_mce      = { CR4_MCE,      leaf1_edx, CPUID1_EDX_MCE };
static const struct cr4_feature cr4_pge      = { CR4_PGE,      leaf1_edx, CPUID1_EDX_PGE };
static const struct cr4_feature cr4_osfxsr   = { CR4_OSFXSR,   leaf1_edx, CPUID1_EDX_FXSR };
static const struct cr4_feature cr4_vmxe     = { CR4_VMXE,     leaf1_ecx, CPUID1_ECX_VMX };
static const struct cr4_feature cr4_smxe     = { CR4_SMXE,     leaf1_ecx, CPUID1_ECX_SMX };
static const struct cr4_feature cr4_pcide    = { CR4_PCIDE,    leaf1_ecx, CPUID1_ECX_PCID };
static const struct cr4_feature cr4_osxsave  = { CR4_OSXSAVE,  leaf1_ecx, CPUID1_ECX_XSAVE };
static const struct cr4_feature cr4_fsgsbase = { CR4_FSGSBASE, leaf7_ebx, CPUID7_EBX_FSGSBASE };
static const struct cr4_feature cr4_smep     = { CR4_SMEP,     leaf7_ebx, CPUID7_EBX_SMEP };
static const struct cr4_feature cr4_smap     = { CR4_SMAP,     leaf7_ebx, CPUID7_EBX_SMAP };
static const struct cr4_feature cr4_umip     = { CR4_UMIP,     leaf7_ecx, CPUID7_ECX_UMIP };
static const struct cr4_feature cr4_pke      = { CR4_PKE,      leaf7_ecx, CPUID7_ECX_PKU };

/* Sets the bit (clearing it first if the boot left it set) and expects
 * success when the feature is reported, #GP(0) and an unchanged CR4 when
 * it is not. The framework restores CR4 after the case. CR3[11:0] is 0
 * here (the boot PML4 is page aligned with PCD=PWT=0), which CR4.PCIDE
 * requires (SDM Vol. 3A 4.10.1). */
static void cr4_bit_is_settable_exactly_when_reported(const struct cr4_feature *f)
{
    bool reported = f->leaf(f->cpuid_bit);
    uint64_t cr4 = read_cr4() & ~f->cr4_bit;
    ASSERT_NO_EXCEPTION(write_cr4_safe(cr4));
    exinfo_t ex = write_cr4_safe(cr4 | f->cr4_bit);
    if (reported) {
        ASSERT_NO_EXCEPTION(ex);
        ASSERT_EQ(read_cr4(), cr4 | f->cr4_bit);
    } else {
        ASSERT_EXCEPTION(ex, EXINFO_EC(X86_EXC_GP, 0));
        ASSERT_EQ(read_cr4(), cr4);
    }
}

#define CR4_FEATURE_CASE(name_, feature_, ref_)                          \
    TEST_CASE(cr4_##name_##_is_settable_exactly_when_reported, ref_)    \
    {                                                                    \
        cr4_bit_is_settable_exactly_when_reported(&feature_);            \
    }

CR4_FEATURE_CASE(vme, cr4_vme, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(pvi, cr4_pvi, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(tsd, cr4_tsd, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(de, cr4_de, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(mce, cr4_mce, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(pge, cr4_pge, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(osfxsr, cr4_osfxsr, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(pcide, cr4_pcide, "SDM Vol. 3A 4.10.1")
CR4_FEATURE_CASE(osxsave, cr4_osxsave, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(fsgsbase, cr4_fsgsbase, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(smep, cr4_smep, "SDM Vol. 3A 4.6")
CR4_FEATURE_CASE(smap, cr4_smap, "SDM Vol. 3A 4.6")
CR4_FEATURE_CASE(umip, cr4_umip, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(pke, cr4_pke, "SDM Vol. 3A 4.6.2")
/* VMX and SMX last: most VMMs do not report them, and QEMU TCG (7.2) hangs
 * on a CR4 write with a bit it treats as reserved instead of raising #GP
 * (helper_write_crN calls cpu_vmexit(SVM_EXIT_ERR) outside SVM guest
 * mode), so everything after the first such write is lost there. */
CR4_FEATURE_CASE(vmxe, cr4_vmxe, "SDM Vol. 3A 2.5")
CR4_FEATURE_CASE(smxe, cr4_smxe, "SDM Vol. 3A 2.5")

/* SDM Vol. 2B MOV to CR4: #GP(0) "if an attempt is made to change CR4.LA57
 * while IA-32e mode is active", whether or not 5-level paging exists. */
TEST_CASE(cr4_la57_cannot_change_in_long_mode, "SDM Vol. 2B MOV (control registers)")
{
    uint64_t cr4 = read_cr4();
    ASSERT_EXCEPTION(write_cr4_safe(cr4 ^ CR4_LA57), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(read_cr4(), cr4);
}

/* FRED (Intel, CPUID.(EAX=07H,ECX=1):EAX[17]) takes CR4 bit 32; without it
 * the bit is reserved like the rest of 63:32. Sub-leaf 1 exists when
 * CPUID.(EAX=07H,ECX=0):EAX, the highest sub-leaf, is at least 1. */
static bool cpu_has_fred(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           cpuid_count(CPUID_LEAF_STRUCTURED, 0).eax >= CPUID_SUBLEAF_STRUCTURED_1 &&
           (cpuid_count(CPUID_LEAF_STRUCTURED, CPUID_SUBLEAF_STRUCTURED_1).eax &
            CPUID7_1_EAX_FRED);
}

#define CR4_RESERVED_15 (1ull << 15)
#define CR4_RESERVED_63 (1ull << 63)

struct cr4_reserved_bit {
    uint64_t bit;
    bool (*defined)(void);   /* the feature that makes the bit a control, or 0 */
};

/* SDM Vol. 3A 2.5 and Vol. 2B MOV (control registers): "#GP(0) if an
 * attempt is made to write a 1 to any reserved bit in CR4". Bit 15 and
 * bit 63 are reserved on Intel and AMD alike (AMD APM Vol. 2 3.1.3);
 * bit 32 is reserved unless the processor reports FRED (SDM Vol. 3A 2.5,
 * CR4.FRED). Hangs QEMU TCG 7.2 (see above), hence last. */
TEST_CASE(cr4_reserved_bits_raise_gp, "SDM Vol. 3A 2.5")
{
    static const struct cr4_reserved_bit reserved_bits[] = {
        { CR4_RESERVED_15, 0 }, { CR4_FRED, cpu_has_fred }, { CR4_RESERVED_63, 0 },
    };
    uint64_t cr4 = read_cr4();
    for (unsigned i = 0; i < sizeof(reserved_bits) / sizeof(reserved_bits[0]); i++) {
        const struct cr4_reserved_bit *r = &reserved_bits[i];
        if (r->defined && r->defined())
            continue;
        exinfo_t ex = write_cr4_safe(cr4 | r->bit);
        uint64_t after = read_cr4();
        (void)write_cr4_safe(cr4);
        if (ex != EXINFO_EC(X86_EXC_GP, 0) || after != cr4)
            FAIL("CR4 | 0x%llx: expected #GP(0) and CR4 unchanged, got %s and CR4 0x%llx",
                 (unsigned long long)r->bit,
                 ex == EXINFO_EC(X86_EXC_GP, 0) ? "#GP(0)"
                 : exinfo_raised(ex)            ? "another exception" : "no exception",
                 (unsigned long long)after);
    }
}

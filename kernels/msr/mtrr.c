/* MTRRs (SDM Vol. 3A 12.11): MTRRCAP is read-only, the variable and fixed
 * ranges keep what is written, and undefined memory types or address bits
 * beyond MAXPHYADDR raise #GP(0). Every range touched is put back at once:
 * the values written leave the memory types of used memory unchanged
 * (a variable pair written with V=0, a fixed range over the VGA hole). */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "msr-checks.h"
#include "test/protocol.h"
#include "test/test.h"

#define MTRR_TEST_BASE_ADDRESS  0x40000000ull    /* 1 GiB, 1 GiB aligned */
#define MTRR_TEST_RANGE_SIZE    0x40000000ull
#define PAGE_MASK_LOW           0xfffull
#define BYTES_ALL_WC            0x0101010101010101ull
#define MTRR_TYPE_OUT_OF_RANGE  8ull

static bool cpu_has_mtrr(void)
{
    return cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_MTRR;
}

static unsigned variable_ranges(void)
{
    return rdmsr(MSR_IA32_MTRRCAP) & MTRRCAP_VCNT_MASK;
}

static bool cpu_has_variable_mtrrs(void)
{
    return cpu_has_mtrr() && variable_ranges() > 0;
}

static bool cpu_has_fixed_mtrrs(void)
{
    return cpu_has_mtrr() && (rdmsr(MSR_IA32_MTRRCAP) & MTRRCAP_FIX);
}

/* The last variable pair: firmware fills them from the first. */
static uint32_t last_physbase(void)
{
    return MSR_IA32_MTRR_PHYSBASE0 + 2 * (variable_ranges() - 1);
}

static uint64_t phys_address_mask(void)
{
    return ((1ull << cpu_phys_addr_bits()) - 1) & ~PAGE_MASK_LOW;
}

/* SDM Vol. 4 Table 2-2: IA32_MTRRCAP is read-only ("RO"); writing a
 * read-only MSR raises #GP(0), even with its own value. Records the
 * capabilities as facts. */
TEST_CASE_CONDITIONAL(mtrrcap_is_read_only, cpu_has_mtrr(), "SDM Vol. 3A 12.11.2.1")
{
    uint64_t cap = rdmsr(MSR_IA32_MTRRCAP);
    protocol_fact("mtrr.variable-ranges", "%u", (unsigned)(cap & MTRRCAP_VCNT_MASK));
    protocol_fact("mtrr.fixed", "%s", cap & MTRRCAP_FIX ? "yes" : "no");
    protocol_fact("mtrr.wc", "%s", cap & MTRRCAP_WC ? "yes" : "no");
    write_is_refused(MSR_IA32_MTRRCAP, cap);
}

/* SDM Vol. 3A 12.11.2.3: PHYSBASE holds base and type, PHYSMASK the mask
 * and V; both read back as written. V stays 0, so no memory changes type. */
TEST_CASE_CONDITIONAL(variable_mtrr_pair_keeps_what_is_written, cpu_has_variable_mtrrs(),
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = last_physbase(), mask_msr = base_msr + 1;
    uint64_t saved_base = rdmsr(base_msr), saved_mask = rdmsr(mask_msr);
    ASSERT_FALSE(saved_mask & MTRR_PHYSMASK_VALID);   /* the pair is free */
    uint64_t base = MTRR_TEST_BASE_ADDRESS | MEMTYPE_WC;
    uint64_t mask = phys_address_mask() & ~(MTRR_TEST_RANGE_SIZE - 1);
    exinfo_t ex_base = wrmsr_safe(base_msr, base), ex_mask = wrmsr_safe(mask_msr, mask);
    uint64_t got_base = rdmsr(base_msr), got_mask = rdmsr(mask_msr);
    (void)wrmsr_safe(mask_msr, saved_mask);
    (void)wrmsr_safe(base_msr, saved_base);
    ASSERT_NO_EXCEPTION(ex_base);
    ASSERT_NO_EXCEPTION(ex_mask);
    ASSERT_EQ(got_base, base);
    ASSERT_EQ(got_mask, mask);
}

/* SDM Vol. 3A 12.11.2.3 and Table 12-8: types 2, 3 and 8-255 are
 * reserved; writing one into PHYSBASE raises #GP(0). */
TEST_CASE_CONDITIONAL(variable_mtrr_undefined_type_raises_gp, cpu_has_variable_mtrrs(),
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = last_physbase();
    write_is_refused(base_msr, MTRR_TEST_BASE_ADDRESS | MEMTYPE_RESERVED2);
    write_is_refused(base_msr, MTRR_TEST_BASE_ADDRESS | MTRR_TYPE_OUT_OF_RANGE);
}

/* SDM Vol. 3A 12.11.2.3: PHYSBASE and PHYSMASK bits from MAXPHYADDR up are
 * reserved; setting one raises #GP(0). */
TEST_CASE_CONDITIONAL(variable_mtrr_bits_above_maxphyaddr_raise_gp,
                      cpu_has_variable_mtrrs() && cpu_phys_addr_bits() < 52,
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = last_physbase(), mask_msr = base_msr + 1;
    uint64_t beyond = 1ull << cpu_phys_addr_bits();
    write_is_refused(base_msr, beyond | MTRR_TEST_BASE_ADDRESS | MEMTYPE_WB);
    write_is_refused(mask_msr, beyond | (phys_address_mask() & ~(MTRR_TEST_RANGE_SIZE - 1)));
}

/* SDM Vol. 3A 12.11.2.1: the default type field of IA32_MTRR_DEF_TYPE
 * takes the defined types only. */
TEST_CASE_CONDITIONAL(mtrr_def_type_undefined_type_raises_gp, cpu_has_mtrr(),
                      "SDM Vol. 3A 12.11.2.1")
{
    uint64_t def = rdmsr(MSR_IA32_MTRR_DEF_TYPE) & ~MTRR_TYPE_MASK;
    write_is_refused(MSR_IA32_MTRR_DEF_TYPE, def | MEMTYPE_RESERVED2);
}

/* SDM Vol. 3A 12.11.2.2: each byte of a fixed-range MTRR is the type of
 * one sub-range; IA32_MTRR_FIX16K_A0000 covers A0000H-BFFFFH (the VGA
 * window, where WC is what a driver would pick). */
TEST_CASE_CONDITIONAL(fixed_mtrr_keeps_what_is_written, cpu_has_fixed_mtrrs(),
                      "SDM Vol. 3A 12.11.2.2")
{
    uint64_t saved = rdmsr(MSR_IA32_MTRR_FIX16K_A0000);
    exinfo_t ex = wrmsr_safe(MSR_IA32_MTRR_FIX16K_A0000, BYTES_ALL_WC);
    uint64_t got = rdmsr(MSR_IA32_MTRR_FIX16K_A0000);
    (void)wrmsr_safe(MSR_IA32_MTRR_FIX16K_A0000, saved);
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(got, BYTES_ALL_WC);
}

TEST_CASE_CONDITIONAL(fixed_mtrr_undefined_type_raises_gp, cpu_has_fixed_mtrrs(),
                      "SDM Vol. 3A 12.11.2.2")
{
    uint64_t saved = rdmsr(MSR_IA32_MTRR_FIX16K_A0000);
    write_is_refused(MSR_IA32_MTRR_FIX16K_A0000, (saved & ~MTRR_TYPE_MASK) | MEMTYPE_RESERVED3);
}

/* MTRRs (SDM Vol. 3A 12.11; AMD APM Vol. 2 7.7): MTRRCAP is read-only, the
 * variable and fixed ranges keep what is written, and undefined memory
 * types or address bits beyond MAXPHYADDR raise #GP(0). Every range
 * touched is put back at once: the values written leave the memory types
 * of used memory unchanged (a variable pair firmware left free, written
 * with V=0; a fixed range over the VGA hole). */
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

/* A variable pair firmware did not use (PHYSMASK.V=0), the highest one:
 * firmware fills them from the first. Firmware may use them all (real
 * machines do), and a live pair is no place for a test value. */
static bool free_variable_pair(uint32_t *base_msr)
{
    if (!cpu_has_mtrr())
        return false;
    for (unsigned n = variable_ranges(); n > 0; n--) {
        uint32_t base = MSR_IA32_MTRR_PHYSBASE0 + 2 * (n - 1);
        if (!(rdmsr(base + 1) & MTRR_PHYSMASK_VALID)) {
            *base_msr = base;
            return true;
        }
    }
    return false;
}

static bool cpu_has_free_variable_mtrr(void)
{
    uint32_t base;
    return free_variable_pair(&base);
}

static bool cpu_has_fixed_mtrrs(void)
{
    return cpu_has_mtrr() && (rdmsr(MSR_IA32_MTRRCAP) & MTRRCAP_FIX);
}

static uint64_t phys_address_mask(void)
{
    return ((1ull << cpu_phys_addr_bits()) - 1) & ~PAGE_MASK_LOW;
}

/* SDM Vol. 4 Table 2-2: IA32_MTRRCAP is read-only ("RO"); writing a
 * read-only MSR raises #GP(0), even with its own value. AMD APM Vol. 2
 * 7.7.1 also calls MTRRcap read-only, but does not say whether a write
 * faults or is dropped: on AMD this case asserts the Intel rule without a
 * sentence of AMD's to back it (uncertain; a bare-metal AMD baseline
 * decides). Records the capabilities as facts. */
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
TEST_CASE_CONDITIONAL(variable_mtrr_pair_keeps_what_is_written, cpu_has_free_variable_mtrr(),
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = 0;
    ASSERT_TRUE(free_variable_pair(&base_msr));
    uint32_t mask_msr = base_msr + 1;
    uint64_t saved_base = rdmsr(base_msr), saved_mask = rdmsr(mask_msr);
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

/* SDM Vol. 3A 12.11.1 Table 12-8 "Memory Types That Can Be Encoded in
 * MTRRs": 0, 1, 4, 5, 6; 2, 3 and 7-FFH are reserved (7, UC-, is a PAT
 * type only; AMD APM Vol. 2 7.7.1 likewise), and 12.11.2.3: writing one
 * into PHYSBASE raises #GP(0). */
static const uint64_t mtrr_undefined_types[] = {
    MEMTYPE_RESERVED2, MEMTYPE_RESERVED3, MEMTYPE_UC_MINUS, MTRR_TYPE_OUT_OF_RANGE,
};
#define MTRR_UNDEFINED_TYPES (sizeof(mtrr_undefined_types) / sizeof(mtrr_undefined_types[0]))

TEST_CASE_CONDITIONAL(variable_mtrr_undefined_type_raises_gp, cpu_has_free_variable_mtrr(),
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = 0;
    ASSERT_TRUE(free_variable_pair(&base_msr));
    for (unsigned i = 0; i < MTRR_UNDEFINED_TYPES; i++)
        write_is_refused(base_msr, MTRR_TEST_BASE_ADDRESS | mtrr_undefined_types[i]);
}

/* SDM Vol. 3A 12.11.2.3: PHYSBASE and PHYSMASK bits from MAXPHYADDR up are
 * reserved; setting one raises #GP(0). */
TEST_CASE_CONDITIONAL(variable_mtrr_bits_above_maxphyaddr_raise_gp,
                      cpu_has_free_variable_mtrr() && cpu_phys_addr_bits() < 52,
                      "SDM Vol. 3A 12.11.2.3")
{
    uint32_t base_msr = 0;
    ASSERT_TRUE(free_variable_pair(&base_msr));
    uint32_t mask_msr = base_msr + 1;
    uint64_t beyond = 1ull << cpu_phys_addr_bits();
    write_is_refused(base_msr, beyond | MTRR_TEST_BASE_ADDRESS | MEMTYPE_WB);
    write_is_refused(mask_msr, beyond | (phys_address_mask() & ~(MTRR_TEST_RANGE_SIZE - 1)));
}

/* SDM Vol. 3A 12.11.2.1: the default type field of IA32_MTRR_DEF_TYPE
 * takes the defined types of Table 12-8 only. */
TEST_CASE_CONDITIONAL(mtrr_def_type_undefined_type_raises_gp, cpu_has_mtrr(),
                      "SDM Vol. 3A 12.11.2.1")
{
    uint64_t def = rdmsr(MSR_IA32_MTRR_DEF_TYPE) & ~MTRR_TYPE_MASK;
    for (unsigned i = 0; i < MTRR_UNDEFINED_TYPES; i++)
        write_is_refused(MSR_IA32_MTRR_DEF_TYPE, def | mtrr_undefined_types[i]);
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

/* SDM Vol. 3A 12.11.2.2 and Table 12-8: a fixed-range byte takes the
 * defined types only. Types of bits 2:0 only: on AMD bits 4:3 of a
 * fixed-range byte are RdMem/WrMem (APM Vol. 2 7.7.1, under
 * SYSCFG.MtrrFixDramModEn), so a type of 8 or more is not undefined
 * there. */
#define MTRR_FIXED_TYPE_BITS 0x7ull

TEST_CASE_CONDITIONAL(fixed_mtrr_undefined_type_raises_gp, cpu_has_fixed_mtrrs(),
                      "SDM Vol. 3A 12.11.2.2")
{
    uint64_t saved = rdmsr(MSR_IA32_MTRR_FIX16K_A0000);
    for (unsigned i = 0; i < MTRR_UNDEFINED_TYPES; i++)
        if (mtrr_undefined_types[i] <= MTRR_FIXED_TYPE_BITS)
            write_is_refused(MSR_IA32_MTRR_FIX16K_A0000,
                             (saved & ~MTRR_TYPE_MASK) | mtrr_undefined_types[i]);
}

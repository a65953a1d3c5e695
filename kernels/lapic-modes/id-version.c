/* lapic-modes: identification and addressing registers: ID, version,
 * LDR and DFR in each mode (SDM Vol. 3A 11.4.6, 11.4.8, 11.6.2.2,
 * 11.12.10.2). */
#include "modes.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

#define VERSION_INTEGRATED_FIRST  0x10   /* "1XH: Local APIC" ... */
#define VERSION_INTEGRATED_LAST   0x15   /* ... 10H-15H (Figure 11-7) */
#define MAX_LVT_AT_LEAST          3      /* P6: 4 entries; later parts more */

static unsigned version_of(uint32_t reg) { return reg & LAPIC_VERSION_MASK; }
static unsigned max_lvt_of(uint32_t reg)
{
    return (reg >> LAPIC_VERSION_MAX_LVT_SHIFT) & LAPIC_VERSION_MAX_LVT_MASK;
}

/* SDM 11.4.8: an integrated APIC reports a version 10H-15H; Max LVT Entry
 * is the number of LVT entries minus 1, at least 3 (the timer, LINT0,
 * LINT1 and error LVTs every integrated APIC has). */
static void version_reports_integrated_apic(enum lapic_mode mode)
{
    enter_mode(mode);
    uint32_t reg = lapic_read(LAPIC_VERSION);
    ASSERT_GE(version_of(reg), VERSION_INTEGRATED_FIRST);
    ASSERT_LE(version_of(reg), VERSION_INTEGRATED_LAST);
    ASSERT_GE(max_lvt_of(reg), MAX_LVT_AT_LEAST);
}

INTERFACE_CASES(lapic_version_reports_an_integrated_apic_and_its_lvt_count,
                version_reports_integrated_apic, "SDM Vol. 3A 11.4.8")

/* Table 11-6, 803H: "Same version used in xAPIC mode and x2APIC mode." */
TEST_CASE_CONDITIONAL(lapic_version_is_the_same_in_both_modes, x2apic_usable(),
                      "SDM Vol. 3A 11.12.1.2")
{
    enter_mode(LAPIC_MODE_XAPIC);
    uint32_t xapic = lapic_read(LAPIC_VERSION);
    enter_mode(LAPIC_MODE_X2APIC);
    ASSERT_EQ(lapic_read(LAPIC_VERSION), xapic);
}

/* SDM 11.4.6: the APIC ID is the initial APIC ID hardware assigned, which
 * CPUID.01H:EBX[31:24] reports (on processors where software could change
 * the xAPIC ID, nothing before us did). */
TEST_CASE_CONDITIONAL(xapic_id_is_the_initial_apic_id_of_cpuid, lapic_present(),
                      "SDM Vol. 3A 11.4.6")
{
    enter_mode(LAPIC_MODE_XAPIC);
    uint32_t initial = cpuid(CPUID_LEAF_FEATURES).ebx >> CPUID1_EBX_INITIAL_APIC_ID_SHIFT;
    ASSERT_EQ(lapic_read(LAPIC_ID) >> LAPIC_XAPIC_ID_SHIFT, initial);
}

/* SDM Vol. 2A CPUID, leaf 0BH: the leaf exists when the maximum leaf
 * reaches it and CPUID.(EAX=0BH, ECX=0):EBX[15:0] is not zero; a processor
 * that answers leaf 0BH with zeros does not report x2APIC IDs there. */
static bool topology_leaf_usable(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_TOPOLOGY &&
           (cpuid_count(CPUID_LEAF_TOPOLOGY, 0).ebx & CPUID_TOPOLOGY_EBX_COUNT_MASK) != 0;
}

/* SDM 11.12.8: CPUID.0BH:EDX reports the x2APIC ID of this processor,
 * which the read-only x2APIC ID register (802H) holds. */
TEST_CASE_CONDITIONAL(x2apic_id_is_the_x2apic_id_of_cpuid_leaf_0b,
                      x2apic_usable() && topology_leaf_usable(), "SDM Vol. 3A 11.12.8")
{
    enter_mode(LAPIC_MODE_X2APIC);
    ASSERT_EQ(lapic_read(LAPIC_ID), cpuid_count(CPUID_LEAF_TOPOLOGY, 0).edx);
}

/* SDM 11.12.10.2: in x2APIC mode the LDR is read-only and derived from
 * the x2APIC ID: cluster ID = ID[19:4] in bits 31:16, and bit ID[3:0] set
 * in bits 15:0. */
TEST_CASE_CONDITIONAL(x2apic_ldr_is_derived_from_the_x2apic_id, x2apic_usable(),
                      "SDM Vol. 3A 11.12.10.2")
{
    enter_mode(LAPIC_MODE_X2APIC);
    uint32_t id = lapic_read(LAPIC_ID);
    uint32_t expected = ((id >> X2APIC_ID_CLUSTER_SHIFT) << LAPIC_LDR_X2APIC_CLUSTER_SHIFT) |
                        (1u << (id & X2APIC_ID_MEMBER_MASK));
    ASSERT_EQ(lapic_read(LAPIC_LDR), expected);
}

/* SDM 11.12.1.2: "The DFR, supported at offset 0E0H in xAPIC mode, is not
 * supported in x2APIC mode. There is no MSR with address 80EH." */
TEST_CASE_CONDITIONAL(x2apic_dfr_access_raises_gp, x2apic_usable(), "SDM Vol. 3A 11.12.1.2")
{
    enter_mode(LAPIC_MODE_X2APIC);
    uint64_t value;
    ASSERT_EXCEPTION(rdmsr_safe(MSR_X2APIC(LAPIC_DFR), &value), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EXCEPTION(wrmsr_safe(MSR_X2APIC(LAPIC_DFR), LAPIC_DFR_FLAT),
                     EXINFO_EC(X86_EXC_GP, 0));
}

/* SDM 11.6.2.2, Figures 11-13 and 11-14: in xAPIC mode the LDR holds an
 * 8-bit logical ID in bits 31:24 and the DFR a model in bits 31:28 (1111b
 * flat, 0000b cluster) over 28 reserved bits that read as 1s. */
#define LOGICAL_ID_PATTERN 0xa5u

TEST_CASE_CONDITIONAL(xapic_ldr_and_dfr_hold_logical_id_and_model, lapic_present(),
                      "SDM Vol. 3A 11.6.2.2")
{
    enter_mode(LAPIC_MODE_XAPIC);
    /* Read back, then restore, then check: the later cases use flat
     * logical addressing's reset values. */
    uint32_t ldr = lapic_read(LAPIC_LDR), dfr = lapic_read(LAPIC_DFR);
    lapic_write(LAPIC_LDR, LOGICAL_ID_PATTERN << LAPIC_LDR_XAPIC_ID_SHIFT);
    uint32_t ldr_written = lapic_read(LAPIC_LDR);
    lapic_write(LAPIC_DFR, LAPIC_DFR_CLUSTER);
    uint32_t cluster = lapic_read(LAPIC_DFR);
    lapic_write(LAPIC_DFR, LAPIC_DFR_FLAT);
    uint32_t flat = lapic_read(LAPIC_DFR);
    lapic_write(LAPIC_LDR, ldr);
    lapic_write(LAPIC_DFR, dfr);
    ASSERT_EQ(ldr_written >> LAPIC_LDR_XAPIC_ID_SHIFT, LOGICAL_ID_PATTERN);
    ASSERT_EQ(cluster, LAPIC_DFR_CLUSTER);
    ASSERT_EQ(flat, LAPIC_DFR_FLAT);
}

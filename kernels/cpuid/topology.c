/* The extended topology leaves 0BH and 1FH: the x2APIC ID they report and
 * the shape of their sub-leaves. One body, one case per leaf. */
#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "test/test.h"

#define XAPIC_ID_MASK      0xffu
/* SMT, core, module, tile, die, die group: six level types exist (SDM Vol.
 * 2A Table 3-8); the invalid level must come no later than after those. */
#define TOPOLOGY_MAX_LEVELS 8
#define TOPOLOGY_EAX_SHIFT_MASK 0x1fu   /* bits to shift the x2APIC ID right */

/* SDM Vol. 2A CPUID leaf 0BH: "software must detect the presence of CPUID
 * leaf 0BH by verifying (a) the highest leaf index supported by CPUID is
 * >= 0BH, and (b) CPUID.0BH:EBX[15:0] reports a non-zero value"; the same
 * holds for 1FH. */
static bool topology_leaf_exists(uint32_t leaf)
{
    return cpuid_max_leaf() >= leaf &&
           (cpuid_count(leaf, 0).ebx & CPUID_TOPOLOGY_EBX_COUNT_MASK) != 0;
}

/* EDX of every sub-leaf is the x2APIC ID of this logical processor (SDM
 * Vol. 2A CPUID 0BH/1FH: "EDX: x2APIC ID the current logical processor"),
 * which is the local APIC's ID: all of it in x2APIC mode, its low 8 bits
 * in xAPIC mode (SDM Vol. 3A 11.12, "x2APIC ID": the xAPIC ID is the low
 * 8 bits of the x2APIC ID). */
static void topology_x2apic_id_matches_the_local_apic(uint32_t leaf)
{
    uint32_t id = lapic_id();
    bool full = lapic_mode() == LAPIC_MODE_X2APIC;
    for (uint32_t level = 0; level < TOPOLOGY_MAX_LEVELS; level++) {
        struct cpuid_regs r = cpuid_count(leaf, level);
        uint32_t type = (r.ecx >> CPUID_TOPOLOGY_ECX_TYPE_SHIFT) & CPUID_TOPOLOGY_ECX_TYPE_MASK;
        if (full)
            ASSERT_EQ(r.edx, id);
        else
            ASSERT_EQ(r.edx & XAPIC_ID_MASK, id);
        if (type == CPUID_TOPOLOGY_TYPE_INVALID)
            break;
    }
}

/* SDM Vol. 2A CPUID 0BH/1FH: ECX[7:0] echoes the input level number; the
 * first invalid level has level type 0 and EAX=EBX=0 ("a sub-leaf
 * returning an invalid domain always returns 0 in EAX and EBX"); the
 * valid levels before it each count at least one logical processor, and
 * their x2APIC ID shifts (EAX[4:0]) do not decrease with the level. So
 * sub-leaf 0 of a leaf that exists (EBX[15:0] != 0) has a valid type: one
 * logical processor and no SMT still reads type 1 (SMT) with EBX=1. */
static void topology_levels_number_themselves_and_end_invalid(uint32_t leaf)
{
    uint32_t previous_shift = 0;
    for (uint32_t level = 0; level < TOPOLOGY_MAX_LEVELS; level++) {
        struct cpuid_regs r = cpuid_count(leaf, level);
        uint32_t type = (r.ecx >> CPUID_TOPOLOGY_ECX_TYPE_SHIFT) & CPUID_TOPOLOGY_ECX_TYPE_MASK;
        ASSERT_EQ(r.ecx & CPUID_TOPOLOGY_ECX_LEVEL_MASK, level);
        if (type == CPUID_TOPOLOGY_TYPE_INVALID) {
            if (level == 0)
                FAIL("leaf 0x%x sub-leaf 0 has level type 0 (invalid) although EBX[15:0] "
                     "says the leaf exists: EAX 0x%x EBX 0x%x ECX 0x%x EDX 0x%x",
                     leaf, r.eax, r.ebx, r.ecx, r.edx);
            ASSERT_EQ(r.eax, 0u);
            ASSERT_EQ(r.ebx & CPUID_TOPOLOGY_EBX_COUNT_MASK, 0u);
            return;
        }
        ASSERT_NE(r.ebx & CPUID_TOPOLOGY_EBX_COUNT_MASK, 0u);
        ASSERT_GE(r.eax & TOPOLOGY_EAX_SHIFT_MASK, previous_shift);
        previous_shift = r.eax & TOPOLOGY_EAX_SHIFT_MASK;
    }
    FAIL("leaf 0x%x: no invalid level among the first %u sub-leaves", leaf, TOPOLOGY_MAX_LEVELS);
}

TEST_CASE_CONDITIONAL(topology_leaf_0b_x2apic_id_matches_the_local_apic_id,
                      lapic_present() && topology_leaf_exists(CPUID_LEAF_TOPOLOGY),
                      "SDM Vol. 2A CPUID leaf 0BH")
{
    topology_x2apic_id_matches_the_local_apic(CPUID_LEAF_TOPOLOGY);
}

TEST_CASE_CONDITIONAL(topology_leaf_0b_levels_number_themselves_and_end_invalid,
                      topology_leaf_exists(CPUID_LEAF_TOPOLOGY), "SDM Vol. 2A CPUID leaf 0BH")
{
    topology_levels_number_themselves_and_end_invalid(CPUID_LEAF_TOPOLOGY);
}

TEST_CASE_CONDITIONAL(topology_leaf_1f_x2apic_id_matches_the_local_apic_id,
                      lapic_present() && topology_leaf_exists(CPUID_LEAF_TOPOLOGY_V2),
                      "SDM Vol. 2A CPUID leaf 1FH")
{
    topology_x2apic_id_matches_the_local_apic(CPUID_LEAF_TOPOLOGY_V2);
}

TEST_CASE_CONDITIONAL(topology_leaf_1f_levels_number_themselves_and_end_invalid,
                      topology_leaf_exists(CPUID_LEAF_TOPOLOGY_V2), "SDM Vol. 2A CPUID leaf 1FH")
{
    topology_levels_number_themselves_and_end_invalid(CPUID_LEAF_TOPOLOGY_V2);
}

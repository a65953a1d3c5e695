/* CPUID leaves 0 and 1: the vendor, the maximum leaf, and leaf-1 bits that
 * must agree with what the processor is doing right now. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "test/test.h"

#define VENDOR_LENGTH   12
#define ASCII_PRINTABLE_FIRST 0x20
#define ASCII_PRINTABLE_LAST  0x7e
#define XAPIC_ID_MASK   0xffu

static bool is_printable(char c)
{
    return c >= ASCII_PRINTABLE_FIRST && c <= ASCII_PRINTABLE_LAST;
}

/* SDM Vol. 2A CPUID, leaf 00H: EAX is the highest basic leaf (at least 1
 * on every processor with leaf 1), EBX:EDX:ECX the vendor string. The
 * basic range ends below 40000000H, which no processor reports as its own
 * (SDM: "No existing or future CPU will return processor identification
 * ... in the range 40000000H to 4FFFFFFFH"). Records the leaf limits and
 * the hypervisor leaves as facts. */
TEST_CASE(leaf0_reports_the_basic_leaves_and_a_printable_vendor, "SDM Vol. 2A CPUID leaf 00H")
{
    struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR);
    uint32_t words[3] = { r.ebx, r.edx, r.ecx };
    const char *vendor = (const char *)words;
    for (unsigned i = 0; i < VENDOR_LENGTH; i++)
        ASSERT_TRUE(is_printable(vendor[i]));
    ASSERT_GE(r.eax, CPUID_LEAF_FEATURES);
    ASSERT_LT(r.eax, CPUID_LEAF_HYPERVISOR);

    protocol_fact("cpuid.max-basic-leaf", "0x%x", r.eax);
    protocol_fact("cpuid.max-extended-leaf", "0x%x", cpuid_max_ext_leaf());
    if (cpu_is_virtualised())
        protocol_fact("cpuid.hypervisor.max-leaf", "0x%x", cpuid(CPUID_LEAF_HYPERVISOR).eax);
    else
        protocol_fact("cpuid.hypervisor.max-leaf", "none");
}

/* SDM Vol. 3A 10.8.5: IA-32e mode runs with CR4.PAE=1 and EFER.LMA=1 (an
 * MSR). A processor that runs this code reports PAE, MSR and LM (CPUID
 * 80000001H:EDX[29]) -- the features it is using. */
TEST_CASE(leaf1_reports_the_long_mode_features_in_use, "SDM Vol. 3A 10.8.5")
{
    ASSERT_TRUE(read_cr4() & CR4_PAE);
    ASSERT_TRUE(rdmsr(MSR_EFER) & EFER_LMA);
    uint32_t edx = cpuid(CPUID_LEAF_FEATURES).edx;
    ASSERT_TRUE(edx & CPUID1_EDX_PAE);
    ASSERT_TRUE(edx & CPUID1_EDX_MSR);
    ASSERT_GE(cpuid_max_ext_leaf(), CPUID_LEAF_EXT_FEATURES);
    ASSERT_TRUE(cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_LM);
}

/* SDM Vol. 2A CPUID leaf 01H EBX[31:24] "Initial APIC ID" and Vol. 3A
 * 11.4.6: firmware does not rewrite the APIC ID, so the local APIC's ID
 * (its low 8 bits in x2APIC mode) equals the initial APIC ID. */
TEST_CASE_CONDITIONAL(leaf1_initial_apic_id_matches_the_local_apic_id, lapic_present(),
                      "SDM Vol. 2A CPUID leaf 01H EBX[31:24]")
{
    uint32_t initial = cpuid(CPUID_LEAF_FEATURES).ebx >> CPUID1_EBX_INITIAL_APIC_ID_SHIFT;
    ASSERT_EQ(lapic_id() & XAPIC_ID_MASK, initial);
}

static bool cpu_has_xsave(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_XSAVE;
}

static bool cpuid_reports_osxsave(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_OSXSAVE;
}

/* SDM Vol. 2A CPUID leaf 01H ECX[27]: OSXSAVE reflects CR4.OSXSAVE, so it
 * follows every write of CR4. */
TEST_CASE_CONDITIONAL(leaf1_osxsave_follows_cr4_osxsave, cpu_has_xsave(),
                      "SDM Vol. 2A CPUID leaf 01H ECX[27]")
{
    write_cr4(read_cr4() | CR4_OSXSAVE);
    ASSERT_TRUE(cpuid_reports_osxsave());
    write_cr4(read_cr4() & ~CR4_OSXSAVE);
    ASSERT_FALSE(cpuid_reports_osxsave());
}

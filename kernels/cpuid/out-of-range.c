/* CPUID leaves above the maximum: the vendors' rules differ, so each case
 * checks the rule of the vendor it runs on (and skips on others).
 *  Intel (SDM Vol. 2A CPUID, "If a value entered for CPUID.EAX is higher
 *  than the maximum input value for basic or extended function for that
 *  processor then the data for the highest basic information leaf is
 *  returned").
 *  AMD (APM Vol. 3 CPUID and Appendix E.1: a function above the limit of
 *  its range is undefined and returns zero in EAX, EBX, ECX and EDX; KVM
 *  applies the same two rules by the guest's vendor, cpuid.c
 *  get_out_of_range_cpuid_entry). A VMM that reports an AMD vendor but
 *  answers with Intel's rule (QEMU TCG 7.2 does) deviates on both cases. */
#include "cpu/cpuid.h"
#include "test/test.h"

static bool vendor_rule_is_known(void)
{
    return cpu_vendor() != CPU_VENDOR_OTHER;
}

static void leaf_follows_the_out_of_range_rule(uint32_t leaf)
{
    struct cpuid_regs got = cpuid(leaf);
    struct cpuid_regs want = { 0, 0, 0, 0 };
    if (cpu_vendor() == CPU_VENDOR_INTEL)
        want = cpuid(cpuid_max_leaf());
    ASSERT_EQ(got.eax, want.eax);
    ASSERT_EQ(got.ebx, want.ebx);
    ASSERT_EQ(got.ecx, want.ecx);
    ASSERT_EQ(got.edx, want.edx);
}

TEST_CASE_CONDITIONAL(basic_leaf_above_the_maximum_follows_the_vendor_rule,
                      vendor_rule_is_known(), "SDM Vol. 2A CPUID; AMD APM Vol. 3 Appendix E.1")
{
    leaf_follows_the_out_of_range_rule(cpuid_max_leaf() + 1);
}

TEST_CASE_CONDITIONAL(extended_leaf_above_the_maximum_follows_the_vendor_rule,
                      vendor_rule_is_known(), "SDM Vol. 2A CPUID; AMD APM Vol. 3 Appendix E.1")
{
    leaf_follows_the_out_of_range_rule(cpuid_max_ext_leaf() + 1);
}

/* SDM Vol. 2A CPUID: "No existing or future CPU will return processor
 * identification or feature information if the initial EAX value is in
 * the range 40000000H to 4FFFFFFFH": without a hypervisor (CPUID.1:ECX[31]
 * clear) leaf 40000000H is just a leaf above the maximum. Under a
 * hypervisor the range is its own; its signature is a fact, not a verdict
 * (leaf0_reports_the_basic_leaves_and_a_printable_vendor records it). */
TEST_CASE_CONDITIONAL(hypervisor_leaf_without_a_hypervisor_follows_the_vendor_rule,
                      vendor_rule_is_known() && !cpu_is_virtualised(),
                      "SDM Vol. 2A CPUID; AMD APM Vol. 3 Appendix E.1")
{
    leaf_follows_the_out_of_range_rule(CPUID_LEAF_HYPERVISOR);
}

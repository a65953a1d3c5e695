/* CPUID.1:EDX[9] (APIC) follows the APIC's global enable. Runs after the
 * other leaf cases: a VMM that cannot re-enable a disabled APIC (QEMU
 * TCG) leaves it off for the rest of the run. */
#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "test/test.h"

static bool cpuid_reports_apic(void)
{
    return cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_APIC;
}

/* SDM Vol. 3A 11.4.3: with IA32_APIC_BASE[11] clear the processor behaves
 * as one without an on-chip APIC, and "the CPUID feature flag for the APIC
 * (bit 9 of EDX) is also set to 0"; AMD APM Vol. 3 CPUID Fn0000_0001_EDX[9]
 * likewise reports the APIC "present and enabled". Re-enabling is
 * architectural on every 64-bit processor: "for processors that use Front
 * Side Bus (FSB) delivery of interrupts, software may disable or enable
 * the APIC by setting and resetting IA32_APIC_BASE[11]. A hardware reset
 * is not required" (SDM 11.4.3; only the P6 3-wire APIC bus could not,
 * and the state diagram of 11.12.5 draws Disabled -> xAPIC as a valid
 * transition), provided no interrupt arrives meanwhile: here everything
 * is masked and IF=0. That the flag then reads 1 again is implied rather
 * than stated (KVM mirrors EN both ways). The framework restores the boot
 * mode after the case. */
TEST_CASE_CONDITIONAL(leaf1_apic_flag_follows_the_apic_global_enable, lapic_present(),
                      "SDM Vol. 3A 11.4.3")
{
    enum lapic_mode boot_mode = lapic_mode();
    ASSERT_TRUE(cpuid_reports_apic());
    ASSERT_NO_EXCEPTION(lapic_set_mode(LAPIC_MODE_DISABLED));
    bool reported_while_disabled = cpuid_reports_apic();
    ASSERT_NO_EXCEPTION(lapic_set_mode(boot_mode));
    ASSERT_FALSE(reported_while_disabled);
    ASSERT_TRUE(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EN);
    ASSERT_TRUE(cpuid_reports_apic());
}

/* lapic-modes: the globally disabled state (IA32_APIC_BASE[11] clear) and
 * the transitions through it (SDM Vol. 3A 11.4.3, 11.12.5). These cases
 * run last: QEMU TCG 7.2 never lets software re-enable an APIC it disabled
 * (it models the 3-wire APIC bus of 11.4.3, not the FSB processors that
 * may re-enable), so on it every case after the first of these would
 * find no APIC. */
#include "modes.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

/* SDM 11.4.3: with IA32_APIC_BASE[11] clear "the processor is functionally
 * equivalent to an IA-32 processor without an on-chip APIC. The CPUID
 * feature flag for the APIC ... is also set to 0." The flag follows the
 * bit, so it is back once the APIC is enabled again (disabled -> xAPIC is
 * a legal transition, 11.12.5.1, Figure 11-27). */
TEST_CASE_CONDITIONAL(apic_global_disable_clears_the_cpuid_apic_flag, lapic_present(),
                      "SDM Vol. 3A 11.4.3")
{
    enter_mode(LAPIC_MODE_XAPIC);
    ASSERT_NO_EXCEPTION(write_apic_base_mode(DISABLED_BITS));
    ASSERT_EQ(cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_APIC, 0u);
    ASSERT_NO_EXCEPTION(write_apic_base_mode(XAPIC_BITS));
    if (apic_base_mode_bits() != XAPIC_BITS)
        FAIL("setting IA32_APIC_BASE[11] again did not enable the APIC (EN/EXTD read 0x%llx)",
             (unsigned long long)apic_base_mode_bits());
    ASSERT_EQ(cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_APIC, CPUID1_EDX_APIC);
}

/* SDM 11.12.5.1: the legal round trip, one WRMSR per step: xAPIC ->
 * x2APIC (EXTD set), x2APIC -> disabled (EN and EXTD clear), disabled ->
 * xAPIC (EN set). */
TEST_CASE_CONDITIONAL(apic_base_xapic_x2apic_disabled_xapic_round_trip_is_legal,
                      x2apic_usable(), "SDM Vol. 3A 11.12.5.1")
{
    enter_mode(LAPIC_MODE_XAPIC);
    ASSERT_NO_EXCEPTION(write_apic_base_mode(X2APIC_BITS));
    ASSERT_EQ(apic_base_mode_bits(), X2APIC_BITS);
    ASSERT_NO_EXCEPTION(write_apic_base_mode(DISABLED_BITS));
    ASSERT_EQ(apic_base_mode_bits(), DISABLED_BITS);
    ASSERT_NO_EXCEPTION(write_apic_base_mode(XAPIC_BITS));
    ASSERT_EQ(apic_base_mode_bits(), XAPIC_BITS);
}

/* SDM 11.12.5.1: "From the disabled state, the only valid x2APIC
 * transition using IA32_APIC_BASE is to the xAPIC mode." */
TEST_CASE_CONDITIONAL(apic_base_disabled_to_x2apic_directly_raises_gp, x2apic_usable(),
                      "SDM Vol. 3A 11.12.5.1")
{
    enter_mode(LAPIC_MODE_DISABLED);
    ASSERT_EXCEPTION(write_apic_base_mode(X2APIC_BITS), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(apic_base_mode_bits(), DISABLED_BITS);
}

/* SDM 11.12.5.1: EN=0 EXTD=1 from the disabled state raises #GP too. */
TEST_CASE_CONDITIONAL(apic_base_extd_without_en_raises_gp_from_disabled, x2apic_usable(),
                      "SDM Vol. 3A 11.12.5.1")
{
    invalid_state_raises_gp(LAPIC_MODE_DISABLED);
}

TEST_CASE_CONDITIONAL(x2apic_msrs_raise_gp_with_the_apic_globally_disabled, lapic_present(),
                      "SDM Vol. 3A 11.12.2")
{
    x2apic_msrs_fault_outside_x2apic_mode(LAPIC_MODE_DISABLED);
}

/* SDM 11.4.3: globally disabled, the processor is "functionally equivalent
 * to an IA-32 processor without an on-chip APIC": a TPR write through the
 * page while disabled is not found in the TPR after re-enabling (which
 * either kept the TPR at 0 or reset it to 0, 11.4.7.1). */
TEST_CASE_CONDITIONAL(globally_disabled_apic_ignores_mmio_writes, lapic_present(),
                      "SDM Vol. 3A 11.4.3")
{
    enter_mode(LAPIC_MODE_XAPIC);
    lapic_write(LAPIC_TPR, 0);
    enter_mode(LAPIC_MODE_DISABLED);
    write_tpr_through_the_page();
    enter_mode(LAPIC_MODE_XAPIC);
    ASSERT_EQ(lapic_read(LAPIC_TPR), 0u);
}

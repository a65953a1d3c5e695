/* lapic-modes: IA32_APIC_BASE, the global enable and the x2APIC state
 * machine (SDM Vol. 3A 11.4.3, 11.4.4, 11.12.5). */
#include "modes.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/test.h"

/* SDM 11.4.4: this CPU ran the boot code, so it is the BSP; firmware leaves
 * the APIC enabled at its reset address FEE00000H (every PC firmware and
 * VMM we know; a relocated APIC would fail here and say so). */
TEST_CASE_CONDITIONAL(apic_base_reports_bsp_enabled_at_the_default_address, lapic_present(),
                      "SDM Vol. 3A 11.4.4")
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    ASSERT_TRUE(base & APIC_BASE_BSP);
    ASSERT_TRUE(base & APIC_BASE_EN);
    ASSERT_EQ(base & APIC_BASE_ADDR_MASK, LAPIC_DEFAULT_BASE);
}

/* SDM 11.12.5.1: "A transition from the x2APIC mode to xAPIC mode is not
 * valid, and the corresponding WRMSR ... causes a general-protection
 * exception." The APIC stays in x2APIC mode. */
TEST_CASE_CONDITIONAL(apic_base_x2apic_to_xapic_directly_raises_gp, x2apic_usable(),
                      "SDM Vol. 3A 11.12.5.1")
{
    enter_mode(LAPIC_MODE_X2APIC);
    ASSERT_EXCEPTION(write_apic_base_mode(XAPIC_BITS), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(apic_base_mode_bits(), X2APIC_BITS);
}

/* SDM 11.12.5.1: EN=0 with EXTD=1 is the invalid state; "An execution of
 * WRMSR to the IA32_APIC_BASE_MSR that attempts a transition from a valid
 * state to this invalid state causes a general-protection exception."
 * From each valid state; the state is unchanged. */
void invalid_state_raises_gp(enum lapic_mode from)
{
    enter_mode(from);
    uint64_t before = apic_base_mode_bits();
    ASSERT_EXCEPTION(write_apic_base_mode(INVALID_BITS), EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(apic_base_mode_bits(), before);
}

#define INVALID_STATE_CASE(from_name, from)                                     \
    TEST_CASE_CONDITIONAL(apic_base_extd_without_en_raises_gp_from_##from_name, \
                          x2apic_usable(), "SDM Vol. 3A 11.12.5.1")             \
    {                                                                           \
        invalid_state_raises_gp(from);                                          \
    }
INVALID_STATE_CASE(xapic, LAPIC_MODE_XAPIC)
INVALID_STATE_CASE(x2apic, LAPIC_MODE_X2APIC)

/* A VMM that accepts the write would move or change the APIC: put the
 * value back before asserting. */
static exinfo_t write_with_reserved_bit(uint64_t base, unsigned bit)
{
    exinfo_t ex = wrmsr_safe(MSR_IA32_APIC_BASE, base | (1ull << bit));
    (void)wrmsr_safe(MSR_IA32_APIC_BASE, base);
    return ex;
}

/* SDM 11.4.4, Figure 11-5: below the base address (bits 11:0) only BSP,
 * EN and, where x2APIC exists (11.12.1), EXTD are defined; bits 0-7 and 9
 * (and 10 without x2APIC) are reserved, as is everything from MAXPHYADDR
 * up. A WRMSR that sets a reserved bit raises #GP(0) (SDM Vol. 4,
 * IA32_APIC_BASE). Each bit alone, on top of the current value. */

TEST_CASE_CONDITIONAL(apic_base_reserved_bits_raise_gp, lapic_present(), "SDM Vol. 3A 11.4.4")
{
    uint64_t defined = APIC_BASE_BSP | APIC_BASE_EN | (cpu_has_x2apic() ? APIC_BASE_EXTD : 0);
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    unsigned first_address_bit = (unsigned)__builtin_ctzll(APIC_BASE_ADDR_MASK);
    for (unsigned bit = 0; bit < first_address_bit; bit++) {
        if (defined & (1ull << bit))
            continue;
        exinfo_t got = write_with_reserved_bit(base, bit);
        if (got != EXINFO_EC(X86_EXC_GP, 0))
            FAIL("WRMSR IA32_APIC_BASE with reserved bit %u set: no #GP(0)", bit);
    }
    ASSERT_EXCEPTION(write_with_reserved_bit(base, cpu_phys_addr_bits()),
                     EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(rdmsr(MSR_IA32_APIC_BASE), base);
}

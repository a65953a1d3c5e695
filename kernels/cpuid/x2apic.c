/* CPUID.1:ECX[21] (x2APIC) against behaviour: the x2APIC MSRs exist only
 * in x2APIC mode, and that mode can be entered exactly when reported. */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "drivers/lapic.h"
#include "test/test.h"

#define XAPIC_ID_MASK 0xffu
#define MSR_X2APIC_ID (MSR_X2APIC_BASE + (LAPIC_ID >> 4))

static bool lapic_is_not_in_x2apic_mode(void)
{
    return lapic_present() && lapic_mode() != LAPIC_MODE_X2APIC;
}

/* SDM Vol. 3A 11.12.1.2: RDMSR of an x2APIC register while the APIC is not
 * in x2APIC mode raises #GP(0) -- with or without x2APIC support. */
TEST_CASE_CONDITIONAL(x2apic_msr_read_outside_x2apic_mode_raises_gp,
                      lapic_is_not_in_x2apic_mode(), "SDM Vol. 3A 11.12.1.2")
{
    uint64_t value;
    ASSERT_EXCEPTION(rdmsr_safe(MSR_X2APIC_ID, &value), EXINFO_EC(X86_EXC_GP, 0));
}

/* SDM Vol. 3A 11.12.1 and Table 11-5 (x2APIC ID register): with x2APIC
 * reported, setting IA32_APIC_BASE.EXTD enters x2APIC mode and the ID reads
 * as an MSR, its low 8 bits the initial APIC ID; without it, EXTD is a
 * reserved bit and the write raises #GP(0). */
TEST_CASE_CONDITIONAL(x2apic_mode_can_be_entered_exactly_when_reported, lapic_present(),
                      "SDM Vol. 3A 11.12.1")
{
    uint32_t initial = cpuid(CPUID_LEAF_FEATURES).ebx >> CPUID1_EBX_INITIAL_APIC_ID_SHIFT;
    if (!cpu_has_x2apic()) {
        uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
        ASSERT_EXCEPTION(wrmsr_safe(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD),
                         EXINFO_EC(X86_EXC_GP, 0));
        ASSERT_EQ(rdmsr(MSR_IA32_APIC_BASE), base);
        return;
    }
    ASSERT_NO_EXCEPTION(lapic_set_mode(LAPIC_MODE_X2APIC));
    ASSERT_EQ(lapic_mode(), LAPIC_MODE_X2APIC);
    uint64_t id;
    ASSERT_NO_EXCEPTION(rdmsr_safe(MSR_X2APIC_ID, &id));
    ASSERT_EQ(id & XAPIC_ID_MASK, initial);
}

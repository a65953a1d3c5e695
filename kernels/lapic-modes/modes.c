/* lapic-modes: shared helpers (see modes.h). */
#include "modes.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "cpu/vectors.h"
#include "test/test.h"

bool interface_usable(enum lapic_mode mode)
{
    return lapic_present() && (mode != LAPIC_MODE_X2APIC || cpu_has_x2apic());
}

bool x2apic_usable(void)
{
    return interface_usable(LAPIC_MODE_X2APIC);
}

void enter_mode(enum lapic_mode mode)
{
    if (lapic_mode() != mode)
        ASSERT_NO_EXCEPTION(lapic_set_mode(mode));
    ASSERT_EQ(lapic_mode(), mode);
    if (mode != LAPIC_MODE_DISABLED)
        lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
}

exinfo_t write_apic_base_mode(uint64_t en_extd)
{
    uint64_t msr = rdmsr(MSR_IA32_APIC_BASE) & ~(APIC_BASE_EN | APIC_BASE_EXTD);
    exinfo_t ex = wrmsr_safe(MSR_IA32_APIC_BASE, msr | en_extd);
    lapic_refresh_mode();
    return ex;
}

uint64_t apic_base_mode_bits(void)
{
    return rdmsr(MSR_IA32_APIC_BASE) & (APIC_BASE_EN | APIC_BASE_EXTD);
}

/* Local APIC driver, xAPIC and x2APIC behind one API; see lapic.h. */
#include "drivers/lapic.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"

/* At most 256 EOIs drain any ISR (one per in-service vector). */
#define LAPIC_MAX_DRAIN 256

/* The mode is cached: reading IA32_APIC_BASE on every register access
 * would double the VM exits. Whoever writes IA32_APIC_BASE other than
 * through lapic_set_mode() calls lapic_refresh_mode(). (One CPU runs the
 * cases; APs use the same mode as the BSP.) */
static struct {
    bool present;
    uint64_t base;
    uint8_t spurious_vector;
    enum lapic_mode mode, boot_mode;
} lapic;

static enum lapic_mode mode_of(uint64_t apic_base_msr)
{
    if (!(apic_base_msr & APIC_BASE_EN))
        return LAPIC_MODE_DISABLED;
    return (apic_base_msr & APIC_BASE_EXTD) ? LAPIC_MODE_X2APIC : LAPIC_MODE_XAPIC;
}

void lapic_refresh_mode(void)
{
    lapic.mode = mode_of(rdmsr(MSR_IA32_APIC_BASE));
}

enum lapic_mode lapic_mode(void)
{
    return lapic.present ? lapic.mode : LAPIC_MODE_DISABLED;
}

bool lapic_present(void)
{
    return lapic.present;
}

uint64_t lapic_base(void)
{
    return lapic.base;
}

uint32_t lapic_read(unsigned reg)
{
    if (lapic.mode == LAPIC_MODE_X2APIC)
        return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
    return *(volatile uint32_t *)(lapic.base + reg);
}

void lapic_write(unsigned reg, uint32_t value)
{
    if (lapic.mode == LAPIC_MODE_X2APIC)
        wrmsr(MSR_X2APIC_BASE + (reg >> 4), value);
    else
        *(volatile uint32_t *)(lapic.base + reg) = value;
}

/* SDM Vol. 3A 11.12.5, Figure 11-27: the legal transitions are disabled ->
 * xAPIC -> x2APIC, and from either enabled mode back to disabled; x2APIC ->
 * xAPIC only through disabled. This takes the legal path to `mode`. */
exinfo_t lapic_set_mode(enum lapic_mode mode)
{
    uint64_t msr = rdmsr(MSR_IA32_APIC_BASE) & ~(APIC_BASE_EN | APIC_BASE_EXTD);
    exinfo_t ex = EXINFO_NONE;
    if (mode == LAPIC_MODE_XAPIC && lapic.mode == LAPIC_MODE_X2APIC)
        ex = wrmsr_safe(MSR_IA32_APIC_BASE, msr);
    if (!exinfo_raised(ex)) {
        if (mode == LAPIC_MODE_X2APIC && lapic.mode == LAPIC_MODE_DISABLED)
            ex = wrmsr_safe(MSR_IA32_APIC_BASE, msr | APIC_BASE_EN);
        if (!exinfo_raised(ex)) {
            uint64_t bits = mode == LAPIC_MODE_X2APIC ? APIC_BASE_EN | APIC_BASE_EXTD
                          : mode == LAPIC_MODE_XAPIC  ? APIC_BASE_EN : 0;
            ex = wrmsr_safe(MSR_IA32_APIC_BASE, msr | bits);
        }
    }
    lapic_refresh_mode();
    return ex;
}

bool lapic_init(uint8_t spurious_vector)
{
    if (!(cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_APIC))
        return false;
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    if (!(base & APIC_BASE_EN))
        wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN);
    lapic.present = true;
    lapic.base = base & APIC_BASE_ADDR_MASK;
    lapic_refresh_mode();
    lapic.boot_mode = lapic.mode;
    lapic.spurious_vector = spurious_vector;
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | spurious_vector);
    lapic_reset_state();
    return true;
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    uint32_t id = lapic_read(LAPIC_ID);
    return lapic.mode == LAPIC_MODE_X2APIC ? id : id >> LAPIC_XAPIC_ID_SHIFT;
}

void lapic_send_ipi(uint32_t dest, uint32_t icr)
{
    if (lapic.mode == LAPIC_MODE_X2APIC) {
        wrmsr(MSR_X2APIC_BASE + (LAPIC_ICR >> 4), ((uint64_t)dest << 32) | icr);
        return;
    }
    lapic_write(LAPIC_ICR_HIGH, dest << LAPIC_XAPIC_ID_SHIFT);
    lapic_write(LAPIC_ICR, icr);
}

void lapic_self_ipi(uint8_t vector)
{
    lapic_send_ipi(0, LAPIC_SHORTHAND_SELF | LAPIC_DM_FIXED | vector);
}

bool lapic_vector_bit(unsigned base, uint8_t vector)
{
    return lapic_read(base + (vector / 32) * 0x10) & (1u << (vector % 32));
}

int lapic_highest_vector(unsigned base)
{
    for (int i = 7; i >= 0; i--) {
        uint32_t v = lapic_read(base + (unsigned)i * 0x10);
        if (v)
            return i * 32 + (31 - __builtin_clz(v));
    }
    return -1;
}

void lapic_timer_start(uint32_t mode, uint8_t vector, uint32_t initial_count, uint32_t divide)
{
    lapic_write(LAPIC_TIMER_DIVIDE, divide);
    lapic_write(LAPIC_LVT_TIMER, mode | vector);
    lapic_write(LAPIC_TIMER_INITIAL, initial_count);
}

void lapic_timer_stop(void)
{
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}

/* Masks every LVT, stops the timer, sets TPR to 0, EOIs until the ISR is
 * empty and clears the ESR, on the calling CPU's LAPIC in its current
 * mode. */
void lapic_quiesce(void)
{
    static const unsigned lvts[] = {
        LAPIC_LVT_TIMER, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
    };
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | lapic.spurious_vector);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    for (unsigned i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++)
        lapic_write(lvts[i], LAPIC_LVT_MASKED);
    /* The performance-counter and thermal LVTs exist from Max LVT Entry 4
     * and 5 on (SDM Vol. 3A 11.4.8); in x2APIC mode a missing one #GPs. */
    unsigned max_lvt =
        (lapic_read(LAPIC_VERSION) >> LAPIC_VERSION_MAX_LVT_SHIFT) & LAPIC_VERSION_MAX_LVT_MASK;
    if (max_lvt >= 4)
        lapic_write(LAPIC_LVT_PMC, LAPIC_LVT_MASKED);
    if (max_lvt >= 5)
        lapic_write(LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_TPR, 0);
    for (int i = 0; i < LAPIC_MAX_DRAIN && lapic_highest_vector(LAPIC_ISR0) >= 0; i++)
        lapic_eoi();
    lapic_write(LAPIC_ESR, 0);   /* writing ESR latches and clears errors */
    /* Back to the power-up values a case may have changed: divide by 2,
     * flat logical model with no logical ID (SDM Vol. 3A 11.4.7.1; x2APIC
     * has a read-only LDR and no DFR). */
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_2);
    if (lapic.mode == LAPIC_MODE_XAPIC) {
        lapic_write(LAPIC_DFR, LAPIC_DFR_FLAT);
        lapic_write(LAPIC_LDR, LAPIC_LDR_RESET);
    }
}

void lapic_reset_state(void)
{
    if (!lapic.present)
        return;
    /* A case may have left the APIC disabled or in another mode. */
    lapic_refresh_mode();
    if (lapic.mode != lapic.boot_mode)
        (void)lapic_set_mode(lapic.boot_mode);
    lapic_quiesce();
}

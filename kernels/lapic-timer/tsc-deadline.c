/* lapic-timer: TSC-deadline mode, where IA32_TSC_DEADLINE replaces the
 * counters (SDM Vol. 3A 11.5.4.1; CPUID.01H:ECX[24]). */
#include "timer.h"

#include "cpu/cpu.h"
#include "cpu/msr-index.h"
#include "test/test.h"
#include "time/timebase.h"

#define DEADLINE_NS       (1ull * 1000000ull)
#define DELIVERY_LIMIT_NS (50ull * 1000000ull)
#define QUIET_NS          (5ull * 1000000ull)
/* "In the past" fires at once: on hardware within microseconds; 1 ms
 * allows for a VMM that has to exit and inject. */
#define AT_ONCE_NS        (1ull * 1000000ull)
#define PAST_TICKS        1000u

/* SDM 11.5.4.1: in xAPIC mode the MMIO write that selects TSC-deadline
 * mode must be ordered before the WRMSR (MFENCE); x2APIC needs nothing. */
static void enter_tsc_deadline_mode(uint32_t lvt_bits)
{
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_TSC_DEADLINE | lvt_bits);
    __asm__ volatile("mfence" ::: "memory");
}

/* The interrupt arrives when the TSC reaches the deadline, not before;
 * the timer then disarms itself and clears the MSR. The wait returns on
 * the interrupt, so a TSC read right after it that is still short of the
 * deadline proves an early interrupt. */
static void fires_at_the_deadline(enum lapic_mode mode, enum wait_mode wait)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    uint64_t deadline = rdtsc() + ns_to_tsc(DEADLINE_NS);
    wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
    ASSERT_EQ(timer_irq_wait(&irqs, 1, DELIVERY_LIMIT_NS, wait), 1);
    ASSERT_GE(rdtsc(), deadline);
    ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), 0u);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

DELIVERY_CASES(lapic_timer_tsc_deadline_fires_at_the_deadline, fires_at_the_deadline,
               tsc_deadline_usable, "SDM Vol. 3A 11.5.4.1")

/* A deadline the TSC has already passed fires at once. */
static void past_deadline_fires_at_once(enum lapic_mode mode, enum wait_mode wait)
{
    timer_case_begin(mode);
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() - PAST_TICKS);
    ASSERT_EQ(timer_irq_wait(&irqs, 1, AT_ONCE_NS, wait), 1);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

DELIVERY_CASES(lapic_timer_tsc_deadline_in_the_past_fires_at_once,
               past_deadline_fires_at_once, tsc_deadline_usable, "SDM Vol. 3A 11.5.4.1")

/* "Software can disarm the timer at any time by writing 0 to the
 * IA32_TSC_DEADLINE MSR." */
TEST_CASE_CONDITIONAL(lapic_timer_tsc_deadline_write_of_zero_disarms,
                      tsc_deadline_usable(lapic_mode()), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + ns_to_tsc(DEADLINE_NS));
    wrmsr(MSR_IA32_TSC_DEADLINE, 0);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), 0u);
}

/* "In TSC-deadline mode, writes to the initial-count register are
 * ignored; and current-count register always reads 0." */
TEST_CASE_CONDITIONAL(lapic_timer_tsc_deadline_mode_ignores_the_initial_count,
                      tsc_deadline_usable(lapic_mode()), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INITIAL, timer_count_for(DEADLINE_NS));
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
}

/* SDM 11.5.4.1: outside TSC-deadline mode the MSR reads 0 and writes to
 * it are ignored (they arm nothing). */
TEST_CASE_CONDITIONAL(lapic_timer_tsc_deadline_msr_is_inert_in_oneshot_mode,
                      tsc_deadline_usable(lapic_mode()), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT | TIMER_VECTOR);
    wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + ns_to_tsc(DEADLINE_NS));
    ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), 0u);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

/* SDM 11.5.4.1: "A write to the LVT Timer Register that changes the timer
 * mode disarms the local APIC timer." A running one-shot count is gone
 * once the LVT selects TSC-deadline mode: the current count reads 0 and
 * the count's expiry raises nothing. */
TEST_CASE_CONDITIONAL(lapic_timer_switch_to_tsc_deadline_disarms_the_count,
                      tsc_deadline_usable(lapic_mode()), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    lapic_timer_start(LAPIC_TIMER_ONESHOT, TIMER_VECTOR, timer_count_for(DEADLINE_NS),
                      LAPIC_DIVIDE_1);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

/* The other way round: an armed deadline is disarmed by switching the LVT
 * to one-shot mode, where the MSR then reads 0. */
TEST_CASE_CONDITIONAL(lapic_timer_switch_from_tsc_deadline_disarms_the_deadline,
                      tsc_deadline_usable(lapic_mode()), "SDM Vol. 3A 11.5.4.1")
{
    timer_case_begin(lapic_mode());
    struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
    enter_tsc_deadline_mode(TIMER_VECTOR);
    wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + ns_to_tsc(DEADLINE_NS));
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT | TIMER_VECTOR);
    ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), 0u);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);
}

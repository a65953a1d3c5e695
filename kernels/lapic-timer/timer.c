/* lapic-timer: shared helpers (see timer.h). */
#include "timer.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/vectors.h"
#include "drivers/ioapic.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

/* Long enough that a VM exit per register access (tens of microseconds in
 * nested virtualisation) stays below 1% of the measurement. */
#define RATE_MEASURE_NS     (5ull * 1000000ull)
#define PIT_LONGEST_COUNT   0      /* the 8254 reads 0 as 65536 */

bool interface_usable(enum lapic_mode mode)
{
    return lapic_present() && (mode != LAPIC_MODE_X2APIC || cpu_has_x2apic());
}

bool tsc_deadline_usable(enum lapic_mode mode)
{
    return interface_usable(mode) && cpu_has_tsc_deadline();
}

void timer_case_begin(enum lapic_mode mode)
{
    timer_service_release();
    if (lapic_mode() != mode)
        ASSERT_NO_EXCEPTION(lapic_set_mode(mode));
    ASSERT_EQ(lapic_mode(), mode);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}

/* The start and the read each happen somewhere between the two TSC reads
 * around them: the midpoints halve the error of a slow register access.
 * A bracket wider than 1% of the window means the vCPU was held up inside
 * it (a VMM preempted it, or took long over the exit); such a window is
 * measured again, up to MEASURE_ATTEMPTS times, and the narrowest
 * brackets win. On hardware only an SMI would cause a second attempt. */
#define MEASURE_ATTEMPTS    5
#define BRACKET_LIMIT_NS    (RATE_MEASURE_NS / 100)

struct rate_sample {
    uint64_t ticks_per_ms;
    uint64_t bracket_ns;    /* the wider of the two brackets */
};

static struct rate_sample measure_once(uint32_t divide)
{
    lapic_write(LAPIC_TIMER_DIVIDE, divide);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_ONESHOT | TIMER_VECTOR);
    uint64_t t0 = rdtsc();
    lapic_write(LAPIC_TIMER_INITIAL, UINT32_MAX);
    uint64_t t1 = rdtsc();
    delay_ns(RATE_MEASURE_NS);
    uint64_t t2 = rdtsc();
    uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
    uint64_t t3 = rdtsc();
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    uint64_t ns = tsc_to_ns((t2 + t3) / 2 - (t0 + t1) / 2);
    uint64_t bracket = tsc_to_ns(t1 - t0 > t3 - t2 ? t1 - t0 : t3 - t2);
    return (struct rate_sample){
        .ticks_per_ms = ns ? (uint64_t)(UINT32_MAX - left) * ms(1) / ns : 0,
        .bracket_ns = bracket,
    };
}

uint64_t timer_measure_ticks_per_ms(uint32_t divide)
{
    struct rate_sample best = measure_once(divide);
    for (unsigned i = 1; i < MEASURE_ATTEMPTS && best.bracket_ns > BRACKET_LIMIT_NS; i++) {
        struct rate_sample again = measure_once(divide);
        if (again.bracket_ns < best.bracket_ns)
            best = again;
    }
    return best.ticks_per_ms;
}

uint64_t timer_base_ticks_per_ms(void)
{
    static uint64_t divide_by_1;   /* a property of the machine: measured once */
    if (!divide_by_1)
        divide_by_1 = timer_measure_ticks_per_ms(LAPIC_DIVIDE_1);
    return divide_by_1;
}

uint32_t timer_count_for(uint64_t ns)
{
    uint64_t count = timer_base_ticks_per_ms() * ns / ms(1);
    if (count == 0)
        return 1;
    return count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
}

/* PIT channel 0, rate generator at its longest period, through the IOAPIC
 * (the MADT's override for IRQ 0), else through the 8259. Its first tick
 * comes one full period after this call, i.e. after any HLT wait's end. */
static void backstop_arm(void)
{
    unsigned index, pin;
    uint64_t entry = BACKSTOP_VECTOR | IOAPIC_REDIR_DM_FIXED |
                     ((uint64_t)lapic_id() << IOAPIC_REDIR_DEST_SHIFT);
    if (ioapic_route_isa_irq(PIT_ISA_IRQ, entry, &index, &pin)) {
        (void)irq_counter_on(BACKSTOP_VECTOR, EOI_LAPIC);
    } else {
        (void)irq_counter_on(PIC_MASTER_VECTOR + PIT_ISA_IRQ, EOI_PIC_MASTER);
        pic_set_mask((uint16_t)~(1u << PIT_ISA_IRQ));
    }
    pit_channel0_start(PIT_MODE2, PIT_LONGEST_COUNT);
}

uint32_t timer_irq_wait(const struct irq_counter *c, uint32_t count, uint64_t timeout_ns,
                        enum wait_mode mode)
{
    if (mode != WAIT_HLT)
        return irq_wait(c, count, timeout_ns, mode);
    if (timeout_ns > HLT_WAIT_LIMIT_NS)
        timeout_ns = HLT_WAIT_LIMIT_NS;
    backstop_arm();
    uint32_t got = irq_wait(c, count, timeout_ns, mode);
    pit_channel0_stop();
    return got;
}

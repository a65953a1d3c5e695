/* The TSC's rate against the other clocks of the platform: PIT, HPET, ACPI
 * PM timer, and CPUID leaf 15H's nominal frequency (SDM Vol. 3B 18.17,
 * 18.17.4; 8254 datasheet; HPET 1.0a 2.3.4; ACPI 6.4 4.8.3.3).
 *
 * Tolerance +-2%: the rate each case measures over WINDOW is compared with
 * the timebase's, itself measured against the PIT over 10 ms at boot. The
 * crystals are good to 500 ppm (HPET spec: 0.05%); each end of a window is
 * a clock read bracketed by two RDTSCs (a read is a VM exit, up to ~60 us
 * nested: 0.3% of 40 ms for the window, 0.6% of 10 ms for the calibration);
 * the rest is margin for a host that preempts the vCPU between the reads. */
#include "tsc.h"

#include "cpu/cpu.h"
#include "drivers/acpi.h"
#include "drivers/hpet.h"
#include "drivers/pit.h"
#include "test/irq.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

#define WINDOW_MS             40          /* PIT: 65535 ticks = 54.9 ms fit */
#define TOLERANCE_PERCENT     2
#define PIT_START_COUNT       0xffff
#define ACPI_PM_TIMER_HZ      3579545u
#define ACPI_PM_TIMER_MASK    0xffffffu
#define UNUSED_VECTOR         0x41        /* nothing raises it: a pure HLT wait */
#define CLOCK_READ_ATTEMPTS   8
#define MAX_WINDOWS           8           /* restarts after a descheduled vCPU */
#define HALT_MS               20          /* within 3/4 of the PIT's period */

struct reference_clock {
    const char *name;
    uint64_t hz;
    uint64_t mask;                        /* the counter's width */
    bool counts_down;
    uint64_t (*read)(void);
};

/* One reading of the clock and the TSC at the same moment: the midpoint of
 * the tightest of a few bracketed reads. */
struct sample {
    uint64_t clock, tsc;
};

static struct sample sample_clock(const struct reference_clock *c)
{
    struct sample best = { 0, 0 };
    uint64_t best_width = UINT64_MAX;
    for (unsigned i = 0; i < CLOCK_READ_ATTEMPTS; i++) {
        uint64_t before = rdtsc();
        uint64_t value = c->read();
        uint64_t after = rdtsc();
        if (after - before < best_width) {
            best_width = after - before;
            best = (struct sample){ value, before + (after - before) / 2 };
        }
    }
    return best;
}

static uint64_t clock_ticks_between(const struct reference_clock *c, struct sample a,
                                    struct sample b)
{
    uint64_t d = c->counts_down ? a.clock - b.clock : b.clock - a.clock;
    return d & c->mask;
}

/* The longest gap between two samples that cannot hide a wrap of the
 * counter: three quarters of its period (a 16-bit PIT wraps in 55 ms). */
static uint64_t max_sample_gap_tsc(const struct reference_clock *c)
{
    if (c->mask >= (1ull << 40))
        return UINT64_MAX;
    return ns_to_tsc((c->mask + 1) * 1000000000ull / c->hz * 3 / 4);
}

/* Returns the TSC rate in kHz measured against c over `window_ns` of c,
 * summing the clock's ticks sample by sample so wraps are counted; a gap
 * too long to tell (the vCPU was descheduled) starts the window again.
 * `between` runs right after the first sample (e.g. a HLT). */
static uint64_t measure_tsc_khz(const struct reference_clock *c, uint64_t window_ns,
                                void (*between)(uint64_t ns))
{
    uint64_t window_ticks = window_ns / 1000 * c->hz / 1000000;
    uint64_t max_gap = max_sample_gap_tsc(c);
    deadline_t give_up = deadline_after(window_ns * MAX_WINDOWS);
    while (!deadline_passed(give_up)) {
        struct sample first = sample_clock(c), prev = first;
        if (between)
            between(ms(HALT_MS));
        uint64_t ticks = 0;
        bool stalled = false;
        while (ticks < window_ticks && !stalled) {
            struct sample now = sample_clock(c);
            stalled = now.tsc - prev.tsc > max_gap;
            ticks += clock_ticks_between(c, prev, now);
            prev = now;
        }
        if (!stalled)
            return (prev.tsc - first.tsc) * c->hz / ticks / 1000;
    }
    return 0;
}

static void check_rate(const struct reference_clock *c, void (*between)(uint64_t ns))
{
    uint64_t khz = measure_tsc_khz(c, ms(WINDOW_MS), between);
    uint64_t expected = timebase_tsc_khz();
    uint64_t slack = expected * TOLERANCE_PERCENT / 100;
    protocol_printf("- TSC %llu kHz against the %s, timebase %llu kHz\n",
                    (unsigned long long)khz, c->name, (unsigned long long)expected);
    ASSERT_GE(khz, expected - slack);
    ASSERT_LE(khz, expected + slack);
}

static uint64_t read_pit(void)
{
    return pit_channel0_read();
}

static uint64_t read_hpet(void)
{
    return hpet_counter();
}

static uint64_t read_pm_timer(void)
{
    return inl(acpi_get()->pm_timer_port);
}

static void start_pit(void)
{
    pit_channel0_start(PIT_MODE0, PIT_START_COUNT);   /* IRQ0 is masked */
}

static const struct reference_clock pit = { "PIT", PIT_FREQUENCY_HZ, 0xffff, true, read_pit };

/* 8254 datasheet, mode 0: channel 0 counts down at 1.193182 MHz. */
TEST_CASE(tsc_rate_matches_the_pit, "SDM Vol. 3B 18.17; 8254 datasheet mode 0")
{
    start_pit();
    check_rate(&pit, 0);
}

/* HPET 1.0a 2.3.4: the main counter runs at 10^15 / period Hz. */
TEST_CASE_CONDITIONAL(tsc_rate_matches_the_hpet, hpet_available(),
                      "SDM Vol. 3B 18.17; HPET 1.0a 2.3.4")
{
    hpet_counter_enable(true);
    struct reference_clock hpet = { "HPET", 1000000000000000ull / hpet_period_fs(),
                                    UINT64_MAX, false, read_hpet };
    if (!(hpet_read(HPET_CAPABILITIES) & HPET_CAP_COUNT_SIZE_64))
        hpet.mask = UINT32_MAX;
    check_rate(&hpet, 0);
}

/* ACPI 6.4 4.8.3.3: the PM timer runs at 3.579545 MHz, 24 or 32 bits. */
TEST_CASE_CONDITIONAL(tsc_rate_matches_the_acpi_pm_timer, acpi_get()->pm_timer_port != 0,
                      "SDM Vol. 3B 18.17; ACPI 6.4 4.8.3.3")
{
    struct reference_clock pm = { "ACPI PM timer", ACPI_PM_TIMER_HZ,
                                  acpi_get()->pm_timer_32bit ? UINT32_MAX : ACPI_PM_TIMER_MASK,
                                  false, read_pm_timer };
    check_rate(&pm, 0);
}

static bool cpuid_states_the_tsc_frequency(void)
{
    if (cpuid_max_leaf() < CPUID_LEAF_TSC_FREQ)
        return false;
    struct cpuid_regs r = cpuid(CPUID_LEAF_TSC_FREQ);
    return r.eax && r.ebx && r.ecx;
}

/* SDM Vol. 3B 18.17.4 and Vol. 2A CPUID leaf 15H: TSC frequency = ECX
 * (crystal Hz) * EBX / EAX. */
TEST_CASE_CONDITIONAL(tsc_rate_matches_cpuid_leaf_15h, cpuid_states_the_tsc_frequency(),
                      "SDM Vol. 3B 18.17.4")
{
    struct cpuid_regs r = cpuid(CPUID_LEAF_TSC_FREQ);
    uint64_t khz = (uint64_t)r.ecx * r.ebx / r.eax / 1000;
    uint64_t measured = timebase_tsc_khz();
    uint64_t slack = khz * TOLERANCE_PERCENT / 100;
    ASSERT_GE(measured, khz - slack);
    ASSERT_LE(measured, khz + slack);
}

static void halt_for(uint64_t ns)
{
    struct irq_counter none = irq_counter_on(UNUSED_VECTOR, EOI_LAPIC);
    (void)irq_wait(&none, 1, ns, WAIT_HLT);
    test_note_wait(false, "a HLT of %llu ms", (unsigned long long)(ns / ms(1)));  /* ran out on purpose */
}

/* SDM Vol. 3B 18.17.1: an invariant TSC "will run at a constant rate in
 * all ACPI P-, C-. and T-states": measured across HLT against the PIT, the
 * rate is the same. */
TEST_CASE_CONDITIONAL(invariant_tsc_keeps_its_rate_while_halted,
                      cpu_has_invariant_tsc() && timer_service_available(),
                      "SDM Vol. 3B 18.17.1")
{
    start_pit();
    check_rate(&pit, halt_for);
}

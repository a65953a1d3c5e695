/* TSC calibration; see timebase.h. One window against the PIT (else HPET,
 * PM timer), a few milliseconds: boot cost stays the firmware's, not ours. */
#include "time/timebase.h"

#include "cpu/cpuid.h"
#include "drivers/acpi.h"
#include "drivers/hpet.h"
#include "drivers/pit.h"
#include "test/protocol.h"

/* A window lasts at least CALIBRATION_MIN_MS and ends as soon as it is
 * precise to PRECISE_ENOUGH_PPM (one reference tick plus the TSC brackets
 * of its two ends, see clock_sample), else at CALIBRATION_MAX_MS. Under
 * TCG 2 ms suffice; on hardware, where latching the PIT is a slow ISA
 * write, and under a VMM that exits on it, the window grows. 1000 ppm is
 * 0.1%, well inside the timing cases' tolerances. */
#define CALIBRATION_MIN_MS       2
#define CALIBRATION_MAX_MS       5
#define PRECISE_ENOUGH_PPM       1000
/* A window whose uncertainty is more than this is measured again, up to
 * CALIBRATION_ATTEMPTS times: a VM exit costs 1-60 us, a host that
 * deschedules the vCPU milliseconds. */
#define MAX_UNCERTAINTY_PPM      5000
#define CALIBRATION_ATTEMPTS     4
/* A clock that shows the same count this many reads in a row is not
 * counting (the PIT ticks every 838 ns; a read takes 0.1 us under TCG,
 * 1-60 us as a VM exit): at most ~0.6 s lost on a dead clock. */
#define MAX_STALLED_POLLS        10000
#define MAX_POLLS                200000
#define PIT_COUNTER_RANGE        0x10000u
#define FEMTOSECONDS_PER_SECOND  1000000000000000ull
#define ACPI_PM_TIMER_HZ         3579545u
#define ACPI_PM_TIMER_MASK       0xffffffu    /* 24-bit counter; 32-bit if TMR_VAL_EXT */
#define FALLBACK_TSC_KHZ         1000000u     /* a guess, reported as such */

static struct {
    uint64_t tsc_khz;
    uint64_t start_tsc;
    const char *source;
    uint64_t uncertainty_ppm;
} timebase = { FALLBACK_TSC_KHZ, 0, "none", 0 };

uint64_t timebase_tsc_khz(void)
{
    return timebase.tsc_khz;
}

const char *timebase_source(void)
{
    return timebase.source;
}

uint64_t tsc_to_ns(uint64_t ticks)
{
    /* ticks * 1e6 / khz without overflow for any realistic uptime. */
    return (ticks / timebase.tsc_khz) * 1000000ull +
           (ticks % timebase.tsc_khz) * 1000000ull / timebase.tsc_khz;
}

uint64_t ns_to_tsc(uint64_t ns)
{
    return (ns / 1000000ull) * timebase.tsc_khz +
           (ns % 1000000ull) * timebase.tsc_khz / 1000000ull;
}

uint64_t timebase_now_ns(void)
{
    return tsc_to_ns(rdtsc() - timebase.start_tsc);
}

void delay_ns(uint64_t ns)
{
    deadline_t d = deadline_after(ns);
    while (!deadline_passed(d))
        pause();
}

/* A reference clock the TSC is measured against: a free-running counter
 * of known frequency. `elapsed` turns two raw reads into ticks, handling
 * the counter's direction and width. */
struct reference_clock {
    uint64_t hz;
    uint64_t wrap_ticks;                 /* the counter wraps after this many; 0: never in a window */
    void (*latch)(void);                 /* optional: freezes the count for read */
    uint64_t (*read)(void);
    uint64_t (*elapsed)(uint64_t from, uint64_t to);
};

/* One read of the reference clock bracketed by two TSC reads: the clock
 * was sampled somewhere between them. A VM exit, or the host descheduling
 * the vCPU, between the two shows as a wide bracket. */
struct clock_sample {
    uint64_t value, tsc_before, tsc_after;
};

static struct clock_sample sample(const struct reference_clock *clk)
{
    struct clock_sample s;
    if (clk->latch) {
        s.tsc_before = rdtsc();
        clk->latch();
        s.tsc_after = rdtsc();
        s.value = clk->read();
    } else {
        s.tsc_before = rdtsc();
        s.value = clk->read();
        s.tsc_after = rdtsc();
    }
    return s;
}

/* The best guess of when the clock was read: the middle of its bracket. */
static uint64_t midpoint_tsc(const struct clock_sample *s)
{
    return (s->tsc_before + s->tsc_after) / 2;
}

/* How far off a window from `first` to `last` could be, in ppm: the
 * clock was read somewhere inside each bracket, and the count is whole
 * ticks. */
static uint64_t window_uncertainty_ppm(const struct clock_sample *first,
                                       const struct clock_sample *last, uint64_t ticks)
{
    uint64_t window_tsc = midpoint_tsc(last) - midpoint_tsc(first);
    uint64_t spread_tsc = ((last->tsc_after - last->tsc_before) +
                           (first->tsc_after - first->tsc_before)) / 2;
    if (!window_tsc || !ticks)
        return UINT64_MAX;
    return spread_tsc * 1000000ull / window_tsc + 1000000ull / ticks;
}

/* One window: returns the TSC frequency in kHz, and in *uncertainty_ppm
 * how far off it could be (the window is measured between the brackets'
 * midpoints, so each end is off by at most half its bracket). False if
 * the clock did not advance or a gap between two polls could have hidden
 * a wrap of the counter. */
static bool measure_window(const struct reference_clock *clk, uint64_t *khz,
                           uint64_t *uncertainty_ppm)
{
    uint64_t min_ticks = clk->hz * CALIBRATION_MIN_MS / 1000;
    uint64_t max_ticks = clk->hz * CALIBRATION_MAX_MS / 1000;
    /* Start on a change of the counter: a clock just programmed (the PIT
     * with NULL count) may not count yet, and its first read is stale. */
    struct clock_sample first = sample(clk), s = first;
    for (unsigned polls = 0; s.value == first.value; polls++) {
        if (polls > MAX_STALLED_POLLS)
            return false;
        s = sample(clk);
    }
    first = s;
    uint64_t elapsed = 0, wrap_guard_tsc = 0;
    for (unsigned polls = 0, stalled = 0; elapsed < max_ticks; polls++) {
        if (polls > MAX_POLLS || stalled > MAX_STALLED_POLLS)
            return false;
        struct clock_sample next = sample(clk);
        if (wrap_guard_tsc && next.tsc_after - s.tsc_before > wrap_guard_tsc)
            return false;
        stalled = next.value == s.value ? stalled + 1 : 0;
        s = next;
        elapsed = clk->elapsed(first.value, s.value);
        /* Once some ticks passed, a poll gap longer than half the wrap
         * period (in TSC ticks, estimated so far) could hide a wrap. */
        if (clk->wrap_ticks && elapsed > max_ticks / 4)
            wrap_guard_tsc = (s.tsc_after - first.tsc_before) * (clk->wrap_ticks / 2) / elapsed;
        if (elapsed >= min_ticks &&
            window_uncertainty_ppm(&first, &s, elapsed) <= PRECISE_ENOUGH_PPM)
            break;
    }
    uint64_t window_tsc = midpoint_tsc(&s) - midpoint_tsc(&first);
    if (!window_tsc)
        return false;
    *khz = window_tsc * clk->hz / elapsed / 1000;
    *uncertainty_ppm = window_uncertainty_ppm(&first, &s, elapsed);
    return *khz != 0;
}

/* Up to CALIBRATION_ATTEMPTS windows; the first precise enough wins, else
 * the most precise one, and the uncertainty is reported either way. */
static bool calibrate_against(const struct reference_clock *clk, uint64_t *khz)
{
    uint64_t best_ppm = UINT64_MAX;
    for (unsigned attempt = 0; attempt < CALIBRATION_ATTEMPTS && best_ppm > MAX_UNCERTAINTY_PPM;
         attempt++) {
        uint64_t k, ppm;
        if (measure_window(clk, &k, &ppm) && ppm < best_ppm) {
            best_ppm = ppm;
            *khz = k;
        }
    }
    if (best_ppm == UINT64_MAX)
        return false;
    timebase.uncertainty_ppm = best_ppm;
    return true;
}

/* PIT channel 0 in mode 0 counts down from 0xffff, and on past terminal
 * count through the whole 16-bit range (8254 datasheet, mode 0); reading
 * it back through the latch command needs only ports 0x40 and 0x43
 * (microvm has no port 0x61 for channel 2). IRQ0 is masked everywhere
 * here. The bracket covers the latch command only: the count is frozen
 * there, the two data reads come after. */
static uint64_t pit_read(void)
{
    return pit_read_latched(0);
}

static uint64_t pit_elapsed(uint64_t from, uint64_t to)
{
    return (uint16_t)(from - to);
}

static bool calibrate_pit(uint64_t *khz)
{
    static const struct reference_clock pit = {
        PIT_FREQUENCY_HZ, PIT_COUNTER_RANGE, pit_channel0_latch, pit_read, pit_elapsed,
    };
    pit_channel0_start(PIT_MODE0, 0xffff);
    return calibrate_against(&pit, khz);
}

static uint64_t hpet_counter_read(void)
{
    return hpet_counter();
}

static uint64_t hpet_elapsed(uint64_t from, uint64_t to)
{
    return to - from;
}

static bool calibrate_hpet(uint64_t *khz)
{
    if (!hpet_available())
        return false;
    struct reference_clock hpet = {
        FEMTOSECONDS_PER_SECOND / hpet_period_fs(), 0, NULL, hpet_counter_read, hpet_elapsed,
    };
    hpet_counter_enable(true);
    return calibrate_against(&hpet, khz);
}

static uint64_t pm_timer_read(void)
{
    return inl(acpi_get()->pm_timer_port);
}

static uint64_t pm_timer_elapsed(uint64_t from, uint64_t to)
{
    uint32_t mask = acpi_get()->pm_timer_32bit ? 0xffffffffu : ACPI_PM_TIMER_MASK;
    return (to - from) & mask;
}

static bool calibrate_pm_timer(uint64_t *khz)
{
    const struct acpi_info *a = acpi_get();
    if (!a->pm_timer_port)
        return false;
    struct reference_clock pm = {
        ACPI_PM_TIMER_HZ, a->pm_timer_32bit ? 0x100000000ull : ACPI_PM_TIMER_MASK + 1ull,
        NULL, pm_timer_read, pm_timer_elapsed,
    };
    return calibrate_against(&pm, khz);
}

/* CPUID 0x15: TSC/crystal ratio and crystal frequency (SDM Vol. 2A). */
static bool calibrate_cpuid(uint64_t *khz)
{
    if (cpuid_max_leaf() < CPUID_LEAF_TSC_FREQ)
        return false;
    struct cpuid_regs r = cpuid(CPUID_LEAF_TSC_FREQ);
    if (!r.eax || !r.ebx || !r.ecx)
        return false;
    *khz = (uint64_t)r.ecx * r.ebx / r.eax / 1000;
    return *khz != 0;
}

/* CPUID 0x40000010 EAX: TSC kHz, where a hypervisor offers the leaf
 * (VMware's interface, also QEMU/KVM with vmware-cpuid-freq). */
static bool calibrate_hypervisor_leaf(uint64_t *khz)
{
    if (!cpu_is_virtualised() || cpuid(CPUID_LEAF_HYPERVISOR).eax < CPUID_LEAF_HV_TIMING)
        return false;
    *khz = cpuid(CPUID_LEAF_HV_TIMING).eax;
    return *khz != 0;
}

void timebase_init(void)
{
    static const struct {
        const char *name;
        bool (*calibrate)(uint64_t *khz);
    } sources[] = {
        { "pit", calibrate_pit },
        { "hpet", calibrate_hpet },
        { "pm-timer", calibrate_pm_timer },
        { "cpuid", calibrate_cpuid },
        { "hypervisor-leaf", calibrate_hypervisor_leaf },
    };
    uint64_t khz = 0;
    uint64_t started = rdtsc();
    for (unsigned i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
        if (sources[i].calibrate(&khz)) {
            timebase.tsc_khz = khz;
            timebase.source = sources[i].name;
            break;
        }
        protocol_fact("fallback.timebase", "%s calibration failed, trying the next source",
                      sources[i].name);
    }
    if (!khz)
        protocol_fact("fallback.timebase", "no usable clock: assuming a %u MHz TSC",
                      FALLBACK_TSC_KHZ / 1000);
    /* The calibration's one-shot, or the rate generator firmware left
     * running; the stop times its waits with the TSC, so it comes now. */
    pit_channel0_stop();
    timebase.start_tsc = rdtsc();
    protocol_fact("timebase.source", "%s", timebase.source);
    protocol_fact("timebase.tsc-khz", "%llu", (unsigned long long)timebase.tsc_khz);
    if (timebase.uncertainty_ppm)
        protocol_fact("timebase.uncertainty-ppm", "%llu",
                      (unsigned long long)timebase.uncertainty_ppm);
    if (timebase.uncertainty_ppm > MAX_UNCERTAINTY_PPM)
        protocol_fact("fallback.timebase", "no calibration window was precise to %u ppm: "
                      "the host disturbed every one; timing cases may be off",
                      MAX_UNCERTAINTY_PPM);
    protocol_benchmark("timebase_calibration", "us",
                       (int64_t)(tsc_to_ns(timebase.start_tsc - started) / 1000));
}

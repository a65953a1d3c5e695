/* TSC calibration; see timebase.h. The PIT channel 2 one-shot takes
 * CALIBRATION_MS: boot cost stays the firmware's, not ours. */
#include "time/timebase.h"

#include "cpu/cpuid.h"
#include "drivers/acpi.h"
#include "drivers/hpet.h"
#include "drivers/pit.h"
#include "test/protocol.h"

#define CALIBRATION_MS           10
#define PIT_CALIBRATION_TICKS    (PIT_FREQUENCY_HZ * CALIBRATION_MS / 1000)
/* A PIT that shows the same count this many reads in a row is not counting
 * (it ticks every 838 ns; a read takes 0.1 us under TCG, 1-60 us as a VM
 * exit): at most ~0.6 s lost on a dead PIT. Other clocks are polled at most
 * PIT_MAX_POLLS times. */
#define PIT_MAX_STALLED_POLLS    10000
#define PIT_MAX_POLLS            200000
#define ACPI_PM_TIMER_HZ         3579545u
#define ACPI_PM_TIMER_MASK       0xffffffu    /* 24-bit counter; 32-bit if TMR_VAL_EXT */
#define FALLBACK_TSC_KHZ         1000000u     /* a guess, reported as such */

static struct {
    uint64_t tsc_khz;
    uint64_t start_tsc;
    const char *source;
} timebase = { FALLBACK_TSC_KHZ, 0, "none" };

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

/* PIT channel 0 in mode 0 counts down once from 0xffff; reading it back
 * through the latch command needs only ports 0x40 and 0x43 (microvm has no
 * port 0x61 for channel 2). IRQ0 is masked everywhere at this point. */
static bool calibrate_pit(uint64_t *khz)
{
    pit_channel0_start(PIT_MODE0, 0xffff);
    uint16_t first = pit_channel0_read();
    uint64_t start = rdtsc();
    unsigned unchanged = 0;
    uint16_t now = first, last = first;
    while ((uint16_t)(first - now) < PIT_CALIBRATION_TICKS && unchanged < PIT_MAX_STALLED_POLLS) {
        now = pit_channel0_read();
        unchanged = now == last ? unchanged + 1 : 0;
        last = now;
    }
    uint64_t end = rdtsc();
    pit_channel0_stop();
    uint16_t elapsed = (uint16_t)(first - now);
    if (elapsed < PIT_CALIBRATION_TICKS)
        return false;
    *khz = (end - start) * PIT_FREQUENCY_HZ / elapsed / 1000;
    return *khz != 0;
}

static bool calibrate_hpet(uint64_t *khz)
{
    if (!hpet_available())
        return false;
    uint64_t period_fs = hpet_period_fs();
    uint64_t ticks = ms(CALIBRATION_MS) * 1000000ull / period_fs;
    hpet_counter_enable(true);
    uint64_t h0 = hpet_counter(), t0 = rdtsc();
    for (unsigned polls = 0; hpet_counter() - h0 < ticks; polls++)
        if (polls > PIT_MAX_POLLS)
            return false;
    uint64_t h1 = hpet_counter(), t1 = rdtsc();
    uint64_t elapsed_fs = (h1 - h0) * period_fs;
    *khz = (t1 - t0) * 1000000000000ull / elapsed_fs;
    return *khz != 0;
}

static bool calibrate_pm_timer(uint64_t *khz)
{
    const struct acpi_info *a = acpi_get();
    if (!a->pm_timer_port)
        return false;
    uint32_t mask = a->pm_timer_32bit ? 0xffffffffu : ACPI_PM_TIMER_MASK;
    uint32_t ticks = ACPI_PM_TIMER_HZ / 1000 * CALIBRATION_MS;
    uint32_t p0 = inl(a->pm_timer_port) & mask;
    uint64_t t0 = rdtsc();
    uint32_t elapsed = 0;
    for (unsigned polls = 0; elapsed < ticks; polls++) {
        if (polls > PIT_MAX_POLLS)
            return false;
        elapsed = ((inl(a->pm_timer_port) & mask) - p0) & mask;
    }
    uint64_t t1 = rdtsc();
    *khz = (t1 - t0) * ACPI_PM_TIMER_HZ / elapsed / 1000;
    return *khz != 0;
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
    timebase.start_tsc = rdtsc();
    protocol_fact("timebase.source", "%s", timebase.source);
    protocol_fact("timebase.tsc-khz", "%llu", (unsigned long long)timebase.tsc_khz);
    protocol_benchmark("timebase_calibration", "us",
                       (int64_t)(tsc_to_ns(timebase.start_tsc - started) / 1000));
}

/* HPET driver; see hpet.h. */
#include "drivers/hpet.h"

#include "test/protocol.h"

static struct {
    bool present;
    uint64_t base;
    uint64_t period_fs;
    unsigned timers;
} hpet;

uint64_t hpet_read(unsigned reg)
{
    return *(volatile uint64_t *)(hpet.base + reg);
}

void hpet_write(unsigned reg, uint64_t value)
{
    *(volatile uint64_t *)(hpet.base + reg) = value;
}

bool hpet_init(uint64_t address)
{
    if (!address || address >= (1ull << 32))
        return false;
    hpet.base = address;
    uint64_t cap = hpet_read(HPET_CAPABILITIES);
    uint64_t period = cap >> HPET_CAP_PERIOD_SHIFT;
    if (period == 0 || period > HPET_MAX_PERIOD_FS) {
        protocol_fact("fallback.hpet", "HPET at 0x%llx reports period %llu fs; not used",
                      (unsigned long long)address, (unsigned long long)period);
        return false;
    }
    hpet.present = true;
    hpet.period_fs = period;
    hpet.timers = (unsigned)((cap >> HPET_CAP_NUM_TIMERS_SHIFT) & HPET_CAP_NUM_TIMERS_MASK) + 1;
    protocol_fact("hpet.period-fs", "%llu", (unsigned long long)period);
    protocol_fact("hpet.vendor", "0x%04llx", (unsigned long long)((cap >> HPET_CAP_VENDOR_SHIFT) & 0xffff));
    protocol_fact("hpet.timers", "%u", hpet.timers);
    protocol_fact("hpet.counter-64bit", "%s", (cap & HPET_CAP_COUNT_SIZE_64) ? "yes" : "no");
    protocol_fact("hpet.legacy-route", "%s", (cap & HPET_CAP_LEGACY_ROUTE) ? "yes" : "no");
    return true;
}

bool hpet_available(void)
{
    return hpet.present;
}

uint64_t hpet_period_fs(void)
{
    return hpet.period_fs;
}

unsigned hpet_timer_count(void)
{
    return hpet.timers;
}

uint64_t hpet_counter(void)
{
    return hpet_read(HPET_MAIN_COUNTER);
}

void hpet_counter_enable(bool on)
{
    uint64_t cfg = hpet_read(HPET_CONFIG);
    hpet_write(HPET_CONFIG, on ? cfg | HPET_CONFIG_ENABLE : cfg & ~HPET_CONFIG_ENABLE);
}

void hpet_reset_state(void)
{
    if (!hpet.present)
        return;
    for (unsigned n = 0; n < hpet.timers; n++) {
        uint64_t cfg = hpet_read(HPET_TIMER_CONFIG(n));
        hpet_write(HPET_TIMER_CONFIG(n), cfg & ~(HPET_TN_ENABLE | HPET_TN_FSB_ENABLE));
    }
    hpet_write(HPET_CONFIG, hpet_read(HPET_CONFIG) & ~HPET_CONFIG_LEGACY);
    hpet_write(HPET_INTERRUPT_STATUS, hpet_read(HPET_INTERRUPT_STATUS));
}

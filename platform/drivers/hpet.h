/* High Precision Event Timer (IA-PC HPET specification 1.0a, 2.3). */
#ifndef PLATFORM_DRIVERS_HPET_H
#define PLATFORM_DRIVERS_HPET_H

#include <stdbool.h>
#include <stdint.h>

#define HPET_CAPABILITIES        0x000
#define  HPET_CAP_REV_ID_MASK    0xffull
#define  HPET_CAP_NUM_TIMERS_SHIFT 8
#define  HPET_CAP_NUM_TIMERS_MASK  0x1full
#define  HPET_CAP_COUNT_SIZE_64  (1ull << 13)
#define  HPET_CAP_LEGACY_ROUTE   (1ull << 15)
#define  HPET_CAP_VENDOR_SHIFT   16
#define  HPET_CAP_PERIOD_SHIFT   32
#define HPET_CONFIG              0x010
#define  HPET_CONFIG_ENABLE      (1ull << 0)
#define  HPET_CONFIG_LEGACY      (1ull << 1)
#define HPET_INTERRUPT_STATUS    0x020
#define HPET_MAIN_COUNTER        0x0f0
#define HPET_TIMER_CONFIG(n)     (0x100 + 0x20 * (n))
#define  HPET_TN_LEVEL           (1ull << 1)
#define  HPET_TN_ENABLE          (1ull << 2)
#define  HPET_TN_PERIODIC        (1ull << 3)
#define  HPET_TN_PERIODIC_CAP    (1ull << 4)
#define  HPET_TN_64BIT_CAP       (1ull << 5)
#define  HPET_TN_SET_VALUE       (1ull << 6)
#define  HPET_TN_32BIT           (1ull << 8)
#define  HPET_TN_ROUTE_SHIFT     9
#define  HPET_TN_ROUTE_MASK      (0x1full << 9)
#define  HPET_TN_FSB_ENABLE      (1ull << 14)
#define  HPET_TN_FSB_CAP         (1ull << 15)
#define  HPET_TN_ROUTE_CAP_SHIFT 32
#define HPET_TIMER_COMPARATOR(n) (0x108 + 0x20 * (n))
#define HPET_TIMER_FSB_ROUTE(n)  (0x110 + 0x20 * (n))
#define  HPET_FSB_ADDRESS_SHIFT 32      /* Tn_FSB_INT_ADDR in the upper half */
#define HPET_TN_INT_STATUS(n)    (1ull << (n))   /* in HPET_INTERRUPT_STATUS */
#define HPET_MIN_TIMERS          3
#define HPET_MAX_ROUTES          32
/* The spec bounds the period: at most 100 ns (10^8 fs). */
#define HPET_MAX_PERIOD_FS       100000000ull

/* Uses the HPET the ACPI table names; prints its facts. */
bool hpet_init(uint64_t address);
bool hpet_available(void);
uint64_t hpet_period_fs(void);
unsigned hpet_timer_count(void);
uint64_t hpet_read(unsigned reg);
void hpet_write(unsigned reg, uint64_t value);
uint64_t hpet_counter(void);
void hpet_counter_enable(bool on);
/* Disables every comparator interrupt and legacy routing (case isolation). */
void hpet_reset_state(void);

#endif

/* The MC146818-compatible RTC in the CMOS as an interrupt source on ISA
 * IRQ8 (MC146818A datasheet: registers A-C, periodic interrupt). Shared by
 * the pic and ioapic kernels.
 *
 * The RTC holds its IRQ line asserted while IRQF in register C is set;
 * reading register C clears it. An edge-triggered controller therefore sees
 * one edge per acknowledged period, which the cases rely on. */
#ifndef KERNELS_PIC_RTC_H
#define KERNELS_PIC_RTC_H

#include <stdint.h>

#include "cpu/cpu.h"

#define CMOS_INDEX           0x70
#define CMOS_DATA            0x71
#define RTC_REG_A            0x0a
#define  RTC_A_RATE_MASK     0x0fu
#define  RTC_A_RATE_1024HZ   6u        /* 32768 Hz >> (rate - 1) */
#define RTC_REG_B            0x0b
#define  RTC_B_PIE           (1u << 6) /* periodic interrupt enable */
#define RTC_REG_C            0x0c
#define  RTC_C_IRQF          (1u << 7)
#define  RTC_C_PF            (1u << 6)
#define RTC_ISA_IRQ          8
#define RTC_1024HZ_PERIOD_NS 976563ull

static inline uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static inline void cmos_write(uint8_t reg, uint8_t value)
{
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, value);
}

/* Reading register C acknowledges the interrupt and lowers IRQ8. */
static inline uint8_t rtc_acknowledge(void)
{
    return cmos_read(RTC_REG_C);
}

static inline void rtc_periodic_stop(void)
{
    cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) & (uint8_t)~RTC_B_PIE);
    (void)rtc_acknowledge();
}

/* Periodic interrupt at 1024 Hz; the divider bits of register A stay as
 * firmware left them (the clock keeps its time). */
static inline void rtc_periodic_start_1024hz(void)
{
    rtc_periodic_stop();
    uint8_t a = cmos_read(RTC_REG_A);
    cmos_write(RTC_REG_A, (uint8_t)((a & ~RTC_A_RATE_MASK) | RTC_A_RATE_1024HZ));
    cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | RTC_B_PIE);
}

#endif

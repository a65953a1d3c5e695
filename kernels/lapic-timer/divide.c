/* lapic-timer: the divide configuration register divides the timer's
 * input clock by 1, 2, 4, ... 128 (SDM Vol. 3A 11.5.4, Figure 11-10). */
#include "timer.h"

#include "test/test.h"

/* Encoding -> divisor, as in Figure 11-10 (bits 0, 1 and 3; 1011b is 1). */
#define DIVIDE_TABLE(X)          \
    X(1, LAPIC_DIVIDE_1)         \
    X(2, LAPIC_DIVIDE_2)         \
    X(4, LAPIC_DIVIDE_4)         \
    X(8, LAPIC_DIVIDE_8)         \
    X(16, LAPIC_DIVIDE_16)       \
    X(32, LAPIC_DIVIDE_32)       \
    X(64, LAPIC_DIVIDE_64)       \
    X(128, LAPIC_DIVIDE_128)

/* +-5%: two 5 ms measurements, each good to about 1% even with a VM exit
 * per register access; the divisors differ by a factor of 2 at least, so a
 * wrong divisor is off by 50% or more. */
#define RATE_TOLERANCE_PERCENT 5

static void divides_by(unsigned divisor, uint32_t encoding)
{
    timer_case_begin(lapic_mode());
    uint64_t base = timer_base_ticks_per_ms();
    ASSERT_GT(base, 0u);
    uint64_t scaled = timer_measure_ticks_per_ms(encoding) * divisor;
    ASSERT_GE(scaled * 100, base * (100 - RATE_TOLERANCE_PERCENT));
    ASSERT_LE(scaled * 100, base * (100 + RATE_TOLERANCE_PERCENT));
}

#define DIVIDE_CASE(divisor, encoding)                                          \
    TEST_CASE_CONDITIONAL(lapic_timer_divides_by_##divisor, lapic_present(),    \
                          "SDM Vol. 3A 11.5.4")                                 \
    {                                                                           \
        divides_by(divisor, encoding);                                          \
    }
DIVIDE_TABLE(DIVIDE_CASE)

/* Every encoding reads back as written, in both register interfaces. */
static void divide_register_reads_back(enum lapic_mode mode)
{
    static const uint32_t encodings[] = {
#define DIVIDE_ENCODING(divisor, encoding) encoding,
        DIVIDE_TABLE(DIVIDE_ENCODING)
#undef DIVIDE_ENCODING
    };
    timer_case_begin(mode);
    for (unsigned i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
        lapic_write(LAPIC_TIMER_DIVIDE, encodings[i]);
        ASSERT_EQ(lapic_read(LAPIC_TIMER_DIVIDE) & LAPIC_DIVIDE_MASK, encodings[i]);
    }
}

INTERFACE_CASES(lapic_timer_divide_register_reads_back_every_encoding,
                divide_register_reads_back, interface_usable, "SDM Vol. 3A 11.5.4")

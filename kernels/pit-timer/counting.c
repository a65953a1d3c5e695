/* pit-timer: reading a running counter: the counter latch command, the
 * read-back command (count and status) and how modes count. No interrupt
 * is routed here. */
#include "pit-case.h"

#include "cpu/cpu.h"
#include "test/test.h"
#include "time/timebase.h"

#define FREE_RUNNING_COUNT   0          /* 65536: 55 ms per period */
#define PROGRAMMED_COUNT     0x1000u
#define MODE3_SAMPLES        16
#define HOLD_NS              ms(1)
#define LONG_COUNT           0xffffu    /* 55 ms: no preemption hides OUT low */
#define WAIT_FOR_OUT_NS      ms(100)
/* A count held for HOLD_NS lags a fresh one by ~1193 ticks. At least half
 * of that proves it was held (an unheld count lags by a few ticks); at
 * most 20 ms proves it is the count of this latch command, not an older
 * one, with room for a vCPU the host preempted for several ms. */
#define HELD_MIN_TICKS       (PIT_TICKS_PER_MS / 2)
#define HELD_MAX_TICKS       (20 * PIT_TICKS_PER_MS)

static const uint8_t all_modes[] = { PIT_MODE0, PIT_MODE2, PIT_MODE3, PIT_MODE4 };

/* 8254 datasheet "Counter latch command": the count at the time of the
 * command is held in the output latch until read, while the counter goes
 * on counting. */
TEST_CASE(pit_latch_command_holds_the_count_until_read, "8254 datasheet Counter latch command")
{
    pit_channel0_start_loaded(PIT_MODE2, FREE_RUNNING_COUNT);
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
    delay_ns(HOLD_NS);
    uint16_t held = pit_read_latched(0);
    uint16_t now = pit_channel0_read();
    ASSERT_GE(pit_ticks_between(held, now), HELD_MIN_TICKS);
    ASSERT_LE(pit_ticks_between(held, now), HELD_MAX_TICKS);
}

/* 8254 datasheet "Counter latch command": a second latch command before
 * the latched count is read is ignored; the first count stays held. */
TEST_CASE(pit_second_latch_before_the_read_is_ignored, "8254 datasheet Counter latch command")
{
    pit_channel0_start_loaded(PIT_MODE2, FREE_RUNNING_COUNT);
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
    delay_ns(HOLD_NS);
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
    uint16_t held = pit_read_latched(0);
    uint16_t now = pit_channel0_read();
    ASSERT_GE(pit_ticks_between(held, now), HELD_MIN_TICKS);
    ASSERT_LE(pit_ticks_between(held, now), HELD_MAX_TICKS);
}

/* 8254 datasheet mode 3: with an even count the counter decrements by two
 * on each clock, so every count read is even. */
TEST_CASE(pit_mode3_counts_down_by_two, "8254 datasheet mode 3")
{
    pit_channel0_start_loaded(PIT_MODE3, PROGRAMMED_COUNT);
    for (unsigned i = 0; i < MODE3_SAMPLES; i++) {
        uint16_t count = pit_channel0_read();
        if (count & 1)
            FAIL("sample %u: odd count 0x%04x in mode 3 with even reload 0x%04x", i, count,
                 PROGRAMMED_COUNT);
    }
}

/* 8254 datasheet "Read-back command", status byte: bits 5-0 are the
 * channel's control word (access mode, counting mode, BCD) as written. */
TEST_CASE(pit_readback_status_reports_the_programmed_mode, "8254 datasheet Read-back command")
{
    for (unsigned i = 0; i < sizeof(all_modes) / sizeof(all_modes[0]); i++) {
        pit_channel0_start(all_modes[i], PROGRAMMED_COUNT);
        uint8_t status = pit_readback_status(0);
        uint8_t control = status & (PIT_ACCESS_MASK | PIT_MODE_MASK | PIT_BCD);
        if (control != (PIT_ACCESS_LOHI | all_modes[i]))
            FAIL("mode %u: status 0x%02x, control bits 0x%02x, want 0x%02x", all_modes[i] >> 1,
                 status, control, PIT_ACCESS_LOHI | all_modes[i]);
    }
}

/* 8254 datasheet "Read-back command", NULL COUNT: set when a control word
 * (or count) is written, cleared when the new count is loaded into the
 * counting element, which happens on the CLK after the count is written. */
TEST_CASE(pit_readback_null_count_is_set_until_the_count_is_loaded,
          "8254 datasheet Read-back command")
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | PIT_MODE0);
    ASSERT_EQ(pit_readback_status(0) & PIT_STATUS_NULL_COUNT, PIT_STATUS_NULL_COUNT);
    outb(PIT_CHANNEL0, PROGRAMMED_COUNT & 0xff);
    outb(PIT_CHANNEL0, PROGRAMMED_COUNT >> 8);
    delay_ns(PIT_COUNT_LOAD_NS);
    ASSERT_EQ(pit_readback_status(0) & PIT_STATUS_NULL_COUNT, 0);
}

/* 8254 datasheet "Read-back command", OUTPUT: the state of OUT. In mode 0
 * it is low from the control word until terminal count, then high. */
TEST_CASE(pit_readback_output_follows_mode0_terminal_count, "8254 datasheet Read-back command")
{
    pit_channel0_start(PIT_MODE0, LONG_COUNT);
    ASSERT_EQ(pit_readback_status(0) & PIT_STATUS_OUTPUT, 0);
    deadline_t d = deadline_after(WAIT_FOR_OUT_NS);
    while (!(pit_readback_status(0) & PIT_STATUS_OUTPUT) && !deadline_passed(d))
        pause();
    ASSERT_EQ(pit_readback_status(0) & PIT_STATUS_OUTPUT, PIT_STATUS_OUTPUT);
}

/* 8254 datasheet "Read-back command": with count and status both latched,
 * the first read returns the status, the next two the count. */
TEST_CASE(pit_readback_of_status_and_count_returns_the_status_first,
          "8254 datasheet Read-back command")
{
    pit_channel0_start_loaded(PIT_MODE2, PROGRAMMED_COUNT);
    outb(PIT_COMMAND, PIT_READBACK | PIT_READBACK_CH(0));   /* COUNT# = STATUS# = 0 */
    uint8_t status = inb(PIT_CHANNEL0);
    uint16_t count = pit_read_latched(0);
    ASSERT_EQ(status & (PIT_ACCESS_MASK | PIT_MODE_MASK), PIT_ACCESS_LOHI | PIT_MODE2);
    ASSERT_LE(count, PROGRAMMED_COUNT);
}

/* 8254 datasheet "Read-back command": its count latch holds the count like
 * the counter latch command does. */
TEST_CASE(pit_readback_count_is_held_until_read, "8254 datasheet Read-back command")
{
    pit_channel0_start_loaded(PIT_MODE2, FREE_RUNNING_COUNT);
    outb(PIT_COMMAND, PIT_READBACK | PIT_READBACK_NO_STATUS | PIT_READBACK_CH(0));
    delay_ns(HOLD_NS);
    uint16_t held = pit_read_latched(0);
    uint16_t now = pit_readback_count(0);
    ASSERT_GE(pit_ticks_between(held, now), HELD_MIN_TICKS);
    ASSERT_LE(pit_ticks_between(held, now), HELD_MAX_TICKS);
}

/* pit-timer: channel 2, whose GATE and OUT the PC wires to port 0x61
 * (the path firmware and OSes calibrate with). Absent where port 0x61 is
 * (QEMU microvm), so every case is conditional. */
#include "pit-case.h"

#include "cpu/cpu.h"
#include "test/test.h"
#include "time/timebase.h"

#define ONESHOT_TICKS        (2 * PIT_TICKS_PER_MS)   /* 2 ms */
#define ONESHOT_NS           ms(2)
#define WAIT_FOR_OUT_NS      ms(40)
#define HOLD_NS              ms(1)
#define GATED_COUNT          0x1000u
/* OUT2 is polled: never more than 10% early (TSC calibration error), at
 * most 20 ms late (a host that preempts the vCPU). */
#define EARLY_PCT            10
#define LATE_NS              ms(20)

/* 8254 datasheet mode 0 with GATE high: OUT2 (port 0x61 bit 5) is low
 * after the count is written and rises N+1 clocks later. */
TEST_CASE_CONDITIONAL(pit_channel2_out_rises_at_terminal_count, pit_port61_present(),
                      "8254 datasheet mode 0; port 0x61 bit 5")
{
    uint64_t t0 = rdtsc();
    pit_channel2_oneshot(ONESHOT_TICKS);
    ASSERT_FALSE(pit_channel2_out());
    deadline_t d = deadline_after(WAIT_FOR_OUT_NS);
    while (!pit_channel2_out() && !deadline_passed(d))
        pause();
    uint64_t elapsed = tsc_to_ns(rdtsc() - t0);
    ASSERT_TRUE(pit_channel2_out());
    ASSERT_GE(elapsed, ONESHOT_NS * (100 - EARLY_PCT) / 100);
    ASSERT_LE(elapsed, ONESHOT_NS + LATE_NS);
}

/* 8254 datasheet mode 0: GATE low suspends counting, GATE high resumes
 * it. A count written while GATE is low is still loaded on the next CLK
 * (mode 0), so the first read waits for that. Channel 2's GATE is port
 * 0x61 bit 0. */
TEST_CASE_CONDITIONAL(pit_channel2_gate_low_holds_the_count, pit_port61_present(),
                      "8254 datasheet mode 0; port 0x61 bit 0")
{
    pit_channel2_gate(false);
    outb(PIT_COMMAND, PIT_SELECT_CH2 | PIT_ACCESS_LOHI | PIT_MODE0);
    outb(PIT_CHANNEL2, GATED_COUNT & 0xff);
    outb(PIT_CHANNEL2, GATED_COUNT >> 8);
    delay_ns(PIT_COUNT_LOAD_NS);
    uint16_t before = pit_readback_count(2);
    delay_ns(HOLD_NS);
    uint16_t gated = pit_readback_count(2);
    pit_channel2_gate(true);
    delay_ns(HOLD_NS);
    uint16_t counting = pit_readback_count(2);
    ASSERT_EQ(gated, before);
    ASSERT_LT(counting, gated);
}

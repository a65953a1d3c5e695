/* 8254 PIT driver; see pit.h. */
#include "drivers/pit.h"

#include "cpu/cpu.h"

void pit_channel0_start(uint8_t mode, uint16_t count)
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | mode);
    outb(PIT_CHANNEL0, count & 0xff);
    outb(PIT_CHANNEL0, count >> 8);
}

void pit_channel0_stop(void)
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | PIT_MODE0);
}

void pit_channel0_latch(void)
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
}

uint16_t pit_channel0_read_latched(void)
{
    uint8_t lo = inb(PIT_CHANNEL0);
    uint8_t hi = inb(PIT_CHANNEL0);
    return (uint16_t)(lo | (hi << 8));
}

uint16_t pit_channel0_read(void)
{
    pit_channel0_latch();
    return pit_channel0_read_latched();
}

void pit_channel2_oneshot(uint16_t count)
{
    uint8_t b = inb(SYSTEM_CONTROL_B);
    /* Gate low while programming, speaker off, then gate high to count. */
    outb(SYSTEM_CONTROL_B, b & (uint8_t)~(PORTB_TIMER2_GATE | PORTB_SPEAKER_DATA));
    outb(PIT_COMMAND, PIT_SELECT_CH2 | PIT_ACCESS_LOHI | PIT_MODE0);
    outb(PIT_CHANNEL2, count & 0xff);
    outb(PIT_CHANNEL2, count >> 8);
    b = inb(SYSTEM_CONTROL_B);
    outb(SYSTEM_CONTROL_B, (b | PORTB_TIMER2_GATE) & (uint8_t)~PORTB_SPEAKER_DATA);
}

bool pit_channel2_out(void)
{
    return inb(SYSTEM_CONTROL_B) & PORTB_TIMER2_OUT;
}

void pit_channel2_stop(void)
{
    uint8_t b = inb(SYSTEM_CONTROL_B);
    outb(SYSTEM_CONTROL_B, b & (uint8_t)~(PORTB_TIMER2_GATE | PORTB_SPEAKER_DATA));
}

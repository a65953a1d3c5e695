/* 8254 PIT driver; see pit.h. */
#include "drivers/pit.h"

#include "cpu/cpu.h"
#include "drivers/pic.h"
#include "time/timebase.h"

#define PIT_STOP_COUNT         1u          /* mode 0's smallest count */
#define PIT_STOP_OUT_WAIT_NS   1000000ull  /* 2 CLKs, or a VMM's timer slack */
#define PIT_STOP_EDGE_WAIT_NS  2000000ull

void pit_channel0_start(uint8_t mode, uint16_t count)
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | mode);
    outb(PIT_CHANNEL0, count & 0xff);
    outb(PIT_CHANNEL0, count >> 8);
}

static const uint16_t channel_port[] = { PIT_CHANNEL0, PIT_CHANNEL0 + 1, PIT_CHANNEL2 };

uint8_t pit_readback_status(unsigned channel)
{
    outb(PIT_COMMAND, PIT_READBACK | PIT_READBACK_NO_COUNT | PIT_READBACK_CH(channel));
    return inb(channel_port[channel]);
}

uint16_t pit_read_latched(unsigned channel)
{
    uint8_t lo = inb(channel_port[channel]);
    uint8_t hi = inb(channel_port[channel]);
    return (uint16_t)(lo | (hi << 8));
}

uint16_t pit_readback_count(unsigned channel)
{
    outb(PIT_COMMAND, PIT_READBACK | PIT_READBACK_NO_STATUS | PIT_READBACK_CH(channel));
    return pit_read_latched(channel);
}

/* On an 8254 a mode 0 control word alone stops the counter (OUT low until
 * a count is written), but QEMU and KVM keep a running rate generator, or
 * a pending one-shot, on a host timer that a control word does not cancel.
 * A count of 1 replaces that timer with a one-shot that ends at once (OUT
 * rises 2 CLKs later); after it, mode 0 leaves OUT high and channel 0
 * silent everywhere. Its IRQ0 edge is latched by the 8259 even with IR0
 * masked (8259A datasheet: the IMR acts after the IRR), and a VMM may
 * inject it well after OUT reads high (60-300 us on nested KVM): waiting
 * for it in the IRR, bounded, keeps it from landing after the caller
 * unmasks. */
void pit_channel0_stop(void)
{
    pit_channel0_start(PIT_MODE0, PIT_STOP_COUNT);
    deadline_t d = deadline_after(PIT_STOP_OUT_WAIT_NS);
    while (!(pit_readback_status(0) & PIT_STATUS_OUTPUT) && !deadline_passed(d))
        pause();
    d = deadline_after(PIT_STOP_EDGE_WAIT_NS);
    while (!(pic_read_irr() & (1u << PIT_ISA_IRQ)) && !deadline_passed(d))
        pause();
}

void pit_channel0_latch(void)
{
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
}

uint16_t pit_channel0_read(void)
{
    pit_channel0_latch();
    return pit_read_latched(0);
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

/* 8254 programmable interval timer (Intel 8254 datasheet; the PC wiring:
 * channel 0 -> IRQ0, channel 2 gated and read back through port 0x61). */
#ifndef PLATFORM_DRIVERS_PIT_H
#define PLATFORM_DRIVERS_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_FREQUENCY_HZ     1193182u
#define PIT_TICKS_PER_MS     (PIT_FREQUENCY_HZ / 1000u)
#define PIT_CHANNEL0         0x40
#define PIT_CHANNEL2         0x42
#define PIT_COMMAND          0x43
#define  PIT_SELECT_CH0      (0u << 6)
#define  PIT_SELECT_CH2      (2u << 6)
#define  PIT_READBACK        (3u << 6)
#define  PIT_ACCESS_LATCH    (0u << 4)
#define  PIT_ACCESS_LOHI     (3u << 4)
#define  PIT_MODE0           (0u << 1)   /* interrupt on terminal count */
#define  PIT_MODE2           (2u << 1)   /* rate generator */
#define  PIT_MODE3           (3u << 1)   /* square wave */
#define  PIT_MODE4           (4u << 1)   /* software-triggered strobe */
#define  PIT_MODE_MASK       (7u << 1)
#define  PIT_ACCESS_MASK     (3u << 4)
#define  PIT_BCD             (1u << 0)
/* Read-back command (8254 datasheet): COUNT and STATUS are active low. */
#define  PIT_READBACK_NO_COUNT  (1u << 5)
#define  PIT_READBACK_NO_STATUS (1u << 4)
#define  PIT_READBACK_CH(n)     (1u << (1 + (n)))
/* Read-back status byte. */
#define PIT_STATUS_OUTPUT    (1u << 7)
#define PIT_STATUS_NULL_COUNT (1u << 6)
#define PIT_ISA_IRQ          0

#define SYSTEM_CONTROL_B     0x61        /* PC port B */
#define  PORTB_TIMER2_GATE   (1u << 0)
#define  PORTB_SPEAKER_DATA  (1u << 1)
#define  PORTB_TIMER2_OUT    (1u << 5)

/* Channel 0: program mode and count (0 means 65536). */
void pit_channel0_start(uint8_t mode, uint16_t count);
/* Leaves channel 0 silent on the 8254 and on the VMMs that emulate it
 * with a host timer. It raises one last IRQ0 edge, and waits (bounded)
 * until the 8259 latched it: call it with IRQ0 masked, and initialise the
 * 8259 again afterwards (pic_reset_state) to drop that edge. Needs the
 * calibrated timebase. */
void pit_channel0_stop(void);
/* Latch and read the count; or the two steps apart, when the moment of
 * the latch matters (the count freezes at the latch command). */
uint16_t pit_channel0_read(void);
void pit_channel0_latch(void);

/* 8254 read-back command for one channel (0-2): status byte only, count
 * only; and the read of a count already latched (by a latch or read-back
 * command). */
uint8_t pit_readback_status(unsigned channel);
uint16_t pit_readback_count(unsigned channel);
uint16_t pit_read_latched(unsigned channel);

/* Channel 2 in mode 0 with the gate high: OUT2 rises after `count` ticks. */
void pit_channel2_oneshot(uint16_t count);
bool pit_channel2_out(void);
void pit_channel2_stop(void);

#endif

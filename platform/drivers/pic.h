/* 8259A programmable interrupt controllers, master and slave (Intel 8259A
 * datasheet; PC wiring: slave on master IRQ2). */
#ifndef PLATFORM_DRIVERS_PIC_H
#define PLATFORM_DRIVERS_PIC_H

#include <stdint.h>

#define PIC_MASTER_CMD      0x20
#define PIC_MASTER_DATA     0x21
#define PIC_SLAVE_CMD       0xa0
#define PIC_SLAVE_DATA      0xa1
#define PIC_CASCADE_IRQ     2
#define PIC_IRQS_PER_CHIP   8
#define PIC_MASK_ALL        0xffffu   /* pic_set_mask: both chips, every line */
#define PIC_SPURIOUS_LEVEL  7      /* the default IR7 of a vanished request */

#define PIC_ICW1_ICW4       0x01
#define PIC_ICW1_INIT       0x10
#define PIC_ICW4_8086       0x01
#define PIC_ICW4_AUTO_EOI   0x02
#define PIC_OCW2_EOI        0x20
#define PIC_OCW2_SPECIFIC   0x40
#define PIC_OCW3            0x08
#define  PIC_OCW3_READ_IRR  0x02
#define  PIC_OCW3_READ_ISR  0x03
#define  PIC_OCW3_POLL      0x04
#define PIC_POLL_INTERRUPT  0x80   /* poll word: a request was pending */
#define PIC_POLL_LEVEL_MASK 0x07

#define PIC_MASTER_VECTOR   0x20   /* IRQ0-7 after pic_init */
#define PIC_SLAVE_VECTOR    0x28   /* IRQ8-15 */

/* ICW1-ICW4: vectors from master_base/slave_base, cascade on IRQ2,
 * all lines masked. */
void pic_init(uint8_t master_base, uint8_t slave_base);
void pic_set_mask(uint16_t mask);   /* bit n masks IRQ n */
uint16_t pic_get_mask(void);
void pic_eoi(unsigned irq);
uint16_t pic_read_irr(void);
uint16_t pic_read_isr(void);
/* Masks every line and ends any in-service interrupt (case isolation). */
void pic_reset_state(void);

#endif

/* Counting interrupts and waiting for them, always with a deadline.
 *
 *   struct irq_counter irqs = irq_counter_on(TIMER_VECTOR, EOI_LAPIC);
 *   lapic_timer_start(...);
 *   ASSERT_EQ(irq_wait(&irqs, 1, ms(50), WAIT_HLT), 1);
 *   ASSERT_EQ(irq_quiet_for(&irqs, ms(20)), 0);
 *
 * The handler only counts (and EOIs as asked); the case checks. A wait
 * that runs out tells the framework what it waited for, so the failure
 * reads "no IRQ on vector 0x40 within 20 ms". */
#ifndef PLATFORM_TEST_IRQ_H
#define PLATFORM_TEST_IRQ_H

#include <stdint.h>

enum eoi_kind {
    EOI_NONE,           /* the case EOIs itself */
    EOI_LAPIC,
    EOI_PIC_MASTER,     /* 8259 master only (IRQ 0-7) */
    EOI_PIC_BOTH,       /* slave, then master (IRQ 8-15) */
};

enum wait_mode {
    WAIT_SPIN,          /* IF=1 busy loop: the VMM must kick a running vCPU */
    WAIT_HLT,           /* STI; HLT: the VMM must wake a sleeping vCPU */
};

struct irq_counter {
    uint8_t vector;
};

/* Installs a counting handler on vector for the rest of the case, its
 * count starting at 0 (the framework removes the handler after the case). */
struct irq_counter irq_counter_on(uint8_t vector, enum eoi_kind eoi);
uint32_t irq_count(const struct irq_counter *c);
/* RIP, RFLAGS of the last interrupt counted. */
uint64_t irq_last_rip(const struct irq_counter *c);

/* Waits until `count` interrupts have arrived or `timeout_ns` passed;
 * returns how many arrived. Interrupts are enabled during the wait and
 * disabled again afterwards. */
uint32_t irq_wait(const struct irq_counter *c, uint32_t count, uint64_t timeout_ns,
                  enum wait_mode mode);

/* Waits the whole `ns` and returns how many more interrupts arrived. */
uint32_t irq_quiet_for(const struct irq_counter *c, uint64_t ns);

const char *wait_mode_name(enum wait_mode mode);

#endif

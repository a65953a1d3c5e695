/* Interrupt and exception handlers: registration per vector, and the record
 * of interrupts nobody expected. Handlers only record; the case body checks
 * (STYLE.md). Nothing leaves a handler except by returning to IRET. */
#ifndef PLATFORM_CPU_INTERRUPT_H
#define PLATFORM_CPU_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/frame.h"

#define NR_VECTORS 256

typedef void (*interrupt_handler)(struct cpu_frame *frame, void *ctx);

/* Installs fn for vector (exceptions included); replaces the previous one.
 * The framework removes every handler after each case. */
void interrupt_set_handler(uint8_t vector, interrupt_handler fn, void *ctx);
void interrupt_clear_handler(uint8_t vector);
void interrupt_clear_all_handlers(void);

/* Interrupts (vector >= 32, and NMI) that arrived with no handler. */
struct unexpected_interrupts {
    uint32_t count;
    uint8_t first_vector, last_vector;
};
struct unexpected_interrupts interrupt_unexpected(void);
void interrupt_unexpected_reset(void);

/* The platform's own first look at every NMI (the NMI watchdog): true if
 * the hook took it, and no case handler then sees it. Survives
 * interrupt_clear_all_handlers. */
typedef bool (*nmi_hook)(struct cpu_frame *frame);
void interrupt_set_nmi_hook(nmi_hook hook);

/* Called from isr.asm for every vector. */
void interrupt_dispatch(struct cpu_frame *frame);

#endif

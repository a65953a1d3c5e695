/* Per-vector handler table and the dispatch every IDT stub calls. */
#include "cpu/interrupt.h"

#include "cpu/cpu.h"
#include "lib/string.h"

void exception_unhandled(struct cpu_frame *frame);

static struct {
    interrupt_handler fn;
    void *ctx;
} handlers[NR_VECTORS];

static volatile struct unexpected_interrupts unexpected;
static nmi_hook platform_nmi_hook;

void interrupt_set_nmi_hook(nmi_hook hook)
{
    platform_nmi_hook = hook;
}

void interrupt_set_handler(uint8_t vector, interrupt_handler fn, void *ctx)
{
    uint64_t flags = irq_save();
    handlers[vector].fn = fn;
    handlers[vector].ctx = ctx;
    irq_restore(flags);
}

void interrupt_clear_handler(uint8_t vector)
{
    interrupt_set_handler(vector, 0, 0);
}

void interrupt_clear_all_handlers(void)
{
    uint64_t flags = irq_save();
    memset(handlers, 0, sizeof(handlers));
    irq_restore(flags);
}

struct unexpected_interrupts interrupt_unexpected(void)
{
    struct unexpected_interrupts u;
    u.count = unexpected.count;
    u.first_vector = unexpected.first_vector;
    u.last_vector = unexpected.last_vector;
    return u;
}

void interrupt_unexpected_reset(void)
{
    unexpected.count = 0;
    unexpected.first_vector = unexpected.last_vector = 0;
}

void interrupt_dispatch(struct cpu_frame *frame)
{
    uint8_t vector = (uint8_t)frame->vector;
    if (vector == X86_EXC_NMI && platform_nmi_hook && platform_nmi_hook(frame))
        return;
    if (handlers[vector].fn) {
        handlers[vector].fn(frame, handlers[vector].ctx);
        return;
    }
    if (vector < X86_NR_EXCEPTIONS && vector != X86_EXC_NMI) {
        exception_unhandled(frame);
        return;
    }
    /* An interrupt nobody asked for: remember it, the case runner fails the
     * case. No EOI here: the runner's cleanup drains the LAPIC ISR. */
    if (unexpected.count++ == 0)
        unexpected.first_vector = vector;
    unexpected.last_vector = vector;
}

/* Interrupt counters and bounded waits; see irq.h. */
#include "test/irq.h"

#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "lib/format.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

static struct {
    volatile uint32_t count;
    volatile uint64_t last_rip;
    enum eoi_kind eoi;
} counters[NR_VECTORS];

static void counting_handler(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    uint8_t v = (uint8_t)frame->vector;
    counters[v].count++;
    counters[v].last_rip = frame->rip;
    switch (counters[v].eoi) {
    case EOI_LAPIC:
        lapic_eoi();
        break;
    case EOI_PIC_BOTH:
        outb(PIC_SLAVE_CMD, PIC_OCW2_EOI);
        outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
        break;
    case EOI_PIC_MASTER:
        outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
        break;
    case EOI_NONE:
        break;
    }
}

struct irq_counter irq_counter_on(uint8_t vector, enum eoi_kind eoi)
{
    counters[vector].count = 0;
    counters[vector].last_rip = 0;
    counters[vector].eoi = eoi;
    interrupt_set_handler(vector, counting_handler, 0);
    return (struct irq_counter){ vector };
}

uint32_t irq_count(const struct irq_counter *c)
{
    return counters[c->vector].count;
}

uint64_t irq_last_rip(const struct irq_counter *c)
{
    return counters[c->vector].last_rip;
}

const char *wait_mode_name(enum wait_mode mode)
{
    return mode == WAIT_HLT ? "hlt" : "spin";
}

static void format_duration(uint64_t ns, char *buf, unsigned size);

uint32_t irq_wait(const struct irq_counter *c, uint32_t count, uint64_t timeout_ns,
                  enum wait_mode mode)
{
    deadline_t d = deadline_after(timeout_ns);
    uint32_t got;
    if (mode == WAIT_SPIN) {
        /* IF stays set across the whole loop: the interrupt must arrive
         * while this vCPU keeps running. */
        sti();
        while ((got = counters[c->vector].count) < count && !deadline_passed(d))
            pause();
    } else {
        for (;;) {
            cli();
            got = counters[c->vector].count;
            if (got >= count || deadline_passed(d))
                break;
            uint64_t now = rdtsc();
            timer_service_wake_after(tsc_to_ns(d.tsc > now ? d.tsc - now : 0));
            sti_hlt();
        }
    }
    cli();
    char within[24];
    format_duration(timeout_ns, within, sizeof(within));
    if (got < count)
        test_note_wait(true, "%s IRQ on vector 0x%02x within %s (%s wait): got %u of %u",
                       got ? "too few" : "no", c->vector, within, wait_mode_name(mode), got,
                       count);
    else
        test_note_wait(false, "IRQ on vector 0x%02x within %s", c->vector, within);
    return got;
}

uint32_t irq_quiet_for(const struct irq_counter *c, uint64_t ns)
{
    uint32_t before = counters[c->vector].count;
    deadline_t d = deadline_after(ns);
    sti();
    while (!deadline_passed(d))
        pause();
    cli();
    return counters[c->vector].count - before;
}

static void format_duration(uint64_t ns, char *buf, unsigned size)
{
    if (ns >= ms(1) && ns % ms(1) == 0)
        format_string(buf, size, "%llu ms", (unsigned long long)(ns / ms(1)));
    else
        format_string(buf, size, "%llu us", (unsigned long long)(ns / 1000));
}

/* The interrupt log of lapic-priority cases, and their bounded waits; see
 * interrupt_log.h. */
#include "interrupt_log.h"

#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "test/test.h"
#include "time/timebase.h"

/* Sending one IPI takes the APIC well under a microsecond on hardware and
 * one VM exit in a VMM; a millisecond means it is stuck. */
#define ICR_IDLE_TIMEOUT_NS ms(1)

struct interrupt_log case_log;

void log_reset(void)
{
    case_log.count = 0;
    for (unsigned v = 0; v <= VECTOR_LAST; v++)
        case_log.entered[v] = 0;
}

void log_event(struct cpu_frame *frame, enum log_event event)
{
    uint32_t i = case_log.count;
    if (event == LOG_ENTER)
        case_log.entered[(uint8_t)frame->vector]++;
    if (i >= LOG_CAPACITY)
        return;
    case_log.entries[i] = (struct log_entry){
        .vector = (uint8_t)frame->vector,
        .event = event,
        .ppr = (uint8_t)lapic_read(LAPIC_PPR),
        .isr_highest = lapic_highest_vector(LAPIC_ISR0),
        .irr_highest = lapic_highest_vector(LAPIC_IRR0),
        .in_isr = lapic_vector_bit(LAPIC_ISR0, (uint8_t)frame->vector),
        .rip = frame->rip,
        .rflags = frame->rflags,
    };
    case_log.count = i + 1;
}

static void log_and_eoi(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    log_event(frame, LOG_ENTER);
    lapic_eoi();
}

void log_on_vector(uint8_t vector)
{
    interrupt_set_handler(vector, log_and_eoi, 0);
}

static void wait_icr_idle(void)
{
    deadline_t d = deadline_after(ICR_IDLE_TIMEOUT_NS);
    while ((lapic_read(LAPIC_ICR) & LAPIC_DELIVERY_PENDING) && !deadline_passed(d))
        pause();
}

void send_self_ipi(uint8_t vector)
{
    lapic_self_ipi(vector);
    wait_icr_idle();
}

void send_self_nmi(void)
{
    lapic_send_ipi(lapic_id(), LAPIC_SHORTHAND_NONE | LAPIC_DM_NMI);
    wait_icr_idle();
}

static uint32_t note(uint32_t got, uint32_t want, const char *what, uint64_t timeout_ns,
                     const char *how)
{
    if (got < want)
        test_note_wait(true, "%s: got %u of %u within %llu us (%s)", what, got, want,
                       (unsigned long long)(timeout_ns / us(1)), how);
    else
        test_note_wait(false, "%s within %llu us", what, (unsigned long long)(timeout_ns / us(1)));
    return got;
}

uint32_t wait_for_count(const volatile uint32_t *count, uint32_t want, uint64_t timeout_ns,
                        const char *what)
{
    deadline_t d = deadline_after(timeout_ns);
    uint32_t got;
    sti();
    while ((got = *count) < want && !deadline_passed(d))
        pause();
    cli();
    return note(got, want, what, timeout_ns, "IF=1");
}

uint32_t poll_for_count(const volatile uint32_t *count, uint32_t want, uint64_t timeout_ns,
                        const char *what)
{
    deadline_t d = deadline_after(timeout_ns);
    uint32_t got;
    while ((got = *count) < want && !deadline_passed(d))
        pause();
    return note(got, want, what, timeout_ns, "IF=0");
}

void interrupts_open_for(uint64_t ns)
{
    sti();
    delay_ns(ns);
    cli();
}

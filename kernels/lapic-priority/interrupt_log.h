/* The record a lapic-priority case's handlers keep: which vector entered or
 * left a handler, in order, with the APIC's priority state at that moment.
 * Handlers only append; the case body reads the log and checks. */
#ifndef LAPIC_PRIORITY_INTERRUPT_LOG_H
#define LAPIC_PRIORITY_INTERRUPT_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/frame.h"
#include "drivers/lapic.h"

/* Room for one entry per deliverable vector (32..255) and then some. */
#define LOG_CAPACITY 512

/* The first vector that is not an exception (SDM Vol. 3A 6.2). */
#define VECTOR_FIRST_INTERRUPT 0x20
#define VECTOR_LAST            0xff
#define PRIORITY_CLASSES       16

enum log_event { LOG_ENTER, LOG_LEAVE };

struct log_entry {
    uint8_t vector;
    enum log_event event;
    uint8_t ppr;
    int isr_highest;      /* -1: ISR empty */
    int irr_highest;      /* -1: IRR empty */
    bool in_isr;          /* the entry's own vector is set in the ISR */
    uint64_t rip;         /* where the interrupted code resumes */
    uint64_t rflags;      /* of the interrupted code */
};

struct interrupt_log {
    volatile uint32_t count;
    volatile uint32_t entered[VECTOR_LAST + 1];   /* LOG_ENTER events per vector */
    struct log_entry entries[LOG_CAPACITY];
};

/* The one log of the running case; log_reset() starts it empty. */
extern struct interrupt_log case_log;
void log_reset(void);

/* Appends an entry taken from the frame and the APIC registers now. */
void log_event(struct cpu_frame *frame, enum log_event event);
/* How often `vector` entered its handler since log_reset(). */
static inline uint32_t log_entries_of(uint8_t vector)
{
    return case_log.entered[vector];
}

/* Installs a handler on vector that logs its entry and EOIs the LAPIC. */
void log_on_vector(uint8_t vector);

/* Priority classes (SDM Vol. 3A 11.8.3): bits 7:4 of a vector or of TPR/PPR. */
static inline unsigned priority_class(uint32_t v)
{
    return (v >> LAPIC_PRIORITY_CLASS_SHIFT) & LAPIC_PRIORITY_SUBCLASS_MASK;
}
static inline uint8_t class_vector(unsigned cls, unsigned subclass)
{
    return (uint8_t)(cls << LAPIC_PRIORITY_CLASS_SHIFT | subclass);
}

/* A fixed self-IPI, waiting (bounded) until the APIC has sent it, so a
 * burst of them never writes the ICR while a send is pending
 * (SDM Vol. 3A 11.6.1, Delivery Status). */
void send_self_ipi(uint8_t vector);
/* An NMI to this CPU's own APIC ID: the Self shorthand is valid only with
 * Fixed delivery (SDM Vol. 3A 11.6.1, the table of valid ICR combinations). */
void send_self_nmi(void);

/* The cases' handlers log rather than count, so irq_wait (which waits
 * on the platform's counting handler) cannot wait for them. These are its
 * spin wait on a log counter: until *count reaches want or timeout_ns
 * passes, with IF=1 (IF=0 again afterwards); `what` names the awaited
 * event in a timeout. Also usable inside a handler, to let a nested
 * interrupt in. */
uint32_t wait_for_count(const volatile uint32_t *count, uint32_t want, uint64_t timeout_ns,
                        const char *what);
/* The same with IF=0 throughout: for NMIs, which IF does not block. */
uint32_t poll_for_count(const volatile uint32_t *count, uint32_t want, uint64_t timeout_ns,
                        const char *what);
/* IF=1 for ns, then IF=0: lets in whatever the APIC may deliver, so a
 * case can check that a held-back vector stayed held back. */
void interrupts_open_for(uint64_t ns);

#endif

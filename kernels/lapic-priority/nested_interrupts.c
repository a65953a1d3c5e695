/* Interrupts nesting inside handlers that re-enabled interrupts: by
 * priority class for fixed interrupts, regardless of it for ExtINT
 * (SDM Vol. 3A 11.8.3, 11.8.1). */
#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "interrupt_log.h"
#include "test/test.h"
#include "time/timebase.h"

#define OUTER_VECTOR       0x50   /* class 5 */
#define SAME_CLASS_VECTOR  0x5f   /* class 5, a higher vector */
#define HIGHER_VECTOR      0xa0   /* class 10 */
#define HIGH_CLASS_VECTOR  0xe0   /* class 14: above anything the 8259 supplies */
/* Nested inside the ExtINT handler: the 8259's vector 0x20 is class 2, the
 * lowest class a fixed vector can have, so the nested vector is class 2
 * too. The slave 8259's IRQ15 vector serves: the slave stays masked. */
#define INSIDE_EXTINT_VECTOR (VECTOR_PIC_SLAVE + PIC_IRQS_PER_CHIP - 1)
#define PIC_IRQ0_VECTOR    (VECTOR_PIC_MASTER + PIT_ISA_IRQ)

/* Bounds of the waits inside handlers and of the whole sequence. */
#define NESTED_TIMEOUT_NS  ms(20)
#define SEQUENCE_TIMEOUT_NS ms(100)

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* The ExtINT cases need the PC's 8259 behind LINT0 (virtual-wire mode A,
 * MP spec 1.4 3.6.2.2): the MADT says the machine has the 8259s
 * (PCAT_COMPAT, ACPI 6.5 5.2.12); without a MADT we assume a PC. */
static bool pic_behind_lint0(void)
{
    const struct acpi_info *a = acpi_get();
    return lapic_usable() && (!a->madt || a->pcat_compat);
}

/* In a handler: IF=1 until `vector` has entered its handler, bounded;
 * should it never come, the sequence the case checks says so. */
static void wait_inside_handler_for(uint8_t vector, const char *what)
{
    (void)wait_for_count(&case_log.entered[vector], 1, NESTED_TIMEOUT_NS, what);
}

static void expect_sequence(const uint8_t *vectors, const enum log_event *events, uint32_t n)
{
    ASSERT_EQ(case_log.count, n);
    for (uint32_t i = 0; i < n; i++) {
        const struct log_entry *e = &case_log.entries[i];
        if (e->vector != vectors[i] || e->event != events[i])
            FAIL("step %u: expected %s 0x%02x, got %s 0x%02x", i,
                 events[i] == LOG_ENTER ? "enter" : "leave", vectors[i],
                 e->event == LOG_ENTER ? "enter" : "leave", e->vector);
    }
}

/* The outer handler raises a higher-class and a same-class interrupt,
 * re-enables interrupts and waits for the higher one. */
static void outer_handler(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    log_event(frame, LOG_ENTER);
    send_self_ipi(HIGHER_VECTOR);
    send_self_ipi(SAME_CLASS_VECTOR);
    wait_inside_handler_for(HIGHER_VECTOR, "the higher class inside the outer handler");
    log_event(frame, LOG_LEAVE);
    lapic_eoi();
}

/* SDM Vol. 3A 11.8.3: while a class-5 vector is in service, a class-10
 * vector interrupts its handler once it sets IF, but a vector of the same
 * class 5 (even a higher one) waits for the EOI. */
TEST_CASE_CONDITIONAL(higher_class_interrupts_a_handler_that_reenabled_interrupts,
                      lapic_usable(), "SDM Vol. 3A 11.8.3")
{
    log_reset();
    interrupt_set_handler(OUTER_VECTOR, outer_handler, 0);
    log_on_vector(HIGHER_VECTOR);
    log_on_vector(SAME_CLASS_VECTOR);
    send_self_ipi(OUTER_VECTOR);
    wait_for_count(&case_log.count, 4, SEQUENCE_TIMEOUT_NS, "the nested sequence");
    static const uint8_t vectors[] = { OUTER_VECTOR, HIGHER_VECTOR, OUTER_VECTOR,
                                       SAME_CLASS_VECTOR };
    static const enum log_event events[] = { LOG_ENTER, LOG_ENTER, LOG_LEAVE, LOG_ENTER };
    expect_sequence(vectors, events, 4);
    /* Inside the nested handler both are in service and PPR is its class. */
    ASSERT_EQ(case_log.entries[1].isr_highest, HIGHER_VECTOR);
    ASSERT_EQ(case_log.entries[1].ppr, class_vector(priority_class(HIGHER_VECTOR), 0));
    /* Back in the outer handler the same-class vector still waits. */
    ASSERT_EQ(case_log.entries[2].irr_highest, SAME_CLASS_VECTOR);
    ASSERT_EQ(case_log.entries[2].isr_highest, OUTER_VECTOR);
}

/* The 8259 raises IRQ0 once, through LINT0 in ExtINT mode (virtual-wire
 * mode, MP spec 1.4 3.6.2.2). */
static void pic_raises_irq0_through_lint0(void)
{
    lapic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT);
    pit_channel0_start(PIT_MODE0, PIT_TICKS_PER_MS);   /* one IRQ0, 1 ms from now */
}

static void extint_handler(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    log_event(frame, LOG_ENTER);
    outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
}

/* The fixed handler starts the PIT itself, so the ExtINT can only arrive
 * while it runs. */
static void high_class_handler(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    log_event(frame, LOG_ENTER);
    pic_raises_irq0_through_lint0();
    wait_inside_handler_for(PIC_IRQ0_VECTOR, "the ExtINT inside the fixed handler");
    log_event(frame, LOG_LEAVE);
    lapic_eoi();
}

/* SDM Vol. 3A 11.8.1 (Figure 11-17, interrupt acceptance) and 11.8.4
 * (Note: ExtINT interrupts "bypass the IRR and ISR registers and are sent
 * directly to the processor core"), 11.8.3.1 (a TPR of 15 inhibits all
 * interrupts "except those delivered with the NMI, SMI, INIT, ExtINT ...
 * delivery mode"): the 8259's vector 0x20 (class 2) interrupts the handler
 * of a class-14 fixed interrupt that set IF, and it does not enter the
 * LAPIC ISR. */
TEST_CASE_CONDITIONAL(extint_interrupts_a_fixed_handler_of_any_class, pic_behind_lint0(),
                      "SDM Vol. 3A 11.8.1")
{
    log_reset();
    pic_init(VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE);
    pic_set_mask((uint16_t)~(1u << PIT_ISA_IRQ));
    interrupt_set_handler(HIGH_CLASS_VECTOR, high_class_handler, 0);
    interrupt_set_handler(PIC_IRQ0_VECTOR, extint_handler, 0);
    send_self_ipi(HIGH_CLASS_VECTOR);
    wait_for_count(&case_log.count, 3, SEQUENCE_TIMEOUT_NS, "the nested ExtINT");
    static const uint8_t vectors[] = { HIGH_CLASS_VECTOR, PIC_IRQ0_VECTOR, HIGH_CLASS_VECTOR };
    static const enum log_event events[] = { LOG_ENTER, LOG_ENTER, LOG_LEAVE };
    expect_sequence(vectors, events, 3);
    const struct log_entry *extint = &case_log.entries[1];
    ASSERT_FALSE(extint->in_isr);
    ASSERT_EQ(extint->isr_highest, HIGH_CLASS_VECTOR);
    ASSERT_EQ(extint->ppr, class_vector(priority_class(HIGH_CLASS_VECTOR), 0));
}

/* The ExtINT handler raises a fixed interrupt and sets IF before its 8259
 * EOI. */
static void extint_handler_with_nested_fixed(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    log_event(frame, LOG_ENTER);
    send_self_ipi(INSIDE_EXTINT_VECTOR);
    wait_inside_handler_for(INSIDE_EXTINT_VECTOR, "the fixed vector inside the ExtINT handler");
    log_event(frame, LOG_LEAVE);
    outb(PIC_MASTER_CMD, PIC_OCW2_EOI);
}

/* SDM Vol. 3A 11.8.1, 11.8.4 (Note), 11.8.3.1: an ExtINT leaves the
 * LAPIC ISR empty, so PPR stays 0 in its handler and a fixed interrupt of
 * any class nests inside it once IF is set, while the 8259 still has IRQ0
 * in service: even one of the ExtINT vector's own class 2, which an
 * in-service 0x20 would hold back. */
TEST_CASE_CONDITIONAL(fixed_interrupt_interrupts_an_extint_handler, pic_behind_lint0(),
                      "SDM Vol. 3A 11.8.1")
{
    log_reset();
    pic_init(VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE);
    pic_set_mask((uint16_t)~(1u << PIT_ISA_IRQ));
    interrupt_set_handler(PIC_IRQ0_VECTOR, extint_handler_with_nested_fixed, 0);
    log_on_vector(INSIDE_EXTINT_VECTOR);
    pic_raises_irq0_through_lint0();
    wait_for_count(&case_log.count, 3, SEQUENCE_TIMEOUT_NS, "the ExtINT sequence");
    static const uint8_t vectors[] = { PIC_IRQ0_VECTOR, INSIDE_EXTINT_VECTOR, PIC_IRQ0_VECTOR };
    static const enum log_event events[] = { LOG_ENTER, LOG_ENTER, LOG_LEAVE };
    expect_sequence(vectors, events, 3);
    ASSERT_EQ(case_log.entries[0].ppr, 0u);
    ASSERT_EQ(case_log.entries[0].isr_highest, -1);
    ASSERT_EQ(case_log.entries[1].isr_highest, INSIDE_EXTINT_VECTOR);
}

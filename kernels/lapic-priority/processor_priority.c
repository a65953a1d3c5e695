/* The processor-priority register: PPR = max(TPR, ISRV) by class, read
 * idle and inside handlers (SDM Vol. 3A 11.8.3.1). */
#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "drivers/lapic.h"
#include "interrupt_log.h"
#include "test/test.h"
#include "time/timebase.h"

/* Each handler makes ~45 APIC register accesses (16 TPR writes, 16 PPR
 * reads, the log); at one VM exit each a nested KVM needs ~4 ms per
 * handler, ~60 ms for all 14. Hardware needs microseconds. */
#define ARRIVE_TIMEOUT_NS ms(300)
#define TPR_VALUES        256
#define FIRST_INTERRUPT_CLASS (VECTOR_FIRST_INTERRUPT >> LAPIC_PRIORITY_CLASS_SHIFT)
#define HANDLED_CLASSES   (PRIORITY_CLASSES - FIRST_INTERRUPT_CLASS)
/* Subclasses: the handler's vector and the TPR it tries, so that PPR[3:0]
 * shows where it came from. */
#define VECTOR_SUBCLASS   0x6
#define TPR_SUBCLASS      0x9

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* SDM Vol. 3A 11.8.3.1: if TPR[7:4] >= ISRV[7:4], PPR = TPR; else
 * PPR[7:4] = ISRV[7:4] and PPR[3:0] = 0. */
static uint8_t expected_ppr(uint8_t tpr, int isrv)
{
    if (isrv < 0 || priority_class(tpr) >= priority_class((uint32_t)isrv))
        return tpr;
    return class_vector(priority_class((uint32_t)isrv), 0);
}

/* SDM Vol. 3A 11.8.3.1, 11.8.6: with nothing in service PPR equals TPR,
 * for all 256 TPR values (TPR is read/write in all 8 bits). */
TEST_CASE_CONDITIONAL(ppr_equals_tpr_while_nothing_is_in_service, lapic_usable(),
                      "SDM Vol. 3A 11.8.3.1")
{
    ASSERT_EQ(lapic_highest_vector(LAPIC_ISR0), -1);
    for (unsigned tpr = 0; tpr < TPR_VALUES; tpr++) {
        lapic_write(LAPIC_TPR, tpr);
        uint32_t got_tpr = lapic_read(LAPIC_TPR), got_ppr = lapic_read(LAPIC_PPR);
        if (got_tpr != tpr)
            FAIL("TPR written 0x%02x reads back 0x%02x", tpr, got_tpr);
        if (got_ppr != expected_ppr((uint8_t)tpr, -1))
            FAIL("TPR 0x%02x, ISR empty: PPR is 0x%02x, expected 0x%02x", tpr, got_ppr, tpr);
    }
}

/* ppr_seen[ISRV class][TPR class]: what the handler of that class read. */
static volatile uint8_t ppr_seen[PRIORITY_CLASSES][PRIORITY_CLASSES];

/* Runs with its own vector in service: tries every TPR class, records
 * PPR for each, restores TPR 0, EOIs. */
static void sweep_tpr_and_record_ppr(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    unsigned isrv_class = priority_class((uint8_t)frame->vector);
    for (unsigned t = 0; t < PRIORITY_CLASSES; t++) {
        lapic_write(LAPIC_TPR, class_vector(t, TPR_SUBCLASS));
        ppr_seen[isrv_class][t] = (uint8_t)lapic_read(LAPIC_PPR);
    }
    lapic_write(LAPIC_TPR, 0);
    log_event(frame, LOG_ENTER);
    lapic_eoi();
}

/* SDM Vol. 3A 11.8.3.1: PPR = max(TPR, ISRV) by class, for every pair of
 * TPR class (0-15) and in-service class (2-15), read inside the handler of
 * a vector of that class while it is the only one in service. */
TEST_CASE_CONDITIONAL(ppr_is_the_higher_of_tpr_and_the_in_service_class, lapic_usable(),
                      "SDM Vol. 3A 11.8.3.1")
{
    log_reset();
    for (unsigned c = FIRST_INTERRUPT_CLASS; c < PRIORITY_CLASSES; c++) {
        uint8_t v = class_vector(c, VECTOR_SUBCLASS);
        interrupt_set_handler(v, sweep_tpr_and_record_ppr, 0);
        send_self_ipi(v);
    }
    ASSERT_EQ(wait_for_count(&case_log.count, HANDLED_CLASSES, ARRIVE_TIMEOUT_NS,
                             "one interrupt per priority class"),
              HANDLED_CLASSES);
    for (uint32_t i = 0; i < HANDLED_CLASSES; i++) {
        const struct log_entry *e = &case_log.entries[i];
        if (e->isr_highest != e->vector)
            FAIL("vector 0x%02x: ISRV in its handler is %d", e->vector, e->isr_highest);
    }
    for (unsigned c = FIRST_INTERRUPT_CLASS; c < PRIORITY_CLASSES; c++) {
        uint8_t v = class_vector(c, VECTOR_SUBCLASS);
        for (unsigned t = 0; t < PRIORITY_CLASSES; t++) {
            uint8_t tpr = class_vector(t, TPR_SUBCLASS);
            if (ppr_seen[c][t] != expected_ppr(tpr, v))
                FAIL("ISRV 0x%02x, TPR 0x%02x: PPR is 0x%02x, expected 0x%02x", v, tpr,
                     ppr_seen[c][t], expected_ppr(tpr, v));
        }
    }
}

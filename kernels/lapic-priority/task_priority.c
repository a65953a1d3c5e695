/* The task-priority register, written through the APIC register and
 * through CR8: which classes it holds back (SDM Vol. 3A 11.8.3.1, 11.8.6). */
#include "cpu/cpu.h"
#include "drivers/lapic.h"
#include "interrupt_log.h"
#include "test/test.h"
#include "time/timebase.h"

#define ARRIVE_TIMEOUT_NS ms(20)
/* Long enough for a wrongly unblocked interrupt to show up. */
#define QUIET_NS          us(500)
/* The lowest class whose vectors are interrupts, not exceptions. */
#define FIRST_INTERRUPT_CLASS (VECTOR_FIRST_INTERRUPT >> LAPIC_PRIORITY_CLASS_SHIFT)
#define LAST_CLASS            (PRIORITY_CLASSES - 1)
#define HIGHEST_SUBCLASS      LAPIC_PRIORITY_SUBCLASS_MASK
/* The blocked vector: high in its class, but never 0xff, the spurious
 * vector (SDM Vol. 3A 11.9: no fixed interrupts on it). */
#define BLOCKED_SUBCLASS      0xe
/* A subclass written with the class, to show it neither blocks nor leaks. */
#define SOME_SUBCLASS         0xa

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

static void tpr_class_by_register(unsigned cls)
{
    lapic_write(LAPIC_TPR, class_vector(cls, SOME_SUBCLASS));
}

/* SDM Vol. 3A 11.8.6.1: CR8[3:0] is TPR[7:4]. */
static void tpr_class_by_cr8(unsigned cls)
{
    write_cr8(cls);
}

/* SDM Vol. 3A 11.8.3.1: the APIC delivers only vectors whose class is above
 * the processor-priority class, which with an empty ISR is the TPR class.
 * For every class c: a high vector of class c stays pending, the
 * lowest vector of class c+1 arrives; lowering the TPR to c-1 lets the first
 * through, exactly once. */
static void tpr_blocks_its_class_and_below(void (*set_class)(unsigned cls))
{
    for (unsigned cls = FIRST_INTERRUPT_CLASS; cls <= LAST_CLASS; cls++) {
        uint8_t blocked = class_vector(cls, BLOCKED_SUBCLASS);
        bool has_above = cls < LAST_CLASS;
        uint8_t above = has_above ? class_vector(cls + 1, 0) : 0;
        uint32_t above_count = has_above ? 1 : 0;

        log_reset();
        log_on_vector(blocked);
        if (has_above)
            log_on_vector(above);
        set_class(cls);
        send_self_ipi(blocked);
        if (has_above)
            send_self_ipi(above);
        wait_for_count(&case_log.count, above_count, ARRIVE_TIMEOUT_NS,
                       "the vector above the TPR class");
        interrupts_open_for(QUIET_NS);
        if (has_above && log_entries_of(above) != 1)
            FAIL("TPR class %u: vector 0x%02x (class %u) arrived %u times, expected 1", cls,
                 above, cls + 1, log_entries_of(above));
        if (log_entries_of(blocked) != 0)
            FAIL("TPR class %u: vector 0x%02x of the same class was delivered", cls, blocked);
        if (!lapic_vector_bit(LAPIC_IRR0, blocked))
            FAIL("TPR class %u: blocked vector 0x%02x is not pending in the IRR", cls, blocked);

        set_class(cls - 1);
        wait_for_count(&case_log.count, above_count + 1, ARRIVE_TIMEOUT_NS,
                       "the blocked vector after lowering the TPR");
        interrupts_open_for(QUIET_NS);
        if (log_entries_of(blocked) != 1)
            FAIL("TPR class %u -> %u: vector 0x%02x arrived %u times, expected 1", cls,
                 cls - 1, blocked, log_entries_of(blocked));
        set_class(0);
    }
}

TEST_CASE_CONDITIONAL(tpr_register_blocks_every_class_at_or_below_its_own, lapic_usable(),
                      "SDM Vol. 3A 11.8.3.1")
{
    tpr_blocks_its_class_and_below(tpr_class_by_register);
}

TEST_CASE_CONDITIONAL(cr8_blocks_every_class_at_or_below_its_own, lapic_usable(),
                      "SDM Vol. 3A 11.8.6")
{
    tpr_blocks_its_class_and_below(tpr_class_by_cr8);
}

/* SDM Vol. 3A 11.8.6.1: a write to CR8 sets TPR[7:4] and clears TPR[3:0];
 * CR8 reads TPR[7:4], whichever way the TPR was written. */
TEST_CASE_CONDITIONAL(cr8_and_the_tpr_register_are_one_register, lapic_usable(),
                      "SDM Vol. 3A 11.8.6.1")
{
    for (unsigned cls = 0; cls <= LAST_CLASS; cls++) {
        lapic_write(LAPIC_TPR, class_vector(LAST_CLASS - cls, HIGHEST_SUBCLASS));
        write_cr8(cls);
        if (lapic_read(LAPIC_TPR) != class_vector(cls, 0))
            FAIL("CR8 = %u: TPR register reads 0x%02x, expected 0x%02x", cls,
                 lapic_read(LAPIC_TPR), class_vector(cls, 0));
        if (read_cr8() != cls)
            FAIL("CR8 = %u reads back %llu", cls, (unsigned long long)read_cr8());
        lapic_write(LAPIC_TPR, class_vector(cls, SOME_SUBCLASS));
        if (read_cr8() != cls)
            FAIL("TPR = 0x%02x: CR8 reads %llu, expected %u", class_vector(cls, SOME_SUBCLASS),
                 (unsigned long long)read_cr8(), cls);
    }
}

/* lapic-modes: the error status register and the error LVT: an illegal
 * vector, sent or received, is recorded and interrupts through the LVT
 * (SDM Vol. 3A 11.5.3). */
#include "modes.h"

#include "cpu/cpu.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

#define ONESHOT_COUNT  1000u   /* 1 us at a 1 GHz timer, 40 us at 25 MHz */
#define EXPIRY_NS      (2ull * 1000000ull)

/* "A write (of any value) to the ESR must be done just prior to reading
 * the ESR to update the register"; "back-to-back writes clear" it. The
 * error LVT is unmasked, since some processors record no error while it is
 * masked (older SDM 11.5.3), and counted. */
static struct irq_counter arm_error_lvt(void)
{
    struct irq_counter errors = irq_counter_on(ERROR_VECTOR, EOI_LAPIC);
    lapic_write(LAPIC_LVT_ERROR, ERROR_VECTOR);
    lapic_write(LAPIC_ESR, 0);
    lapic_write(LAPIC_ESR, 0);
    return errors;
}

static uint32_t read_esr(void)
{
    lapic_write(LAPIC_ESR, 0);
    return lapic_read(LAPIC_ESR);
}

/* Bit 5: "Set when the local APIC detects an illegal vector (one in the
 * range 0 to 15) in the message that it is sending. This occurs as the
 * result of a write to the ICR (in both xAPIC and x2APIC modes)". The
 * error interrupt follows; vector 15 itself never arrives (it would show
 * as an exception the case did not expect). A self-IPI is also received
 * by this APIC, which bit 6 covers ("... or via a self IPI"): the SDM does
 * not say whether the two errors raise one error interrupt or two, so at
 * least one is what the case asks. */
static void icr_illegal_vector_sets_send_illegal(enum lapic_mode mode)
{
    enter_mode(mode);
    struct irq_counter errors = arm_error_lvt();
    lapic_self_ipi(ILLEGAL_VECTOR);
    uint32_t error_irqs = irq_wait(&errors, 1, ERROR_LIMIT_NS, WAIT_SPIN);
    ASSERT_TRUE(read_esr() & LAPIC_ESR_SEND_ILLEGAL_VECTOR);
    ASSERT_GE(error_irqs, 1u);
}

INTERFACE_CASES(lapic_icr_illegal_vector_sets_send_illegal_vector,
                icr_illegal_vector_sets_send_illegal, "SDM Vol. 3A 11.5.3")

/* Bit 5 again, through the x2APIC SELF IPI register (SDM 11.5.3: "or to
 * SELF IPI register (x2APIC mode only)"). */
TEST_CASE_CONDITIONAL(x2apic_self_ipi_illegal_vector_sets_send_illegal_vector,
                      x2apic_usable(), "SDM Vol. 3A 11.5.3")
{
    enter_mode(LAPIC_MODE_X2APIC);
    struct irq_counter errors = arm_error_lvt();
    wrmsr(MSR_X2APIC(LAPIC_SELF_IPI), ILLEGAL_VECTOR);
    uint32_t error_irqs = irq_wait(&errors, 1, ERROR_LIMIT_NS, WAIT_SPIN);
    ASSERT_TRUE(read_esr() & LAPIC_ESR_SEND_ILLEGAL_VECTOR);
    ASSERT_GE(error_irqs, 1u);
}

/* Bit 6: "Set when the local APIC detects an illegal vector ... in an
 * interrupt generated locally from the local vector table ... Such
 * interrupts are not be delivered to the processor". A one-shot timer on
 * vector 15. (SDM 11.5.2: writing an illegal vector to an LVT "may"
 * already signal an error, so one or two error interrupts.) */
static void lvt_illegal_vector_sets_receive_illegal(enum lapic_mode mode)
{
    timer_service_release();
    enter_mode(mode);
    struct irq_counter errors = arm_error_lvt();
    lapic_timer_start(LAPIC_TIMER_ONESHOT, ILLEGAL_VECTOR, ONESHOT_COUNT, LAPIC_DIVIDE_1);
    delay_ns(EXPIRY_NS);
    ASSERT_EQ(lapic_read(LAPIC_TIMER_CURRENT), 0u);
    uint32_t error_irqs = irq_wait(&errors, 1, ERROR_LIMIT_NS, WAIT_SPIN);
    ASSERT_TRUE(read_esr() & LAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
    ASSERT_GE(error_irqs, 1u);
}

INTERFACE_CASES(lapic_lvt_illegal_vector_sets_receive_illegal_vector,
                lvt_illegal_vector_sets_receive_illegal, "SDM Vol. 3A 11.5.3")

/* "Back-to-back writes clear the ESR register": after an error was read,
 * the next write-then-read finds nothing. */
static void back_to_back_writes_clear(enum lapic_mode mode)
{
    enter_mode(mode);
    struct irq_counter errors = arm_error_lvt();
    lapic_self_ipi(ILLEGAL_VECTOR);
    (void)irq_wait(&errors, 1, ERROR_LIMIT_NS, WAIT_SPIN);
    ASSERT_NE(read_esr(), 0u);
    ASSERT_EQ(read_esr(), 0u);
}

INTERFACE_CASES(lapic_esr_is_cleared_by_back_to_back_writes, back_to_back_writes_clear,
                "SDM Vol. 3A 11.5.3")

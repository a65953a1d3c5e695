/* ipi: when an accepted IPI is serviced: held in IRR while the target has
 * IF=0, taken after STI; and the sender's ICR delivery status. */
#include "ipi.h"

#include "cpu/cpu.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

/* SDM Vol. 3A 11.8.4 and 6.8.1: the target LAPIC accepts the fixed IPI
 * into IRR, but the CPU takes it only once IF=1: none arrives during the
 * IF=0 window, IRR shows it pending, exactly one arrives after STI. */
TEST_CASE_CONDITIONAL(fixed_ipi_to_an_ap_with_if_clear_waits_in_irr_until_sti,
                      second_cpu_listed(), "SDM Vol. 3A 11.8.4")
{
    ipi_case_begin();
    struct ipi_send s = { BSP_CPU, smp_apic_id(FIRST_AP), LAPIC_DM_FIXED | IPI_VECTOR };
    struct ipi_seen seen =
        ipi_send_while_listening(s, IPI_VECTOR, LISTEN_IF_CLEAR, cpu_bit(FIRST_AP));
    ASSERT_EQ(seen.hits_while_if_clear[FIRST_AP], 0u);
    ASSERT_TRUE(seen.irr_while_if_clear[FIRST_AP]);
    expect_delivered_to(&seen, cpu_bit(FIRST_AP), "after STI");
}

static bool icr_send_pending(void)
{
    return lapic_read(LAPIC_ICR) & LAPIC_DELIVERY_PENDING;
}

/* SDM Vol. 3A 11.6.1, Delivery Status: "Idle" once the LAPIC has
 * completed sending the IPI. Completion means the target accepted it, not
 * that it was serviced: the AP idles with IF=0 here and takes the IPI only
 * afterwards. (x2APIC has no delivery status bit: 11.12.9.) */
TEST_CASE_CONDITIONAL(icr_delivery_status_goes_idle_while_the_target_has_if_clear,
                      second_cpu_listed() && lapic_mode() == LAPIC_MODE_XAPIC,
                      "SDM Vol. 3A 11.6.1")
{
    ipi_case_begin();
    lapic_send_ipi(smp_apic_id(FIRST_AP), LAPIC_DM_FIXED | IPI_VECTOR);
    uint64_t start = rdtsc();
    deadline_t d = deadline_after(SMP_ICR_IDLE_TIMEOUT_NS);
    bool pending;
    while ((pending = icr_send_pending()) && !deadline_passed(d))
        pause();
    protocol_benchmark("icr_idle_after_send", "ns", (int64_t)tsc_to_ns(rdtsc() - start));
    ASSERT_FALSE(pending);
    ASSERT_EQ(ipi_hits(FIRST_AP, IPI_VECTOR), 0u);    /* not serviced yet */
    run_on_every_cpu(accept_pending_interrupts, 0);
    ASSERT_EQ(ipi_hits(FIRST_AP, IPI_VECTOR), 1u);
    ASSERT_EQ(ipi_hits(BSP_CPU, IPI_VECTOR), 0u);
}

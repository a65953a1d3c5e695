/* ipi: fixed and NMI IPIs by physical APIC ID and by destination
 * shorthand (SDM Vol. 3A 11.6.1, 11.6.2.1, 11.6.2.3). */
#include "ipi.h"

#include "cpu/cpu.h"
#include "drivers/acpi.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

/* An NMI needs no listening job: it arrives with IF=0 (SDM Vol. 3A 6.8.1),
 * so the APs sit in their mailbox loop. */

static uint32_t fixed(uint8_t vector)
{
    return LAPIC_DM_FIXED | vector;
}

/* SDM Vol. 3A 11.6.2.1: a fixed IPI by physical APIC ID reaches that APIC
 * only, whether the target vCPU runs (spin) or sleeps in HLT (SDM Vol. 2A
 * HLT: an enabled interrupt resumes it). */
static void fixed_ipi_reaches_only_the_destination(enum listen_mode mode)
{
    ipi_case_begin();
    struct ipi_send s = { BSP_CPU, smp_apic_id(FIRST_AP), fixed(IPI_VECTOR) };
    struct ipi_seen seen = ipi_send_while_listening(s, IPI_VECTOR, mode, cpu_bit(FIRST_AP));
    expect_delivered_to(&seen, cpu_bit(FIRST_AP), "fixed IPI to the AP's APIC ID");
    /* Whether the AP had reached HLT depends on host scheduling too: a
     * figure, not a verdict. */
    if (mode == LISTEN_HLT)
        protocol_printf("- the IPI found the AP halted: %s\n",
                        seen.hits_in_hlt[FIRST_AP] ? "yes" : "no (it had not reached HLT yet)");
}

TEST_CASE_CONDITIONAL(fixed_ipi_reaches_only_the_destination_apic_spinning, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.2.1")
{
    fixed_ipi_reaches_only_the_destination(LISTEN_SPIN);
}

TEST_CASE_CONDITIONAL(fixed_ipi_wakes_only_the_destination_apic_halted, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.2.1")
{
    fixed_ipi_reaches_only_the_destination(LISTEN_HLT);
}

/* SDM Vol. 3A 11.6.1: any LAPIC sends IPIs; an AP's reaches the BSP. */
TEST_CASE_CONDITIONAL(fixed_ipi_from_an_ap_reaches_the_bsp, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    ipi_case_begin();
    struct ipi_send s = { FIRST_AP, smp_apic_id(BSP_CPU), fixed(IPI_VECTOR) };
    expect_ipi_delivery(s, IPI_VECTOR, LISTEN_SPIN, cpu_bit(BSP_CPU),
                        "fixed IPI from the AP to the BSP's APIC ID");
}

/* ---- destination shorthands (SDM Vol. 3A 11.6.1, ICR bits 19:18) ---- */

struct shorthand {
    const char *name;
    uint32_t icr_bits;
    /* Who gets it, given the sender. */
    uint32_t (*receivers)(unsigned sender);
};

static uint32_t only_sender(unsigned sender)
{
    return cpu_bit(sender);
}

static uint32_t all_but_sender(unsigned sender)
{
    return all_cpus_mask() & ~cpu_bit(sender);
}

static uint32_t everyone(unsigned sender)
{
    (void)sender;
    return all_cpus_mask();
}

static const struct shorthand self_shorthand = { "self", LAPIC_SHORTHAND_SELF, only_sender };
static const struct shorthand all_shorthand = { "all including self", LAPIC_SHORTHAND_ALL, everyone };
static const struct shorthand others_shorthand = { "all excluding self", LAPIC_SHORTHAND_OTHERS,
                                                   all_but_sender };

/* The destination field is ignored with a shorthand: it names a CPU the
 * shorthand must not be confused with. Sent once from the BSP, once from
 * the first AP. */
static void shorthand_reaches_its_cpus(const struct shorthand *sh)
{
    ipi_case_begin();
    static const unsigned senders[] = { BSP_CPU, FIRST_AP };
    for (unsigned i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
        unsigned sender = senders[i];
        unsigned other = sender == BSP_CPU ? FIRST_AP : BSP_CPU;
        struct ipi_send s = { sender, smp_apic_id(other), sh->icr_bits | fixed(IPI_VECTOR) };
        expect_ipi_delivery(s, IPI_VECTOR, LISTEN_SPIN, sh->receivers(sender),
                            sender == BSP_CPU ? "sent by the BSP" : "sent by the AP");
    }
}

TEST_CASE_CONDITIONAL(self_shorthand_reaches_only_the_sender, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    shorthand_reaches_its_cpus(&self_shorthand);
}

TEST_CASE_CONDITIONAL(all_including_self_shorthand_reaches_every_cpu, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    shorthand_reaches_its_cpus(&all_shorthand);
}

TEST_CASE_CONDITIONAL(all_excluding_self_shorthand_reaches_every_other_cpu, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    shorthand_reaches_its_cpus(&others_shorthand);
}

/* SDM Vol. 3A 11.6.2.1 (xAPIC: ID FFH) and 11.12.9 (x2APIC: FFFF_FFFFH):
 * the all-ones physical destination broadcasts to all APICs. We read "all"
 * as including the sender, as the all-including-self shorthand does; the
 * SDM says "all local APICs" and names no exception. */
TEST_CASE_CONDITIONAL(all_ones_physical_destination_broadcasts_to_every_cpu, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.2.1")
{
    ipi_case_begin();
    uint32_t broadcast = lapic_mode() == LAPIC_MODE_X2APIC ? LAPIC_X2APIC_BROADCAST_ID
                                                          : LAPIC_XAPIC_BROADCAST_ID;
    struct ipi_send s = { BSP_CPU, broadcast, fixed(IPI_VECTOR) };
    expect_ipi_delivery(s, IPI_VECTOR, LISTEN_SPIN, all_cpus_mask(),
                        "fixed IPI to the broadcast ID");
}

static bool listed_in_madt(uint32_t id)
{
    const struct acpi_info *a = acpi_get();
    for (unsigned i = 0; i < a->lapic_count; i++)
        if (a->lapic_ids[i] == id)
            return true;
    return id == smp_apic_id(BSP_CPU);
}

/* The lowest APIC ID no CPU has (and not the broadcast ID). */
static uint32_t absent_apic_id(void)
{
    uint32_t id = 0;
    while (listed_in_madt(id))
        id++;
    return id;
}

/* SDM Vol. 3A 11.6.2.1: only the APIC whose ID matches accepts a physical
 * IPI; to an ID no CPU has, nobody does. */
TEST_CASE_CONDITIONAL(fixed_ipi_to_an_absent_apic_id_reaches_no_cpu, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.2.1")
{
    ipi_case_begin();
    uint32_t id = absent_apic_id();
    ASSERT_LT(id, LAPIC_XAPIC_BROADCAST_ID);
    struct ipi_send s = { BSP_CPU, id, fixed(IPI_VECTOR) };
    expect_ipi_delivery(s, IPI_VECTOR, LISTEN_SPIN, 0, "fixed IPI to an absent APIC ID");
}

/* ---- NMI (SDM Vol. 3A 11.6.1 delivery mode 100b) ---- */

/* Waits until every CPU in `mask` has had one NMI (bounded), then a quiet
 * while for duplicates. */
static void wait_for_nmis(uint32_t mask)
{
    deadline_t d = deadline_after(ARRIVAL_TIMEOUT_NS);
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        while ((mask & cpu_bit(cpu)) && !ipi_hits(cpu, X86_EXC_NMI) && !deadline_passed(d))
            pause();
    delay_ns(mask ? DUPLICATE_WINDOW_NS : QUIET_WINDOW_NS);
}

static struct ipi_seen nmis_seen(void)
{
    struct ipi_seen seen = { .completed = true };
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        seen.hits[cpu] = ipi_hits(cpu, X86_EXC_NMI);
    return seen;
}

/* An NMI IPI is taken with IF=0 (the APs idle with interrupts disabled),
 * and "the vector information is ignored": the vector field names a
 * vector that must not arrive. */
static void nmi_reaches(uint32_t dest, uint32_t shorthand, uint32_t receivers, const char *what)
{
    ipi_case_begin();
    ASSERT_TRUE(smp_send_ipi(dest, LAPIC_DM_NMI | shorthand | IPI_VECTOR));
    wait_for_nmis(receivers);
    struct ipi_seen seen = nmis_seen();
    expect_delivered_to(&seen, receivers, what);
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        if (ipi_hits(cpu, IPI_VECTOR))
            FAIL("CPU %u took vector 0x%x: an NMI IPI's vector field must be ignored", cpu,
                 IPI_VECTOR);
}

TEST_CASE_CONDITIONAL(nmi_ipi_reaches_an_ap_with_interrupts_disabled, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    nmi_reaches(smp_apic_id(FIRST_AP), LAPIC_SHORTHAND_NONE, cpu_bit(FIRST_AP),
                "NMI IPI to the AP's APIC ID");
}

TEST_CASE_CONDITIONAL(nmi_all_excluding_self_reaches_every_ap, second_cpu_listed(),
                      "SDM Vol. 3A 11.6.1")
{
    nmi_reaches(0, LAPIC_SHORTHAND_OTHERS, all_cpus_mask() & ~cpu_bit(BSP_CPU),
                "NMI IPI to all excluding self");
}

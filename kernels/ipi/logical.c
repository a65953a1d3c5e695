/* ipi: logical destinations: the xAPIC flat and cluster models (DFR, LDR),
 * the x2APIC cluster model (LDR derived from the x2APIC ID), and
 * lowest-priority delivery (SDM Vol. 3A 11.6.2.2, 11.6.2.4, 11.12.10). */
#include "ipi.h"

#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timer_service.h"

#define XAPIC_LOGICAL_BITS   8     /* LDR[31:24], the MDA in ICR[63:56] */
#define CLUSTER_MEMBERS      4     /* xAPIC cluster model: MDA bits 27:24 */
#define CLUSTER_SHIFT        4     /* cluster address in MDA bits 31:28 */
#define ALL_ONES_MDA         0xffu /* matches every APIC in both models */
#define UNUSED_CLUSTER       0xeu  /* clusters 0-14 are addressable; we use 1 and 2 */

/* ---- xAPIC: every CPU gets the DFR model and its logical ID ---- */

static struct {
    uint32_t dfr;
    uint8_t id[SMP_MAX_CPUS];
} logical;

/* SDM Vol. 3A 11.6.2.2, notes: "If you are using cluster mode, DFRs must be
 * programmed before the APIC is software enabled": software-disable,
 * program, enable. That masks every LVT (11.4.7.2), the BSP's watchdog
 * timer too, so the BSP re-arms it. */
static void program_logical_id(void *unused)
{
    (void)unused;
    unsigned me = smp_this_cpu();
    uint32_t svr = lapic_read(LAPIC_SVR);
    lapic_write(LAPIC_SVR, svr & ~LAPIC_SVR_ENABLE);
    lapic_write(LAPIC_DFR, logical.dfr);
    lapic_write(LAPIC_LDR, (uint32_t)logical.id[me] << LAPIC_LDR_XAPIC_ID_SHIFT);
    lapic_write(LAPIC_SVR, svr);
    if (me == BSP_CPU)
        watchdog_arm(WATCHDOG_DEFAULT_NS);
}

/* SDM Vol. 3A 11.6.2.2: all APICs of a system use the same model. */
static void use_logical_model(uint32_t dfr, uint8_t (*id_of)(unsigned cpu))
{
    logical.dfr = dfr;
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        logical.id[cpu] = id_of(cpu);
    run_on_every_cpu(program_logical_id, 0);
}

/* Flat model: one bit per CPU. SMP_MAX_CPUS is 8, so every CPU has one. */
static uint8_t flat_id(unsigned cpu)
{
    return (uint8_t)(1u << cpu);
}

/* Cluster model: four CPUs per cluster, clusters from 1 on. */
static uint8_t cluster_id(unsigned cpu)
{
    return (uint8_t)(((1u + cpu / CLUSTER_MEMBERS) << CLUSTER_SHIFT) |
                     (1u << (cpu % CLUSTER_MEMBERS)));
}

struct logical_destination {
    const char *what;
    uint32_t mda;
    uint32_t receivers;     /* CPU mask */
};

static void send_to_each(const struct logical_destination *d, unsigned n, uint32_t delivery)
{
    for (unsigned i = 0; i < n; i++) {
        struct ipi_send s = { BSP_CPU, d[i].mda, LAPIC_DEST_LOGICAL | delivery | IPI_VECTOR };
        expect_ipi_delivery(s, IPI_VECTOR, LISTEN_SPIN, d[i].receivers, d[i].what);
    }
}

static bool xapic_with_second_cpu(void)
{
    return second_cpu_listed() && lapic_mode() == LAPIC_MODE_XAPIC;
}

/* SDM Vol. 3A 11.6.2.2, flat model (DFR 1111b): an APIC accepts when its
 * LDR bits and the MDA have a bit in common; all ones reaches every APIC. */
TEST_CASE_CONDITIONAL(flat_logical_destination_reaches_the_cpus_whose_ldr_bit_is_set,
                      xapic_with_second_cpu(), "SDM Vol. 3A 11.6.2.2")
{
    ipi_case_begin();
    use_logical_model(LAPIC_DFR_FLAT, flat_id);
    const struct logical_destination destinations[] = {
        { "MDA = the AP's bit", flat_id(FIRST_AP), cpu_bit(FIRST_AP) },
        { "MDA = the BSP's and the AP's bits", flat_id(BSP_CPU) | flat_id(FIRST_AP),
          cpu_bit(BSP_CPU) | cpu_bit(FIRST_AP) },
        { "MDA = all ones", ALL_ONES_MDA, all_cpus_mask() },
    };
    send_to_each(destinations, sizeof(destinations) / sizeof(destinations[0]), LAPIC_DM_FIXED);
    if (smp_cpu_count() < XAPIC_LOGICAL_BITS) {
        const struct logical_destination nobody = {
            "MDA = a bit no CPU has", 1u << (XAPIC_LOGICAL_BITS - 1), 0 };
        send_to_each(&nobody, 1, LAPIC_DM_FIXED);
    }
}

/* SDM Vol. 3A 11.6.2.2, flat cluster model (DFR 0000b): MDA bits 31:28
 * must equal the cluster in LDR bits 31:28, and bits 27:24 select members
 * within it; an all-ones MDA "guarantees a match on all clusters and
 * selects all APICs in each cluster".
 * In doubt on real hardware: the SDM documents the flat cluster model for
 * P6 and Pentium processors only; later ones use the hierarchical model,
 * whose per-APIC match is the same but whose clusters a cluster manager
 * connects. A bare-metal baseline decides; KVM, QEMU and Bochs all
 * model the flat cluster match. */
TEST_CASE_CONDITIONAL(cluster_logical_destination_matches_cluster_and_member_bits,
                      xapic_with_second_cpu(), "SDM Vol. 3A 11.6.2.2")
{
    ipi_case_begin();
    use_logical_model(LAPIC_DFR_CLUSTER, cluster_id);
    uint32_t members = (cluster_id(BSP_CPU) | cluster_id(FIRST_AP)) & (ALL_ONES_MDA >> CLUSTER_SHIFT);
    const struct logical_destination destinations[] = {
        { "MDA = the AP's cluster and member bit", cluster_id(FIRST_AP), cpu_bit(FIRST_AP) },
        { "MDA = cluster 1, the BSP's and the AP's member bits",
          cluster_id(BSP_CPU) | cluster_id(FIRST_AP), cpu_bit(BSP_CPU) | cpu_bit(FIRST_AP) },
        { "MDA = an unused cluster, the same member bits",
          (UNUSED_CLUSTER << CLUSTER_SHIFT) | members, 0 },
        { "MDA = all ones", ALL_ONES_MDA, all_cpus_mask() },
    };
    send_to_each(destinations, sizeof(destinations) / sizeof(destinations[0]), LAPIC_DM_FIXED);
}

/* SDM Vol. 3A 11.6.2.4 and 11.6.1: a lowest-priority IPI goes to one
 * processor of the destination set. Which one is model specific (the
 * chipset may arbitrate, TPR values may be stale), and the SDM even calls
 * the ability to send lowest-priority IPIs model specific. All it
 * guarantees, and all we assert: no CPU outside the set, and never more
 * than one interrupt in total. Who got it is printed. */
TEST_CASE_CONDITIONAL(lowest_priority_ipi_reaches_at_most_one_cpu_of_the_set,
                      xapic_with_second_cpu(), "SDM Vol. 3A 11.6.2.4")
{
    ipi_case_begin();
    use_logical_model(LAPIC_DFR_FLAT, flat_id);
    uint32_t set = cpu_bit(BSP_CPU) | cpu_bit(FIRST_AP);
    struct ipi_send s = { BSP_CPU, flat_id(BSP_CPU) | flat_id(FIRST_AP),
                          LAPIC_DEST_LOGICAL | LAPIC_DM_LOWEST | IPI_VECTOR };
    struct ipi_seen seen = ipi_send_while_listening(s, IPI_VECTOR, LISTEN_SPIN, set);
    uint32_t total = 0;
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++) {
        if (seen.hits[cpu])
            protocol_printf("- lowest priority: CPU %u (APIC ID %u) got %u\n", cpu,
                            smp_apic_id(cpu), seen.hits[cpu]);
        if (!(set & cpu_bit(cpu)))
            ASSERT_EQ(seen.hits[cpu], 0u);
        total += seen.hits[cpu];
    }
    ASSERT_LE(total, 1u);
}

/* ---- x2APIC cluster model (SDM Vol. 3A 11.12.10) ---- */

static struct {
    uint32_t id[SMP_MAX_CPUS];
    uint32_t ldr[SMP_MAX_CPUS];
} x2apic;

static void read_x2apic_ids(void *unused)
{
    (void)unused;
    unsigned me = smp_this_cpu();
    x2apic.id[me] = lapic_id();
    x2apic.ldr[me] = lapic_read(LAPIC_LDR);
}

static uint32_t derived_logical_id(uint32_t x2apic_id)
{
    return ((x2apic_id >> X2APIC_ID_CLUSTER_SHIFT) << LAPIC_LDR_X2APIC_CLUSTER_SHIFT) |
           (1u << (x2apic_id & X2APIC_ID_MEMBER_MASK));
}

/* The BSP goes to x2APIC mode (the framework takes it back after the
 * case); the APs follow its mode in their reset job. Then every CPU reads
 * its x2APIC ID and LDR. */
static void enter_x2apic_everywhere(void)
{
    ipi_case_begin();
    ASSERT_NO_EXCEPTION(lapic_set_mode(LAPIC_MODE_X2APIC));
    if (!smp_reset_aps(AP_RESPONSE_NS))
        FAIL("an AP did not follow the BSP into x2APIC mode");
    run_on_every_cpu(read_x2apic_ids, 0);
}

static bool x2apic_with_second_cpu(void)
{
    return second_cpu_listed() && cpu_has_x2apic();
}

/* SDM Vol. 3A 11.12.10.2: in x2APIC mode the LDR is read-only and holds
 * (x2APIC ID[19:4] << 16) | (1 << x2APIC ID[3:0]). */
TEST_CASE_CONDITIONAL(x2apic_logical_ids_derive_from_the_x2apic_ids, x2apic_with_second_cpu(),
                      "SDM Vol. 3A 11.12.10.2")
{
    enter_x2apic_everywhere();
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++) {
        if (!smp_cpu_online(cpu))
            continue;
        if (x2apic.ldr[cpu] != derived_logical_id(x2apic.id[cpu]))
            FAIL("CPU %u: x2APIC ID 0x%x, LDR 0x%x, expected 0x%x", cpu, x2apic.id[cpu],
                 x2apic.ldr[cpu], derived_logical_id(x2apic.id[cpu]));
    }
}

/* The lowest cluster (LDR[31:16]) no online CPU is in, in LDR position. */
static uint32_t unused_x2apic_cluster(void)
{
    for (uint32_t cluster = 0;; cluster++) {
        bool used = false;
        for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
            used |= smp_cpu_online(cpu) &&
                    x2apic.ldr[cpu] >> LAPIC_LDR_X2APIC_CLUSTER_SHIFT == cluster;
        if (!used)
            return cluster << LAPIC_LDR_X2APIC_CLUSTER_SHIFT;
    }
}

/* SDM Vol. 3A 11.12.10.1: a logical x2APIC destination names a cluster
 * (31:16) and members (15:0): software ORs the LDRs of CPUs in one
 * cluster. A cluster no CPU is in reaches nobody. */
TEST_CASE_CONDITIONAL(x2apic_cluster_destination_reaches_the_addressed_cpus,
                      x2apic_with_second_cpu(), "SDM Vol. 3A 11.12.10.1")
{
    enter_x2apic_everywhere();
    uint32_t ap = x2apic.ldr[FIRST_AP], bsp = x2apic.ldr[BSP_CPU];
    uint32_t cluster_mask = ~0u << LAPIC_LDR_X2APIC_CLUSTER_SHIFT;
    struct logical_destination destinations[3] = {
        { "destination = the AP's LDR", ap, cpu_bit(FIRST_AP) },
        { "destination = the AP's member bit in a cluster no CPU is in",
          unused_x2apic_cluster() | (ap & ~cluster_mask), 0 },
        { "destination = the BSP's LDR", bsp, cpu_bit(BSP_CPU) },
    };
    if ((ap & cluster_mask) == (bsp & cluster_mask))
        destinations[2] = (struct logical_destination){
            "destination = the BSP's and the AP's LDRs ORed (one cluster)", ap | bsp,
            cpu_bit(BSP_CPU) | cpu_bit(FIRST_AP) };
    send_to_each(destinations, sizeof(destinations) / sizeof(destinations[0]), LAPIC_DM_FIXED);
}

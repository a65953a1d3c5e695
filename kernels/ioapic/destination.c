/* ioapic: whom a redirection entry reaches: physical and logical (flat)
 * destinations, lowest-priority delivery, NMI delivery. The PIT's one-shot
 * (ISA IRQ0 through the MADT's route) is the source throughout. */
#include "delivery.h"

#include "cpu/processor-flags.h"
#include "drivers/acpi.h"
#include "drivers/pit.h"
#include "time/timebase.h"

#define DEST_VECTOR         0x80
#define THIS_CPU_LOGICAL_ID 0x01u       /* flat model: one bit per CPU */
#define OTHER_LOGICAL_ID    0x02u
#define PIT_SHORT_COUNT     100u
#define WAIT_FOR_ONE_NS     ms(20)
#define QUIET_NS            ms(5)
#define NOT_DELIVERED_NS    ms(10)
#define XAPIC_BROADCAST_ID  0xffu

static bool xapic_and_ioapic(void)
{
    return ioapic_usable() && lapic_mode() == LAPIC_MODE_XAPIC;
}

static void route_pit(uint64_t entry)
{
    unsigned index, pin;
    if (!ioapic_route_isa_irq(PIT_ISA_IRQ, entry, &index, &pin))
        FAIL("no IOAPIC serves ISA IRQ0");
}

static uint64_t dest(uint32_t id)
{
    return (uint64_t)id << IOAPIC_REDIR_DEST_SHIFT;
}

/* SDM Vol. 3A 11.6.2.2: the flat model (DFR 1111b), this CPU's logical ID
 * one bit of the LDR. */
struct logical_ids { uint32_t ldr, dfr; };

static struct logical_ids flat_model_with_id(uint32_t logical_id)
{
    struct logical_ids saved = { lapic_read(LAPIC_LDR), lapic_read(LAPIC_DFR) };
    lapic_write(LAPIC_DFR, LAPIC_DFR_FLAT);
    lapic_write(LAPIC_LDR, logical_id << LAPIC_LDR_XAPIC_ID_SHIFT);
    return saved;
}

static void restore_logical_ids(struct logical_ids saved)
{
    lapic_write(LAPIC_DFR, saved.dfr);
    lapic_write(LAPIC_LDR, saved.ldr);
}

/* 82093AA 3.2.4 (destination mode 1) and SDM Vol. 3A 11.6.2.2: a logical
 * destination reaches every CPU whose LDR bit it names (flat model). */
static void logical_destination_reaches_this_cpu(enum wait_mode mode)
{
    struct irq_counter irqs = irq_counter_on(DEST_VECTOR, EOI_LAPIC);
    route_pit(DEST_VECTOR | IOAPIC_REDIR_DM_FIXED | IOAPIC_REDIR_LOGICAL | dest(THIS_CPU_LOGICAL_ID));
    struct logical_ids saved = flat_model_with_id(THIS_CPU_LOGICAL_ID);
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    uint32_t got = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode);
    restore_logical_ids(saved);
    ASSERT_EQ(got, 1);
}
WAIT_MODE_CASES(ioapic_logical_flat_destination_reaches_this_cpu, xapic_and_ioapic(),
                "82093AA 3.2.4; SDM Vol. 3A 11.6.2.2", logical_destination_reaches_this_cpu)

/* A message nobody accepted is gone: re-aimed at this CPU, the entry
 * delivers nothing, for the PIT's OUT stays high after its one edge (8254
 * mode 0) and makes no new one. On the system bus (every xAPIC since the
 * Pentium 4) an interrupt message no APIC claims is simply lost; the P6
 * APIC bus ended it with a send-accept error, not a retry (SDM Vol. 3A
 * 11.5.3). An IOAPIC that held it pending would deliver it now, into
 * whatever case programs the pin next. */
static uint32_t delivered_after_reaiming(const struct irq_counter *irqs, uint64_t entry)
{
    route_pit(entry);
    return irq_quiet_for(irqs, NOT_DELIVERED_NS);
}

/* SDM Vol. 3A 11.6.2.2: a logical destination that shares no bit with
 * this CPU's logical ID is not accepted here, nor later. */
TEST_CASE_CONDITIONAL(ioapic_logical_destination_outside_the_ldr_is_not_accepted,
                      xapic_and_ioapic(), "SDM Vol. 3A 11.6.2.2")
{
    struct irq_counter irqs = irq_counter_on(DEST_VECTOR, EOI_LAPIC);
    uint64_t entry = DEST_VECTOR | IOAPIC_REDIR_DM_FIXED | IOAPIC_REDIR_LOGICAL;
    route_pit(entry | dest(OTHER_LOGICAL_ID));
    struct logical_ids saved = flat_model_with_id(THIS_CPU_LOGICAL_ID);
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    uint32_t got = irq_quiet_for(&irqs, NOT_DELIVERED_NS);
    uint32_t later = delivered_after_reaiming(&irqs, entry | dest(THIS_CPU_LOGICAL_ID));
    restore_logical_ids(saved);
    ASSERT_EQ(got, 0);
    ASSERT_EQ(later, 0);
}

/* An APIC ID no CPU of the MADT has, below the xAPIC broadcast ID. */
static uint32_t absent_apic_id(void)
{
    const struct acpi_info *a = acpi_get();
    for (uint32_t id = 1; id < XAPIC_BROADCAST_ID; id++) {
        bool used = id == lapic_id();
        for (unsigned i = 0; i < a->lapic_count; i++)
            used |= a->lapic_ids[i] == id;
        if (!used)
            return id;
    }
    return 0;
}

/* SDM Vol. 3A 11.6.2.1: in physical mode only the LAPIC whose ID matches
 * accepts the message; this CPU takes nothing addressed to another ID,
 * nor later. */
TEST_CASE_CONDITIONAL(ioapic_physical_destination_of_another_apic_is_not_accepted,
                      ioapic_usable(), "SDM Vol. 3A 11.6.2.1")
{
    struct irq_counter irqs = irq_counter_on(DEST_VECTOR, EOI_LAPIC);
    uint64_t entry = DEST_VECTOR | IOAPIC_REDIR_DM_FIXED;
    route_pit(entry | dest(absent_apic_id()));
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    ASSERT_EQ(irq_quiet_for(&irqs, NOT_DELIVERED_NS), 0);
    ASSERT_EQ(delivered_after_reaiming(&irqs, entry | dest(lapic_id())), 0);
}

/* 82093AA 3.2.4 (delivery mode 001) and SDM Vol. 3A 11.6.2.4: lowest
 * priority delivery picks one CPU of the destination set; with this CPU
 * the only one named, it is delivered here. */
static void lowest_priority_reaches_the_only_target(enum wait_mode mode)
{
    struct irq_counter irqs = irq_counter_on(DEST_VECTOR, EOI_LAPIC);
    route_pit(DEST_VECTOR | IOAPIC_REDIR_DM_LOWEST | IOAPIC_REDIR_LOGICAL | dest(THIS_CPU_LOGICAL_ID));
    struct logical_ids saved = flat_model_with_id(THIS_CPU_LOGICAL_ID);
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    uint32_t got = irq_wait(&irqs, 1, WAIT_FOR_ONE_NS, mode);
    uint32_t more = irq_quiet_for(&irqs, QUIET_NS);
    restore_logical_ids(saved);
    ASSERT_EQ(got, 1);
    ASSERT_EQ(more, 0);
}
WAIT_MODE_CASES(ioapic_lowest_priority_reaches_the_only_target, xapic_and_ioapic(),
                "82093AA 3.2.4; SDM Vol. 3A 11.6.2.4", lowest_priority_reaches_the_only_target)

/* 82093AA 3.2.4 (delivery mode 100, edge, vector ignored): the pin raises
 * an NMI on the destination CPU, taken through IDT vector 2 even with
 * IF=0 around the wait. */
static void nmi_delivery_mode_raises_an_nmi(enum wait_mode mode)
{
    struct irq_counter nmis = irq_counter_on(X86_EXC_NMI, EOI_NONE);
    route_pit(IOAPIC_REDIR_DM_NMI | dest(lapic_id()));
    pit_channel0_start(PIT_MODE0, PIT_SHORT_COUNT);
    ASSERT_EQ(irq_wait(&nmis, 1, WAIT_FOR_ONE_NS, mode), 1);
    ASSERT_EQ(irq_quiet_for(&nmis, QUIET_NS), 0);
}
WAIT_MODE_CASES(ioapic_nmi_delivery_mode_raises_an_nmi, ioapic_usable(), "82093AA 3.2.4",
                nmi_delivery_mode_raises_an_nmi)

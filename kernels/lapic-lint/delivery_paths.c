/* The PIT's interrupt (ISA IRQ0) by every path the PC wires for it, each
 * delivered exactly once with the vector, 8259 and LAPIC bookkeeping the
 * manuals give; every path in a spin and a HLT variant. */
#include "cpu/cpu.h"
#include "cpu/processor-flags.h"
#include "cpu/vectors.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "legacy_wiring.h"
#include "test/irq.h"
#include "test/test.h"
#include "time/timebase.h"

#define PIC_IRQ0_VECTOR      (VECTOR_PIC_MASTER + PIT_ISA_IRQ)
#define IOAPIC_FIXED_VECTOR  0x48
#define LINT0_FIXED_VECTOR   0x49
#define LINT0_LEVEL_VECTOR   0x4a
/* The PIT fires after 1 ms; the rest is VMM latency headroom. */
#define ARRIVE_TIMEOUT_NS    ms(20)
/* A second delivery from the same edge would come within this. */
#define QUIET_NS             ms(5)

struct legacy_path {
    void (*route)(const struct legacy_path *p);
    uint32_t delivery;          /* LAPIC_DM_* of the LVT or RTE */
    bool level;                 /* LINT0 trigger mode */
    uint8_t lvt_vector;         /* in the LVT or RTE (fixed only) */
    uint8_t cpu_vector;         /* what the CPU receives */
    bool pic_irq0_unmasked;
    bool pic_acknowledges;      /* INTA cycle: 8259 ISR set, IRR cleared */
    bool lapic_in_service;      /* fixed: the vector enters the LAPIC ISR */
};

static uint64_t bsp_destination(void)
{
    return (uint64_t)lapic_id() << IOAPIC_REDIR_DEST_SHIFT;
}

static void route_lint0(const struct legacy_path *p)
{
    lapic_write(LAPIC_LVT_LINT0, p->delivery | p->lvt_vector |
                                     (p->level ? LAPIC_TRIGGER_LEVEL : 0));
}

/* 82093AA 3.2.4: ExtINT requires edge trigger; the vector comes from the
 * 8259 in the INTA cycle. */
static void route_pic_intr_pin_extint(const struct legacy_path *p)
{
    unsigned index, pin;
    if (!pic_intr_ioapic_pin(&index, &pin))
        FAIL("no IOAPIC pin for the 8259's INTR");
    ioapic_redir_write(index, pin, bsp_destination() | IOAPIC_REDIR_DM_EXTINT);
}

static void route_pit_pin_fixed(const struct legacy_path *p)
{
    unsigned index, pin;
    if (!ioapic_route_isa_irq(PIT_ISA_IRQ, bsp_destination() | IOAPIC_REDIR_DM_FIXED |
                                               p->lvt_vector, &index, &pin))
        FAIL("no IOAPIC pin serves ISA IRQ0");
}

/* 8259A datasheet: in the INTA sequence the 8259 sets the ISR bit and
 * clears the IRR bit of the acknowledged level. SDM Vol. 3A 11.5.1:
 * ExtINT makes the APIC route the INTA cycle to the external controller;
 * Fixed delivers the LVT's vector with no INTA, so the 8259 keeps IR0
 * requested (IRR set, ISR clear) and its INTR asserted. */
static const struct legacy_path pic_through_ioapic_extint = {   /* 8259 INTR -> INTIN0 */
    .route = route_pic_intr_pin_extint, .delivery = LAPIC_DM_EXTINT,
    .cpu_vector = PIC_IRQ0_VECTOR, .pic_irq0_unmasked = true, .pic_acknowledges = true,
};
static const struct legacy_path pic_through_lint0_extint = {    /* 8259 INTR -> LINT0 */
    .route = route_lint0, .delivery = LAPIC_DM_EXTINT,
    .cpu_vector = PIC_IRQ0_VECTOR, .pic_irq0_unmasked = true, .pic_acknowledges = true,
};
static const struct legacy_path pit_through_ioapic_fixed = {    /* OUT0 -> IOAPIC pin */
    .route = route_pit_pin_fixed, .delivery = LAPIC_DM_FIXED,
    .lvt_vector = IOAPIC_FIXED_VECTOR, .cpu_vector = IOAPIC_FIXED_VECTOR,
    .lapic_in_service = true,
};
static const struct legacy_path pic_through_lint0_fixed = {     /* 8259 INTR -> LINT0 */
    .route = route_lint0, .delivery = LAPIC_DM_FIXED,
    .lvt_vector = LINT0_FIXED_VECTOR, .cpu_vector = LINT0_FIXED_VECTOR,
    .pic_irq0_unmasked = true, .lapic_in_service = true,
};
static const struct legacy_path pic_through_lint0_fixed_level = {
    .route = route_lint0, .delivery = LAPIC_DM_FIXED, .level = true,
    .lvt_vector = LINT0_LEVEL_VECTOR, .cpu_vector = LINT0_LEVEL_VECTOR,
    .pic_irq0_unmasked = true, .lapic_in_service = true,
};
static const struct legacy_path pic_through_lint0_nmi = {       /* 8259 INTR -> LINT0 */
    .route = route_lint0, .delivery = LAPIC_DM_NMI,
    .cpu_vector = X86_EXC_NMI, .pic_irq0_unmasked = true,
};

/* Ends the interrupt where it is in service, as its handler would: the
 * 8259 after an INTA, the LAPIC for a fixed vector. A level-triggered
 * LINT0 would fire again at the EOI while the 8259 still asserts INTR, so
 * that path first masks IR0 at the 8259, as a driver quiets its device. */
static void end_interrupt(const struct legacy_path *p)
{
    if (p->pic_acknowledges)
        pic_eoi(PIT_ISA_IRQ);
    if (p->level)
        pic_set_mask(pic_get_mask() | IRQ0_BIT);
    if (p->lapic_in_service)
        lapic_eoi();
}

static void irq0_arrives_once(const struct legacy_path *p, enum wait_mode mode)
{
    struct irq_counter irqs = irq_counter_on(p->cpu_vector, EOI_NONE);
    pic_ready(p->pic_irq0_unmasked);
    p->route(p);
    pit_fires_once();
    ASSERT_EQ(irq_wait(&irqs, 1, ARRIVE_TIMEOUT_NS, mode), 1);
    const struct controller_view seen = controllers_seen_by(p->cpu_vector);
    end_interrupt(p);
    ASSERT_EQ(irq_quiet_for(&irqs, QUIET_NS), 0);

    /* The 8259: only an INTA moves IR0 from its IRR to its ISR. (Its IRR
     * is checked only where IR0 is unmasked: whether a masked line still
     * latches a request the 8259A datasheet leaves to "the IMR operates on
     * the IRR".) */
    ASSERT_EQ(seen.pic_isr & IRQ0_BIT, p->pic_acknowledges ? IRQ0_BIT : 0);
    if (p->pic_irq0_unmasked)
        ASSERT_EQ(seen.pic_irr & IRQ0_BIT, p->pic_acknowledges ? 0 : IRQ0_BIT);
    /* The LAPIC: a fixed vector moved from its IRR to its ISR; ExtINT and
     * NMI "bypass the IRR and ISR registers" (SDM Vol. 3A 11.8.4, Note). */
    ASSERT_EQ(seen.in_lapic_isr, p->lapic_in_service);
    ASSERT_FALSE(seen.in_lapic_irr);
    ASSERT_EQ(seen.lapic_isr_highest, p->lapic_in_service ? p->cpu_vector : -1);
    if (p->lapic_in_service) {
        /* SDM Vol. 3A 11.8.4: TMR set for level, clear for edge; 11.5.1:
         * LINT0's remote IRR is set while a level interrupt is in service. */
        ASSERT_EQ(seen.in_lapic_tmr, p->level);
        if (p->level)
            ASSERT_TRUE(seen.lvt_lint0 & LAPIC_REMOTE_IRR);
    }
    ASSERT_EQ(lapic_highest_vector(LAPIC_ISR0), -1);
    ASSERT_EQ(pic_read_isr() & IRQ0_BIT, 0);
}

#define LEGACY_PATH_CASES(name_, path_, cond_, ref_)                              \
    TEST_CASE_CONDITIONAL(name_##_spin, cond_, ref_) { irq0_arrives_once(&path_, WAIT_SPIN); } \
    TEST_CASE_CONDITIONAL(name_##_hlt, cond_, ref_) { irq0_arrives_once(&path_, WAIT_HLT); }

/* MP spec 1.4 3.6.2.3 (virtual wire via the I/O APIC) and Table 5-2: the
 * 8259's INTR on INTIN0, programmed ExtINT. Where unsure: the wiring is the
 * chipset's; the MP spec's default configurations and Intel's ICH/PCH
 * IOAPIC ("IRQ0: cascade from 8259") put it on INTIN0, and the condition
 * only checks that the MADT moved ISA IRQ0 off GSI 0. Bochs models it. */
LEGACY_PATH_CASES(pit_irq0_through_pic_and_ioapic_extint, pic_through_ioapic_extint,
                  pic_intr_reaches_an_ioapic(), "82093AA 3.2.4")
/* MP spec 1.4 3.6.2.2 (virtual wire via the local APIC): LINT0 ExtINT. */
LEGACY_PATH_CASES(pit_irq0_through_pic_and_lint0_extint, pic_through_lint0_extint,
                  legacy_pic_present(), "SDM Vol. 3A 11.5.1")
/* ACPI 6.5 5.2.12.5: ISA IRQ0 on the GSI of the MADT's override. */
LEGACY_PATH_CASES(pit_irq0_through_ioapic_fixed, pit_through_ioapic_fixed,
                  pit_reaches_an_ioapic(), "82093AA 3.2.4")
/* SDM Vol. 3A 11.5.1, Delivery Mode: "Fixed: delivers the interrupt
 * specified in the vector field", while only for ExtINT "a special INTA
 * bus cycle ... is routed to the external controller". So a fixed LINT0
 * takes the 8259's INTR as a plain edge and supplies its own vector, and
 * the 8259 sees no INTA (its ISR stays clear, IR0 stays requested). With
 * INTR still asserted, an edge-triggered LINT0 takes no second interrupt
 * after the EOI (the quiet window). Where unsure: 11.5.1 also says that
 * if "the local APIC is not used in conjunction with an I/O APIC and fixed
 * delivery mode is selected", P6, Pentium 4 and Xeon processors "always
 * use level-sensitive triggering". We read a PC with an IOAPIC (all of
 * them since the MP spec) as outside that sentence; a bare-metal failure
 * with a second delivery after the EOI would point at it. */
LEGACY_PATH_CASES(pit_irq0_through_pic_and_lint0_fixed, pic_through_lint0_fixed,
                  legacy_pic_present(), "SDM Vol. 3A 11.5.1")
/* SDM Vol. 3A 11.5.1: LINT0's trigger mode bit applies to Fixed; a level
 * interrupt sets TMR and remote IRR. */
LEGACY_PATH_CASES(pit_irq0_through_pic_and_lint0_fixed_level, pic_through_lint0_fixed_level,
                  legacy_pic_present(), "SDM Vol. 3A 11.5.1")
/* SDM Vol. 3A 11.5.1: NMI delivery ignores the vector; the INTR edge
 * raises one NMI (NMI is always edge), no INTA, no ISR. */
LEGACY_PATH_CASES(pit_irq0_through_pic_and_lint0_nmi, pic_through_lint0_nmi,
                  legacy_pic_present(), "SDM Vol. 3A 11.5.1")

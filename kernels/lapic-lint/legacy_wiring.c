/* Legacy wiring helpers and the delivery record; see legacy_wiring.h. */
#include "legacy_wiring.h"

#include "cpu/cpu.h"
#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "test/test.h"
#include "time/timebase.h"
#include "time/timer_service.h"

#define ALL_PIC_LINES 0xffffu

struct delivery_log deliveries;

bool legacy_pic_present(void)
{
    const struct acpi_info *a = acpi_get();
    return !a->madt || a->pcat_compat;
}

bool pic_intr_ioapic_pin(unsigned *index, unsigned *pin)
{
    if (!legacy_pic_present() || acpi_isa_irq_to_gsi(PIT_ISA_IRQ, 0) == 0)
        return false;
    return ioapic_find_gsi(0, index, pin);
}

bool pic_intr_reaches_an_ioapic(void)
{
    unsigned index, pin;
    return pic_intr_ioapic_pin(&index, &pin);
}

bool pit_reaches_an_ioapic(void)
{
    unsigned index, pin;
    return ioapic_find_gsi(acpi_isa_irq_to_gsi(PIT_ISA_IRQ, 0), &index, &pin);
}

void pic_ready(bool irq0_unmasked)
{
    pic_init(VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE);
    pic_set_mask(irq0_unmasked ? (uint16_t)(ALL_PIC_LINES & ~IRQ0_BIT) : ALL_PIC_LINES);
}

void pit_fires_once(void)
{
    pit_channel0_start(PIT_MODE0, PIT_ONE_MS_COUNT);
}

void deliveries_reset(void)
{
    deliveries.count = 0;
}

void delivery_record(struct cpu_frame *frame)
{
    if (deliveries.count++ != 0)
        return;
    uint8_t v = (uint8_t)frame->vector;
    deliveries.first = (struct delivery){
        .vector = v,
        .pic_irr = pic_read_irr(),
        .pic_isr = pic_read_isr(),
        .in_lapic_isr = lapic_vector_bit(LAPIC_ISR0, v),
        .in_lapic_irr = lapic_vector_bit(LAPIC_IRR0, v),
        .in_lapic_tmr = lapic_vector_bit(LAPIC_TMR0, v),
        .lapic_isr_highest = lapic_highest_vector(LAPIC_ISR0),
        .lvt_lint0 = lapic_read(LAPIC_LVT_LINT0),
    };
}

uint32_t wait_for_deliveries(uint32_t want, uint64_t timeout_ns, enum wait_mode mode,
                             const char *what)
{
    deadline_t d = deadline_after(timeout_ns);
    uint32_t got;
    if (mode == WAIT_SPIN) {
        sti();
        while ((got = deliveries.count) < want && !deadline_passed(d))
            pause();
    } else {
        for (;;) {
            cli();
            got = deliveries.count;
            if (got >= want || deadline_passed(d))
                break;
            uint64_t now = rdtsc();
            timer_service_wake_after(tsc_to_ns(d.tsc > now ? d.tsc - now : 0));
            sti_hlt();
        }
    }
    cli();
    unsigned long long within_us = timeout_ns / us(1);
    if (got < want)
        test_note_wait(true, "%s: got %u of %u within %llu us (%s wait)", what, got, want,
                       within_us, wait_mode_name(mode));
    else
        test_note_wait(false, "%s within %llu us", what, within_us);
    return got;
}

uint32_t deliveries_during(uint64_t ns)
{
    uint32_t before = deliveries.count;
    deadline_t d = deadline_after(ns);
    sti();
    while (!deadline_passed(d))
        pause();
    cli();
    return deliveries.count - before;
}

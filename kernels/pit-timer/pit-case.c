/* The pit-timer kernel's helpers; see pit-case.h. */
#include "pit-case.h"

#include "../ioapic/delivery.h"
#include "cpu/cpu.h"
#include "time/timebase.h"

bool pit_route_irq0(bool masked)
{
    unsigned index, pin;
    uint64_t entry = ioapic_entry_to_this_cpu(PIT_IRQ_VECTOR) | (masked ? IOAPIC_REDIR_MASKED : 0);
    return ioapic_route_isa_irq(PIT_ISA_IRQ, entry, &index, &pin);
}

void pit_channel0_start_loaded(uint8_t mode, uint16_t count)
{
    pit_channel0_start(mode, count);
    delay_ns(PIT_COUNT_LOAD_NS);
}

bool pit_port61_present(void)
{
    return inb(SYSTEM_CONTROL_B) != 0xff;
}

void pit_channel2_gate(bool high)
{
    uint8_t b = inb(SYSTEM_CONTROL_B) & (uint8_t)~(PORTB_TIMER2_GATE | PORTB_SPEAKER_DATA);
    outb(SYSTEM_CONTROL_B, high ? (uint8_t)(b | PORTB_TIMER2_GATE) : b);
}

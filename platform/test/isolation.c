/* Case isolation; see isolation.h. */
#include "test/isolation.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/interrupt.h"
#include "cpu/safe.h"
#include "drivers/hpet.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "time/timer_service.h"

void isolation_save(struct isolation_snapshot *s)
{
    s->cr0 = read_cr0();
    s->cr3 = read_cr3();
    s->cr4 = read_cr4();
    s->efer = rdmsr(MSR_EFER);
}

void isolation_case_begin(void)
{
    watchdog_arm(WATCHDOG_DEFAULT_NS);
}

void isolation_case_end(void)
{
    cli();
    watchdog_disarm();
}

bool isolation_watchdog_fired(void)
{
    return watchdog_fired();
}

void isolation_restore(const struct isolation_snapshot *s)
{
    cli();
    /* Sources first, so nothing new arrives while the rest is reset. */
    pit_channel0_stop();
    pit_channel2_stop();
    hpet_reset_state();
    ioapic_mask_all();
    pic_reset_state();
    lapic_reset_state();

    /* The _safe writes cannot make things worse if a case left a state
     * the CPU refuses to return from; the kernel then goes on as it can. */
    (void)write_cr3_safe(s->cr3);
    (void)write_cr4_safe(s->cr4);
    (void)write_cr0_safe(s->cr0);
    (void)wrmsr_safe(MSR_EFER, s->efer);

    gdt_init();
    idt_init();
    interrupt_clear_all_handlers();
    interrupt_unexpected_reset();
}

/* Case isolation; see isolation.h. */
#include "test/isolation.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/interrupt.h"
#include "cpu/safe.h"
#include "cpu/vectors.h"
#include "drivers/hpet.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "time/nmi_watchdog.h"
#include "time/timebase.h"
#include "time/timer_service.h"

/* The HLT's wake-up should the pending interrupt not come: 1 ms at a
 * 1 GHz timer (QEMU, KVM), 10-40 ms at a 25-100 MHz bus clock. */
#define DRAIN_WAKE_COUNT 1000000u
/* Bounds the spin that lets in what is still pending after the HLT. */
#define DRAIN_SPIN_NS    (5ull * 1000000ull)

void isolation_save(struct isolation_snapshot *s)
{
    s->cr0 = read_cr0();
    s->cr3 = read_cr3();
    s->cr4 = read_cr4();
    s->efer = rdmsr(MSR_EFER);
}

void isolation_case_begin(void)
{
    nmi_watchdog_arm(WATCHDOG_DEFAULT_NS);
    watchdog_arm(WATCHDOG_DEFAULT_NS);
}

void isolation_case_end(void)
{
    cli();
    watchdog_disarm();
    nmi_watchdog_disarm();
}

bool isolation_watchdog_fired(void)
{
    return watchdog_fired() || nmi_watchdog_fired();
}

/* Something in the IRR above the processor priority? Classes are bits 7:4. */
static bool deliverable_interrupt_pending(void)
{
    int pending = lapic_highest_vector(LAPIC_IRR0);
    return pending >= 0 && (pending & 0xf0) > (int)(lapic_read(LAPIC_PPR) & 0xf0);
}

/* An interrupt raised while the case ran with IF=0 (say, a timer that
 * expired after its last wait) still waits in the IRR. Let it in now, in
 * the case's APIC mode, to the case's handlers or the unexpected record
 * that is reset afterwards, so it cannot reach the next case. (Leaving a
 * mode through the disabled state need not clear the IRR, SDM Vol. 3A
 * 11.4.3 "may".) STI;HLT rather than a spin: a pending interrupt wakes the
 * HLT at once, and nested KVM injects it no earlier than its next real
 * exit; the LAPIC timer bounds the HLT should a VMM not deliver it. */
static void drain_pending_interrupts(void)
{
    lapic_refresh_mode();   /* the case may have written IA32_APIC_BASE */
    if (lapic_mode() == LAPIC_MODE_DISABLED)
        return;
    /* Open what a case may have left closed, in its mode: a vector held
     * back by TPR or by one still in service would otherwise stay in the
     * IRR past lapic_reset_state and reach the next case. */
    lapic_quiesce();
    if (!deliverable_interrupt_pending())
        return;
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_timer_start(LAPIC_TIMER_ONESHOT, VECTOR_TIMER_SERVICE, DRAIN_WAKE_COUNT,
                      LAPIC_DIVIDE_1);
    sti_hlt();
    cli();
    lapic_timer_stop();
    /* The wake-up may itself have fired while the handler of what it
     * guarded ran (slow under an emulating VMM): then it is pending now.
     * The timer is stopped, so a bounded spin with IF=1 lets in what is
     * left, and nothing new can come. */
    deadline_t d = deadline_after(DRAIN_SPIN_NS);
    sti();
    while (deliverable_interrupt_pending() && !deadline_passed(d))
        pause();
    cli();
}

void isolation_restore(const struct isolation_snapshot *s)
{
    cli();
    /* Paging and descriptor tables first: the case may have left a CR3 or
     * an IDT under which the rest of the restore would fault. The _safe
     * writes cannot make things worse if a case left a state the CPU
     * refuses to return from; the kernel then goes on as it can. */
    (void)write_cr3_safe(s->cr3);
    /* XCR0 back to its reset value while XSETBV still works (a case that
     * set CR4.OSXSAVE may have enabled AVX state; SDM Vol. 1 13.3). */
    if (read_cr4() & CR4_OSXSAVE)
        (void)xsetbv_safe(XCR_XFEATURE_ENABLED, XCR0_X87);
    /* With CR4.PGE the CR3 write above keeps global translations; clearing
     * and setting PGE flushes them too (SDM Vol. 3A 4.10.4.1). */
    (void)write_cr4_safe(s->cr4 & ~CR4_PGE);
    (void)write_cr4_safe(s->cr4);
    (void)write_cr0_safe(s->cr0);
    (void)wrmsr_safe(MSR_EFER, s->efer);
    gdt_init();
    idt_init();
    /* No breakpoint a case armed may fire in the next one. */
    write_dr7(DR7_FIXED1);
    write_dr6(DR6_INIT);

    /* Then the sources, masked first: stopping the PIT may raise one last
     * IRQ0 edge. The PIC is initialised again afterwards, which drops the
     * edges it latched while masked. */
    ioapic_mask_all();
    pic_set_mask(PIC_MASK_ALL);
    pit_channel0_stop();
    pit_channel2_stop();
    hpet_reset_state();
    pic_reset_state();

    drain_pending_interrupts();
    lapic_reset_state();
    interrupt_clear_all_handlers();
    interrupt_unexpected_reset();
}

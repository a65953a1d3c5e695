/* The NMI watchdog on a second CPU; see nmi_watchdog.h.
 *
 * The BSP publishes each armed case as a new sequence number and its
 * limit; the AP times the case with its own TSC from the moment it sees
 * the number (a case may write the BSP's TSC), and sends one NMI when the
 * limit passes. The BSP's NMI path asks nmi_watchdog_claims() first. */
#include "time/nmi_watchdog.h"

#include "cpu/catch.h"
#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "cpu/msr-index.h"
#include "cpu/safe.h"
#include "drivers/lapic.h"
#include "smp/smp.h"
#include "test/protocol.h"
#include "time/timebase.h"

static struct {
    unsigned cpu;                  /* the watching AP; 0: none */
    volatile uint32_t armed;       /* sequence number of the armed case; 0: none */
    volatile uint64_t limit_tsc;   /* for the armed case */
    volatile uint32_t sent;        /* sequence number the NMI was sent for */
    volatile bool stop;
    uint32_t next;                 /* BSP only */
    bool fired;                    /* BSP only: the NMI ended the armed case */
} wd;

/* The AP's own LAPIC, in whatever mode it is (the BSP's cases switch the
 * BSP's mode, not this CPU's): NMI to the BSP by physical APIC ID. */
static void send_nmi_to_bsp(void)
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    uint32_t bsp = smp_apic_id(0);
    uint32_t icr = LAPIC_DM_NMI | LAPIC_LEVEL_ASSERT;
    if (base & APIC_BASE_EXTD) {
        wrmsr(MSR_X2APIC(LAPIC_ICR), ((uint64_t)bsp << 32) | icr);
        return;
    }
    volatile uint32_t *mmio = (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK);
    mmio[LAPIC_ICR_HIGH / 4] = bsp << LAPIC_XAPIC_ID_SHIFT;
    mmio[LAPIC_ICR / 4] = icr;
}

static void watch(void *unused)
{
    (void)unused;
    uint32_t seen = 0;
    uint64_t since = 0;
    while (!__atomic_load_n(&wd.stop, __ATOMIC_ACQUIRE)) {
        uint32_t armed = __atomic_load_n(&wd.armed, __ATOMIC_ACQUIRE);
        if (armed != seen) {
            seen = armed;
            since = rdtsc();
        } else if (armed && wd.sent != armed && rdtsc() - since > wd.limit_tsc) {
            __atomic_store_n(&wd.sent, armed, __ATOMIC_RELEASE);
            send_nmi_to_bsp();
        }
        pause();
    }
}

/* Asked first on every NMI the BSP takes: an NMI the watchdog sent for
 * the armed case ends it (IRET into its catch frame, which also ends the
 * NMI blocking); one it sent for a case that finished meanwhile is
 * swallowed, so it cannot count as the next case's NMI. */
static bool claims(struct cpu_frame *frame)
{
    uint32_t sent = __atomic_load_n(&wd.sent, __ATOMIC_ACQUIRE);
    if (!sent)
        return false;
    __atomic_store_n(&wd.sent, 0, __ATOMIC_RELEASE);
    if (sent == wd.armed && catch_exception(frame, 0)) {
        wd.armed = 0;
        wd.fired = true;
    }
    return true;
}

void nmi_watchdog_init(void)
{
    unsigned cpus = smp_cpu_count();
    if (cpus < 2) {
        protocol_fact("fallback.watchdog-nmi", "one CPU: a case stuck with interrupts "
                      "disabled is left to the host's timeout");
        return;
    }
    unsigned cpu = cpus - 1;
    if (!smp_start_ap(cpu) || !smp_post(cpu, watch, 0)) {
        protocol_fact("fallback.watchdog-nmi", "CPU %u did not start: %s", cpu,
                      smp_cpu_problem(cpu));
        return;
    }
    wd.cpu = cpu;
    interrupt_set_nmi_hook(claims);
    protocol_fact("watchdog.nmi", "cpu%u (APIC ID %u)", cpu, smp_apic_id(cpu));
}

bool nmi_watchdog_available(void)
{
    return wd.cpu != 0;
}

void nmi_watchdog_arm(uint64_t ns)
{
    wd.fired = false;
    if (!wd.cpu)
        return;
    wd.limit_tsc = ns_to_tsc(ns + NMI_WATCHDOG_GRACE_NS);
    if (++wd.next == 0)
        wd.next = 1;
    __atomic_store_n(&wd.armed, wd.next, __ATOMIC_RELEASE);
}

void nmi_watchdog_disarm(void)
{
    __atomic_store_n(&wd.armed, 0, __ATOMIC_RELEASE);
}

bool nmi_watchdog_fired(void)
{
    return wd.fired;
}

void nmi_watchdog_stop(void)
{
    if (!wd.cpu)
        return;
    nmi_watchdog_disarm();
    __atomic_store_n(&wd.stop, true, __ATOMIC_RELEASE);
    (void)smp_wait_done(wd.cpu, ms(100));
    interrupt_set_nmi_hook(0);
    wd.cpu = 0;
    protocol_fact("watchdog.nmi", "stopped: the kernel uses the APs itself");
}

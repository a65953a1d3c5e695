/* SMP: starting the application processors (INIT-SIPI-SIPI, SDM Vol. 3A
 * 9.4.4) and giving them work through a per-AP mailbox.
 *
 *   if (smp_start_aps() > 0 && smp_cpu_online(1))
 *       smp_call(1, read_my_apic_id, &id, ms(10));
 *
 * CPU 0 is the BSP; CPUs 1.. are the other enabled LAPICs of the MADT in
 * table order. An AP runs only what the mailbox gives it, with interrupts
 * disabled unless the job enables them, and returns to polling the mailbox
 * with IF=0 when the job ends. No AP is started unless a kernel asks.
 *
 * What an AP may run: plain code, its own LAPIC, the *_safe helpers (their
 * exception-table fixups need no per-CPU state). An AP never runs cases,
 * assertions or catch_call: the catch frames are the BSP's. An exception no
 * fixup handles on an AP ends the job (smp_job_faulted) and the AP goes
 * back to its mailbox; it never touches the BSP's catch frame. */
#ifndef PLATFORM_SMP_SMP_H
#define PLATFORM_SMP_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/frame.h"

#define SMP_MAX_CPUS        8         /* the BSP and up to 7 APs */
#define SMP_AP_STACK_SIZE   16384

/* Where the real-mode start-up code is copied: 4 KiB aligned, below
 * 1 MiB, in conventional memory (free RAM on every PC: SDM Vol. 3A 9.4.4
 * asks for a 4 KiB-aligned vector in the first MiB). */
#define SMP_TRAMPOLINE_BASE 0x8000u
#define SMP_SIPI_VECTOR     (SMP_TRAMPOLINE_BASE >> 12)

/* The delays of the universal start-up algorithm (SDM Vol. 3A 9.4.4.1). */
#define SMP_INIT_DELAY_NS   (10ull * 1000000ull)   /* INIT -> first SIPI */
#define SMP_SIPI_DELAY_NS   (200ull * 1000ull)     /* after each SIPI */
/* How long an AP may take from the SIPI to its "alive" report. */
#define SMP_ALIVE_TIMEOUT_NS (100ull * 1000000ull)
/* How long the ICR may stay "send pending" (xAPIC delivery status). */
#define SMP_ICR_IDLE_TIMEOUT_NS (10ull * 1000000ull)

enum smp_cpu_state {
    SMP_CPU_ABSENT,        /* no such CPU in the MADT (or beyond SMP_MAX_CPUS) */
    SMP_CPU_NOT_STARTED,   /* listed, smp_start_aps() not called yet */
    SMP_CPU_ONLINE,        /* reported alive, polling its mailbox */
    SMP_CPU_NO_RESPONSE,   /* INIT-SIPI-SIPI sent, never reported alive */
    SMP_CPU_NOT_STARTABLE, /* the start-up could not even be tried (why: smp_cpu_problem) */
};

/* CPUs the MADT lists as enabled, the BSP included (1 without a MADT),
 * at most SMP_MAX_CPUS. Known once the platform has read the ACPI tables. */
unsigned smp_cpu_count(void);
uint32_t smp_apic_id(unsigned cpu);
enum smp_cpu_state smp_cpu_state(unsigned cpu);
bool smp_cpu_online(unsigned cpu);
/* Why a CPU is not online, in words ("" when it is). */
const char *smp_cpu_problem(unsigned cpu);
/* The CPU running this code (0 on the BSP). Works in interrupt and
 * exception handlers: every CPU runs on its own stacks. */
unsigned smp_this_cpu(void);

/* Starts every listed AP, one at a time, by INIT, 10 ms, SIPI, 200 us,
 * SIPI, 200 us, then waits (bounded) for it to report alive. An AP that
 * does not report is sent INIT again (parked) and marked NO_RESPONSE.
 * Prints the result as facts. Returns how many APs are online; calling it
 * again only returns that number. The kernel then has every AP: the NMI
 * watchdog gives its AP back first. */
unsigned smp_start_aps(void);
/* Starts one AP the same way (the NMI watchdog's); true if it is online. */
bool smp_start_ap(unsigned cpu);
unsigned smp_aps_online(void);

/* Sends one IPI from this CPU and, in xAPIC mode, waits (bounded by
 * SMP_ICR_IDLE_TIMEOUT_NS) for the ICR's delivery status to go idle (SDM
 * Vol. 3A 11.6.1; x2APIC has no such bit, 11.12.9). False if it stayed
 * send-pending. */
bool smp_send_ipi(uint32_t apic_id, uint32_t icr);

/* ---- the mailbox: one job at a time per AP ---- */

typedef void (*smp_job_fn)(void *arg);

/* Hands fn(arg) to an online, idle AP and returns at once. False if the AP
 * is not online or still busy with an earlier job. */
bool smp_post(unsigned cpu, smp_job_fn fn, void *arg);
/* Waits until the AP finished its job; false if it did not within
 * timeout_ns (it is then still busy). */
bool smp_wait_done(unsigned cpu, uint64_t timeout_ns);
/* smp_post, then smp_wait_done. */
bool smp_call(unsigned cpu, smp_job_fn fn, void *arg, uint64_t timeout_ns);
bool smp_ap_idle(unsigned cpu);
/* The exception that ended the AP's last job, EXINFO_NONE if none did
 * (then smp_job_fault_rip says where). */
exinfo_t smp_job_faulted(unsigned cpu);
uint64_t smp_job_fault_rip(unsigned cpu);

/* An AP-side job that brings the AP's LAPIC to the framework's state
 * between cases: the BSP's LAPIC mode, software enabled, every LVT masked,
 * TPR 0, ISR drained by EOIs, ESR cleared. IRR stays as it is (only
 * accepting the interrupts empties it). Kernels that use APs run it on
 * every AP at the start of a case (smp_reset_aps). */
void smp_ap_reset_lapic(void *unused);
/* Runs smp_ap_reset_lapic on every online AP after waiting for earlier
 * jobs; false if an AP stayed busy or faulted. */
bool smp_reset_aps(uint64_t timeout_ns);

/* Called by the exception path for an exception no fixup handles: on an AP
 * it records the exception, ends the job and returns true (IRET then
 * resumes the AP's mailbox loop on a fresh stack); on the BSP it returns
 * false. */
bool smp_ap_exception(struct cpu_frame *frame, uint64_t cr2);

#endif

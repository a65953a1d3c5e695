/* ipi: what the cases share. Every online CPU counts the interrupts it
 * takes, per vector, in its own row (handlers only record); the BSP's case
 * body has the APs listen (mailbox jobs), sends or has an AP send one IPI,
 * and asserts on the rows. */
#ifndef KERNELS_IPI_IPI_H
#define KERNELS_IPI_IPI_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/smp.h"

#define BSP_CPU          0
#define FIRST_AP         1

#define IPI_VECTOR       0x50   /* the only vector the cases send */

/* How long a CPU waits for an IPI it should get: delivery takes
 * microseconds, even as VM exits; 30 ms also absorbs a vCPU preempted on
 * a loaded host. */
#define ARRIVAL_TIMEOUT_NS    (30ull * 1000000ull)
/* How long a CPU that should get nothing listens; also the IF=0 window. */
#define QUIET_WINDOW_NS       (20ull * 1000000ull)
/* After an arrival, how long a CPU goes on listening for a duplicate. */
#define DUPLICATE_WINDOW_NS   (5ull * 1000000ull)
/* Bound on an AP picking up a job or ending one: generous, since a vCPU
 * thread may be descheduled for a while on a loaded host. */
#define AP_RESPONSE_NS        (200ull * 1000000ull)

enum listen_mode {
    LISTEN_SPIN,        /* IF=1, busy loop: the VMM must kick a running vCPU */
    LISTEN_HLT,         /* IF=1, HLT: the VMM must wake a halted vCPU */
    LISTEN_IF_CLEAR,    /* IF=0 for QUIET_WINDOW_NS, then STI and wait */
};

/* Which CPU writes which ICR. */
struct ipi_send {
    unsigned sender;
    uint32_t dest;      /* APIC ID, logical destination or ignored (shorthand) */
    uint32_t icr;       /* delivery mode, vector, shorthand, destination mode */
};

/* What every CPU saw while listening. */
struct ipi_seen {
    uint32_t hits[SMP_MAX_CPUS];              /* on the counted vector */
    uint32_t hits_in_hlt[SMP_MAX_CPUS];       /* of those, taken while halted */
    uint32_t hits_while_if_clear[SMP_MAX_CPUS];
    bool irr_while_if_clear[SMP_MAX_CPUS];    /* its IRR bit, seen with IF=0 */
    bool completed;                           /* every AP finished its job */
};

/* Starts the APs if no case did yet, fails the case if the first AP is
 * not online (with the reason), brings every AP's and the BSP's LAPIC to
 * the framework's state, installs the recorders (IPI_VECTOR and NMI) and
 * lets each CPU accept what an earlier case may have left pending. Every
 * case calls it first. */
void ipi_case_begin(void);
/* The condition of every case that needs a second CPU. */
bool second_cpu_listed(void);

/* The recorder's count of `vector` on `cpu` (X86_EXC_NMI for NMIs). */
uint32_t ipi_hits(unsigned cpu, uint8_t vector);

/* Every online CPU listens for `vector` in `mode` while `s.sender` sends
 * one IPI: the CPUs in `expected` (bit = CPU index) until it arrives (at
 * most ARRIVAL_TIMEOUT_NS) and DUPLICATE_WINDOW_NS more, the others for
 * QUIET_WINDOW_NS. The mode applies to the APs; the BSP spins with IF=1
 * (after its IF=0 window, for LISTEN_IF_CLEAR). */
struct ipi_seen ipi_send_while_listening(struct ipi_send s, uint8_t vector,
                                         enum listen_mode mode, uint32_t expected);

/* ipi_send_while_listening, then expect_delivered_to. */
void expect_ipi_delivery(struct ipi_send s, uint8_t vector, enum listen_mode mode,
                         uint32_t expected, const char *what);

/* Fails the case unless exactly the CPUs in `cpu_mask` (bit = CPU index)
 * got exactly one interrupt each and the others none. */
void expect_delivered_to(const struct ipi_seen *seen, uint32_t cpu_mask, const char *what);

/* Bit masks of CPU indexes. */
uint32_t all_cpus_mask(void);
static inline uint32_t cpu_bit(unsigned cpu) { return 1u << cpu; }

/* Runs fn(arg) on every online CPU, the BSP included; fails the case if an
 * AP did not finish it or faulted. */
void run_on_every_cpu(smp_job_fn fn, void *arg);

/* A job: IF=1 for a short while, so this CPU takes what is pending in IRR. */
void accept_pending_interrupts(void *unused);

#endif

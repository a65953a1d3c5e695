/* ipi: the per-CPU recorders, the listening jobs and the case prelude;
 * see ipi.h. */
#include "ipi.h"

#include "cpu/cpu.h"
#include "cpu/interrupt.h"
#include "drivers/lapic.h"
#include "lib/string.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

/* Each CPU keeps IF=1 at least DRAIN_MIN_NS to take what an earlier case
 * left pending, and until its IRR is empty (at most DRAIN_MAX_NS: a
 * nested VMM may take milliseconds to inject). */
#define DRAIN_MIN_NS        (200ull * 1000ull)
#define DRAIN_MAX_NS        (5ull * 1000000ull)
/* LISTEN_HLT: the time a ready AP has to reach HLT before the IPI is
 * sent (a handful of instructions; the margin is for a preempted vCPU). */
#define HLT_SETTLE_NS       (2ull * 1000000ull)

/* One row per CPU, written only by that CPU's handlers. */
static volatile uint32_t hits[SMP_MAX_CPUS][NR_VECTORS];
/* Interrupts that found their CPU halted in halt_with_if_set. */
static volatile uint32_t hits_in_hlt[SMP_MAX_CPUS];

/* STI; HLT with a label on the instruction after HLT: an interrupt that
 * wakes the CPU from this HLT returns there (SDM Vol. 2A HLT). */
extern const char halted_here[];
static __attribute__((noinline)) void halt_with_if_set(void)
{
    __asm__ volatile("sti\n\thlt\n\t.globl halted_here\nhalted_here:" ::: "memory");
}

static void record(struct cpu_frame *frame, void *ctx)
{
    (void)ctx;
    unsigned me = smp_this_cpu();
    hits[me][(uint8_t)frame->vector]++;
    if (frame->rip == (uint64_t)halted_here)
        hits_in_hlt[me]++;
    lapic_eoi();
}

static void record_nmi(struct cpu_frame *frame, void *ctx)
{
    (void)frame;
    (void)ctx;
    hits[smp_this_cpu()][X86_EXC_NMI]++;   /* an NMI takes no EOI */
}

uint32_t ipi_hits(unsigned cpu, uint8_t vector)
{
    return cpu < SMP_MAX_CPUS ? hits[cpu][vector] : 0;
}

bool second_cpu_listed(void)
{
    return smp_cpu_count() > 1;
}

uint32_t all_cpus_mask(void)
{
    uint32_t mask = 0;
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        if (smp_cpu_online(cpu))
            mask |= cpu_bit(cpu);
    return mask;
}

static void expect_job_ended_well(unsigned cpu)
{
    if (!smp_wait_done(cpu, AP_RESPONSE_NS))
        FAIL("CPU %u did not finish its job within %llu ms", cpu,
             (unsigned long long)(AP_RESPONSE_NS / 1000000ull));
    char what[32];
    if (exinfo_raised(smp_job_faulted(cpu)))
        FAIL("CPU %u took %s at RIP 0x%llx in its job", cpu,
             exinfo_format(smp_job_faulted(cpu), what, sizeof(what)),
             (unsigned long long)smp_job_fault_rip(cpu));
}

/* The APs run it in parallel with the BSP. */
void run_on_every_cpu(smp_job_fn fn, void *arg)
{
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
        if (smp_cpu_online(cpu) && !smp_post(cpu, fn, arg))
            FAIL("CPU %u is still busy with an earlier job", cpu);
    fn(arg);
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
        if (smp_cpu_online(cpu))
            expect_job_ended_well(cpu);
}

void accept_pending_interrupts(void *unused)
{
    (void)unused;
    deadline_t at_least = deadline_after(DRAIN_MIN_NS), at_most = deadline_after(DRAIN_MAX_NS);
    sti();
    while (!deadline_passed(at_most) &&
           (!deadline_passed(at_least) || lapic_highest_vector(LAPIC_IRR0) >= 0))
        pause();
    cli();
}

/* The LAPIC state the framework gives the BSP, on every CPU: an AP runs
 * the platform's reset job; on the BSP the framework did that, except for
 * the logical destination registers (xAPIC only: SDM Vol. 3A 11.12.10.1).
 * Then every CPU takes what an earlier case may have left pending. */
static void prepare_cpu(void *unused)
{
    if (smp_this_cpu() != BSP_CPU)
        smp_ap_reset_lapic(unused);
    else if (lapic_mode() == LAPIC_MODE_XAPIC) {
        lapic_write(LAPIC_DFR, LAPIC_DFR_FLAT);
        lapic_write(LAPIC_LDR, 0);
    }
    accept_pending_interrupts(unused);
}

void ipi_case_begin(void)
{
    if (smp_cpu_state(FIRST_AP) == SMP_CPU_NOT_STARTED)
        smp_start_aps();
    if (!smp_cpu_online(FIRST_AP))
        FAIL("CPU %u (APIC ID %u) is not online: %s", FIRST_AP, smp_apic_id(FIRST_AP),
             smp_cpu_problem(FIRST_AP));
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)   /* an earlier case's job */
        if (smp_cpu_online(cpu) && !smp_wait_done(cpu, AP_RESPONSE_NS))
            FAIL("CPU %u is still busy with an earlier case's job", cpu);
    interrupt_set_handler(IPI_VECTOR, record, 0);
    interrupt_set_handler(X86_EXC_NMI, record_nmi, 0);
    run_on_every_cpu(prepare_cpu, 0);
    memset((void *)hits, 0, sizeof(hits));
    memset((void *)hits_in_hlt, 0, sizeof(hits_in_hlt));
}

/* ---------------------------------------------------------------- listening */

struct listen_job {
    struct ipi_send send;
    uint8_t vector;
    enum listen_mode mode;
    uint32_t expected;
    uint32_t before[SMP_MAX_CPUS];  /* each CPU's count when it got ready */
    uint32_t before_in_hlt[SMP_MAX_CPUS];
    volatile bool ready[SMP_MAX_CPUS];
    volatile bool go;
    volatile bool send_idle;        /* the ICR went idle after the send */
    struct ipi_seen *seen;
};

static bool wait_for_go(struct listen_job *j)
{
    deadline_t d = deadline_after(AP_RESPONSE_NS);
    while (!j->go)
        if (deadline_passed(d))
            return false;
        else
            pause();
    return true;
}

static uint32_t arrived(const struct listen_job *j, unsigned cpu)
{
    return hits[cpu][j->vector] - j->before[cpu];
}

/* A CPU that should get the IPI waits for its own; one that should not
 * waits until every expected CPU has had its own (nothing expected: the
 * whole quiet window). */
static bool done_waiting(const struct listen_job *j, unsigned me)
{
    if (j->expected & cpu_bit(me))
        return arrived(j, me);
    if (!j->expected)
        return false;
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++)
        if ((j->expected & cpu_bit(cpu)) && smp_cpu_online(cpu) && !arrived(j, cpu))
            return false;
    return true;
}

/* IF=1 until done_waiting or `d`, spinning or halted. A halted AP is
 * woken by the IPI, or by the BSP's NMI if it never comes. */
static void wait_with_if_set(const struct listen_job *j, unsigned me, deadline_t d,
                             enum listen_mode mode)
{
    if (mode == LISTEN_HLT) {
        for (;;) {
            cli();
            if (done_waiting(j, me) || deadline_passed(d))
                break;
            halt_with_if_set();
        }
    }
    sti();
    while (!done_waiting(j, me) && !deadline_passed(d))
        pause();
}

/* Only an expected AP that does not send halts; the others spin. */
static enum listen_mode mode_of_cpu(const struct listen_job *j, unsigned me)
{
    bool expected = j->expected & cpu_bit(me);
    if (j->mode == LISTEN_HLT && (me == BSP_CPU || !expected || j->send.sender == me))
        return LISTEN_SPIN;
    return j->mode;
}

/* This CPU's part once the IPI may come. */
static void listen(struct listen_job *j, unsigned me)
{
    enum listen_mode mode = mode_of_cpu(j, me);
    if (mode == LISTEN_IF_CLEAR) {
        delay_ns(QUIET_WINDOW_NS);
        j->seen->hits_while_if_clear[me] = arrived(j, me);
        j->seen->irr_while_if_clear[me] = lapic_vector_bit(LAPIC_IRR0, j->vector);
    }
    uint64_t timeout = j->expected ? ARRIVAL_TIMEOUT_NS : QUIET_WINDOW_NS;
    wait_with_if_set(j, me, deadline_after(timeout), mode);
    delay_ns(DUPLICATE_WINDOW_NS);     /* IF=1: a duplicate or a stray shows now */
    cli();
    j->seen->hits[me] = arrived(j, me);
    j->seen->hits_in_hlt[me] = hits_in_hlt[me] - j->before_in_hlt[me];
}

static void listen_job(void *arg)
{
    struct listen_job *j = arg;
    unsigned me = smp_this_cpu();
    j->before[me] = hits[me][j->vector];
    j->before_in_hlt[me] = hits_in_hlt[me];
    j->ready[me] = true;
    /* A halting AP halts at once: the BSP sends only after HLT_SETTLE_NS. */
    if (mode_of_cpu(j, me) != LISTEN_HLT && !wait_for_go(j))
        return;
    if (j->send.sender == me)
        j->send_idle = smp_send_ipi(j->send.dest, j->send.icr);
    listen(j, me);
}

static bool wait_ready(struct listen_job *j, unsigned cpu)
{
    deadline_t d = deadline_after(AP_RESPONSE_NS);
    while (!j->ready[cpu])
        if (deadline_passed(d))
            return false;
        else
            pause();
    return true;
}

/* A halted AP the IPI never woke is woken by an NMI (SDM Vol. 2A HLT). */
static bool wait_job_done(unsigned cpu, enum listen_mode mode)
{
    if (smp_wait_done(cpu, mode == LISTEN_HLT ? ARRIVAL_TIMEOUT_NS : AP_RESPONSE_NS))
        return true;
    if (mode == LISTEN_HLT)
        (void)smp_send_ipi(smp_apic_id(cpu), LAPIC_DM_NMI);
    return smp_wait_done(cpu, AP_RESPONSE_NS);
}

struct ipi_seen ipi_send_while_listening(struct ipi_send s, uint8_t vector,
                                         enum listen_mode mode, uint32_t expected)
{
    /* Static, not on this stack: an AP still listening after a failed
     * case writes here, never into a dead stack frame. */
    static struct listen_job job;
    static struct ipi_seen seen;
    memset(&seen, 0, sizeof(seen));
    memset(&job, 0, sizeof(job));
    job.send = s;
    job.vector = vector;
    job.mode = mode;
    job.expected = expected;
    job.seen = &seen;
    job.send_idle = true;

    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
        if (smp_cpu_online(cpu) && (!smp_post(cpu, listen_job, &job) || !wait_ready(&job, cpu)))
            FAIL("CPU %u did not start listening within %llu ms", cpu,
                 (unsigned long long)(AP_RESPONSE_NS / 1000000ull));
    job.before[BSP_CPU] = hits[BSP_CPU][vector];
    job.before_in_hlt[BSP_CPU] = hits_in_hlt[BSP_CPU];
    if (mode == LISTEN_HLT)
        delay_ns(HLT_SETTLE_NS);
    job.go = true;
    if (s.sender == BSP_CPU)
        job.send_idle = smp_send_ipi(s.dest, s.icr);
    listen(&job, BSP_CPU);

    seen.completed = true;
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
        if (smp_cpu_online(cpu) && !wait_job_done(cpu, mode)) {
            protocol_printf("- CPU %u did not end its listening job\n", cpu);
            seen.completed = false;
        }
    if (!seen.completed)
        FAIL("an AP did not end its listening job (HLT not woken even by an NMI?)");
    if (!job.send_idle)
        FAIL("CPU %u: the ICR's delivery status stayed send-pending for %llu ms", s.sender,
             (unsigned long long)(SMP_ICR_IDLE_TIMEOUT_NS / 1000000ull));
    return seen;
}

void expect_ipi_delivery(struct ipi_send s, uint8_t vector, enum listen_mode mode,
                         uint32_t expected, const char *what)
{
    struct ipi_seen seen = ipi_send_while_listening(s, vector, mode, expected);
    expect_delivered_to(&seen, expected, what);
}

void expect_delivered_to(const struct ipi_seen *seen, uint32_t cpu_mask, const char *what)
{
    unsigned wrong = 0;
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++) {
        if (!smp_cpu_online(cpu))
            continue;
        uint32_t want = (cpu_mask >> cpu) & 1;
        if (seen->hits[cpu] != want) {
            protocol_printf("-   %s: CPU %u (APIC ID %u) got %u, expected %u\n", what, cpu,
                            smp_apic_id(cpu), seen->hits[cpu], want);
            wrong++;
        }
    }
    if (wrong)
        FAIL("%s: %u CPU(s) got the wrong number of interrupts", what, wrong);
}

/* AP bring-up (INIT-SIPI-SIPI) and the per-AP mailbox; see smp.h. */
#include "smp/smp.h"

#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/gdt.h"
#include "cpu/safe.h"
#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "drivers/lapic.h"
#include "lib/format.h"
#include "lib/string.h"
#include "test/protocol.h"
#include "time/nmi_watchdog.h"
#include "time/timebase.h"

#define PHYS_4GIB           (1ull << 32)

/* What the BSP and one AP share. The BSP writes fn/arg, then bumps
 * `posted`; the AP runs the job, then sets `done` to `posted`. */
struct smp_cpu {
    uint32_t apic_id;
    enum smp_cpu_state state;
    char problem[96];
    volatile bool alive;
    volatile uint32_t posted, done;
    smp_job_fn volatile fn;
    void *volatile arg;
    volatile exinfo_t fault;
    volatile uint64_t fault_rip;
};

/* What only one AP uses: its stack, GDT, TSS and interrupt stacks. */
struct ap_memory {
    uint8_t stack[SMP_AP_STACK_SIZE] __attribute__((aligned(16)));
    struct cpu_tables tables;
};

static struct smp_cpu cpus[SMP_MAX_CPUS];
/* gdt_init_cpu() writes the tables before use; the stacks need no zeros. */
static struct ap_memory ap_memory[SMP_MAX_CPUS - 1] __attribute__((section(".bss.noinit")));
static unsigned cpu_count;
static bool started;

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Read by trampoline.asm while one AP starts. */
uint64_t smp_boot_cr3;
uint32_t smp_boot_efer;
uint64_t smp_boot_stack;
uint64_t smp_boot_cpu;
static struct descriptor_pointer boot_idt;
static uint64_t boot_mtrr_def_type;
static bool boot_mtrr_readable;

extern const uint8_t smp_trampoline_start[], smp_trampoline_end[];

/* ---------------------------------------------------------------- CPUs */

static void discover(void)
{
    if (cpu_count)
        return;
    const struct acpi_info *a = acpi_get();
    uint32_t bsp_id = lapic_present() ? lapic_id() : 0;
    cpus[0] = (struct smp_cpu){ .apic_id = bsp_id, .state = SMP_CPU_ONLINE, .alive = true };
    cpu_count = 1;
    if (!a->madt)
        return;
    for (unsigned i = 0; i < a->lapic_count && cpu_count < SMP_MAX_CPUS; i++) {
        if (a->lapic_ids[i] == bsp_id)
            continue;
        cpus[cpu_count] = (struct smp_cpu){ .apic_id = a->lapic_ids[i],
                                            .state = SMP_CPU_NOT_STARTED };
        cpu_count++;
    }
}

unsigned smp_cpu_count(void)
{
    discover();
    return cpu_count;
}

uint32_t smp_apic_id(unsigned cpu)
{
    return cpu < smp_cpu_count() ? cpus[cpu].apic_id : 0;
}

enum smp_cpu_state smp_cpu_state(unsigned cpu)
{
    return cpu < smp_cpu_count() ? cpus[cpu].state : SMP_CPU_ABSENT;
}

bool smp_cpu_online(unsigned cpu)
{
    return smp_cpu_state(cpu) == SMP_CPU_ONLINE;
}

const char *smp_cpu_problem(unsigned cpu)
{
    switch (smp_cpu_state(cpu)) {
    case SMP_CPU_ONLINE:
        return "";
    case SMP_CPU_ABSENT:
        return "the MADT lists no such CPU";
    case SMP_CPU_NOT_STARTED:
        return "not started (smp_start_aps was not called)";
    default:
        return cpus[cpu].problem;
    }
}

unsigned smp_this_cpu(void)
{
    volatile uint8_t here;
    uintptr_t sp = (uintptr_t)&here;
    for (unsigned i = 0; i + 1 < SMP_MAX_CPUS; i++)
        if (sp >= (uintptr_t)&ap_memory[i] && sp < (uintptr_t)(&ap_memory[i] + 1))
            return i + 1;
    return 0;
}

unsigned smp_aps_online(void)
{
    unsigned n = 0;
    for (unsigned i = 1; i < smp_cpu_count(); i++)
        n += smp_cpu_online(i);
    return n;
}

/* ---------------------------------------------------------------- the AP's LAPIC */

static enum lapic_mode mode_of(uint64_t apic_base_msr)
{
    if (!(apic_base_msr & APIC_BASE_EN))
        return LAPIC_MODE_DISABLED;
    return (apic_base_msr & APIC_BASE_EXTD) ? LAPIC_MODE_X2APIC : LAPIC_MODE_XAPIC;
}

/* Puts this AP's LAPIC in `mode` along the legal path (SDM Vol. 3A
 * 11.12.5). Not lapic_set_mode(): that one keeps the BSP's cached mode,
 * which the lapic_read/write of every CPU follow; an AP matches it. */
static exinfo_t enter_lapic_mode(enum lapic_mode mode)
{
    uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);
    enum lapic_mode now = mode_of(msr);
    uint64_t off = msr & ~(APIC_BASE_EN | APIC_BASE_EXTD);
    exinfo_t ex = EXINFO_NONE;
    if (now == mode)
        return ex;
    if (now == LAPIC_MODE_X2APIC && mode == LAPIC_MODE_XAPIC)
        ex = wrmsr_safe(MSR_IA32_APIC_BASE, off);
    if (!exinfo_raised(ex) && now == LAPIC_MODE_DISABLED && mode == LAPIC_MODE_X2APIC)
        ex = wrmsr_safe(MSR_IA32_APIC_BASE, off | APIC_BASE_EN);
    if (!exinfo_raised(ex)) {
        uint64_t bits = mode == LAPIC_MODE_X2APIC ? APIC_BASE_EN | APIC_BASE_EXTD
                      : mode == LAPIC_MODE_XAPIC  ? APIC_BASE_EN : 0;
        ex = wrmsr_safe(MSR_IA32_APIC_BASE, off | bits);
    }
    return ex;
}

void smp_ap_reset_lapic(void *unused)
{
    (void)unused;
    if (exinfo_raised(enter_lapic_mode(lapic_mode())) || lapic_mode() == LAPIC_MODE_DISABLED)
        return;
    lapic_quiesce();
}

/* ---------------------------------------------------------------- the AP side */

static _Noreturn void mailbox_loop(unsigned cpu)
{
    struct smp_cpu *c = &cpus[cpu];
    for (;;) {
        cli();   /* once per job: under some VMMs CLI is a costly exit */
        uint32_t posted;
        while ((posted = __atomic_load_n(&c->posted, __ATOMIC_ACQUIRE)) == c->done)
            pause();
        c->fn(c->arg);
        cli();
        __atomic_store_n(&c->done, posted, __ATOMIC_RELEASE);
    }
}

/* The C entry of an AP (trampoline.asm): its own GDT and TSS, the BSP's
 * IDT, the BSP's MTRR default type (SDM Vol. 3A 13.11.8: all processors
 * use the same memory types), its LAPIC in the BSP's mode and software
 * enabled; then it reports alive and polls its mailbox. */
_Noreturn void smp_ap_main(uint64_t cpu);
_Noreturn void smp_ap_main(uint64_t cpu)
{
    struct smp_cpu *c = &cpus[cpu];
    gdt_init_cpu(&ap_memory[cpu - 1].tables);
    __asm__ volatile("lidt %0" : : "m"(boot_idt) : "memory");
    uint64_t def;
    if (boot_mtrr_readable && !exinfo_raised(rdmsr_safe(MSR_IA32_MTRR_DEF_TYPE, &def)) &&
        def != boot_mtrr_def_type)
        (void)wrmsr_safe(MSR_IA32_MTRR_DEF_TYPE, boot_mtrr_def_type);
    smp_ap_reset_lapic(0);
    __atomic_store_n(&c->alive, true, __ATOMIC_RELEASE);
    mailbox_loop((unsigned)cpu);
}

/* Where an AP resumes after an exception that ended its job. */
static _Noreturn void resume_after_fault(uint64_t cpu)
{
    struct smp_cpu *c = &cpus[cpu];
    __atomic_store_n(&c->done, c->posted, __ATOMIC_RELEASE);
    mailbox_loop((unsigned)cpu);
}

bool smp_ap_exception(struct cpu_frame *f, uint64_t cr2)
{
    (void)cr2;
    unsigned cpu = smp_this_cpu();
    if (cpu == 0)
        return false;
    struct smp_cpu *c = &cpus[cpu];
    uint8_t v = (uint8_t)f->vector;
    c->fault_rip = f->rip;
    c->fault = exception_has_error_code(v) ? EXINFO_EC(v, f->error_code) : EXINFO(v);
    /* IRET onto a fresh stack, as if resume_after_fault had been called
     * (RSP + 8 16-byte aligned), with interrupts off. */
    f->rip = (uint64_t)resume_after_fault;
    f->rsp = (uint64_t)&ap_memory[cpu - 1].stack[SMP_AP_STACK_SIZE] - 8;
    f->rflags = RFLAGS_RESERVED1;
    f->cs = GDT_KERNEL_CS;
    f->ss = GDT_KERNEL_DS;
    f->rdi = cpu;
    return true;
}

/* ---------------------------------------------------------------- the mailbox */

bool smp_ap_idle(unsigned cpu)
{
    if (!smp_cpu_online(cpu) || cpu == 0)
        return false;
    return __atomic_load_n(&cpus[cpu].done, __ATOMIC_ACQUIRE) == cpus[cpu].posted;
}

bool smp_post(unsigned cpu, smp_job_fn fn, void *arg)
{
    if (!smp_ap_idle(cpu))
        return false;
    struct smp_cpu *c = &cpus[cpu];
    c->fn = fn;
    c->arg = arg;
    c->fault = EXINFO_NONE;
    c->fault_rip = 0;
    __atomic_store_n(&c->posted, c->posted + 1, __ATOMIC_RELEASE);
    return true;
}

bool smp_wait_done(unsigned cpu, uint64_t timeout_ns)
{
    if (!smp_cpu_online(cpu) || cpu == 0)
        return false;
    deadline_t d = deadline_after(timeout_ns);
    while (!smp_ap_idle(cpu))
        if (deadline_passed(d))
            return false;
        else
            pause();
    return true;
}

bool smp_call(unsigned cpu, smp_job_fn fn, void *arg, uint64_t timeout_ns)
{
    return smp_post(cpu, fn, arg) && smp_wait_done(cpu, timeout_ns);
}

exinfo_t smp_job_faulted(unsigned cpu)
{
    return cpu < smp_cpu_count() ? cpus[cpu].fault : EXINFO_NONE;
}

uint64_t smp_job_fault_rip(unsigned cpu)
{
    return cpu < smp_cpu_count() ? cpus[cpu].fault_rip : 0;
}

bool smp_reset_aps(uint64_t timeout_ns)
{
    bool ok = true;
    for (unsigned i = 1; i < smp_cpu_count(); i++) {
        if (!smp_cpu_online(i))
            continue;
        ok &= smp_wait_done(i, timeout_ns) && smp_call(i, smp_ap_reset_lapic, 0, timeout_ns) &&
              !exinfo_raised(smp_job_faulted(i));
    }
    return ok;
}

/* ---------------------------------------------------------------- start-up */

static void set_problem(unsigned cpu, enum smp_cpu_state state, const char *why)
{
    cpus[cpu].state = state;
    format_string(cpus[cpu].problem, sizeof(cpus[cpu].problem), "%s", why);
}

bool smp_send_ipi(uint32_t apic_id, uint32_t icr)
{
    lapic_send_ipi(apic_id, icr);
    if (lapic_mode() != LAPIC_MODE_XAPIC)
        return true;
    deadline_t d = deadline_after(SMP_ICR_IDLE_TIMEOUT_NS);
    while (lapic_read(LAPIC_ICR) & LAPIC_DELIVERY_PENDING)
        if (deadline_passed(d))
            return false;
    return true;
}

static bool wait_alive(unsigned cpu, uint64_t timeout_ns)
{
    deadline_t d = deadline_after(timeout_ns);
    while (!__atomic_load_n(&cpus[cpu].alive, __ATOMIC_ACQUIRE))
        if (deadline_passed(d))
            return false;
        else
            pause();
    return true;
}

/* SDM Vol. 3A 9.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI, 200 us. The
 * second SIPI is ignored by an AP the first one started. */
static void start_one(unsigned cpu)
{
    struct smp_cpu *c = &cpus[cpu];
    smp_boot_stack = (uint64_t)&ap_memory[cpu - 1].stack[SMP_AP_STACK_SIZE];
    smp_boot_cpu = cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    const uint32_t init = LAPIC_DM_INIT | LAPIC_LEVEL_ASSERT;
    const uint32_t sipi = LAPIC_DM_STARTUP | SMP_SIPI_VECTOR;
    bool sent = smp_send_ipi(c->apic_id, init);
    delay_ns(SMP_INIT_DELAY_NS);
    sent &= smp_send_ipi(c->apic_id, sipi);
    delay_ns(SMP_SIPI_DELAY_NS);
    sent &= smp_send_ipi(c->apic_id, sipi);
    delay_ns(SMP_SIPI_DELAY_NS);

    if (wait_alive(cpu, SMP_ALIVE_TIMEOUT_NS)) {
        c->state = SMP_CPU_ONLINE;
        return;
    }
    /* Park it: a late AP must not run on the next AP's stack. */
    (void)smp_send_ipi(c->apic_id, init);
    char why[96];
    format_string(why, sizeof(why), "no alive report within %llu ms of INIT-SIPI-SIPI%s",
                  (unsigned long long)(SMP_ALIVE_TIMEOUT_NS / 1000000ull),
                  sent ? "" : " (the ICR stayed send-pending)");
    set_problem(cpu, SMP_CPU_NO_RESPONSE, why);
}

/* What every AP takes from the BSP; false (with the reason for every AP)
 * when the start-up cannot be tried. */
static bool prepare_boot(void)
{
    const char *why = NULL;
    size_t size = (size_t)(smp_trampoline_end - smp_trampoline_start);
    uint8_t *low = (uint8_t *)(uintptr_t)SMP_TRAMPOLINE_BASE;
    if (!lapic_present() || lapic_mode() == LAPIC_MODE_DISABLED)
        why = "the BSP has no enabled local APIC to send INIT and SIPI";
    else if (read_cr3() >= PHYS_4GIB)
        why = "the BSP's page tables lie above 4 GiB (the AP loads CR3 in 32-bit mode)";
    if (!why) {
        memcpy(low, smp_trampoline_start, size);
        if (memcmp(low, smp_trampoline_start, size) != 0)
            why = "the memory at the trampoline address did not keep the start-up code";
    }
    if (why) {
        for (unsigned i = 1; i < cpu_count; i++)
            set_problem(i, SMP_CPU_NOT_STARTABLE, why);
        return false;
    }
    smp_boot_cr3 = read_cr3();
    smp_boot_efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE));
    __asm__ volatile("sidt %0" : "=m"(boot_idt));
    boot_mtrr_readable = !exinfo_raised(rdmsr_safe(MSR_IA32_MTRR_DEF_TYPE, &boot_mtrr_def_type));
    return true;
}

static void print_facts(void)
{
    const struct acpi_info *a = acpi_get();
    protocol_fact("smp.cpus", "%u", cpu_count);
    if (a->madt && a->lapic_count > SMP_MAX_CPUS)
        protocol_fact("fallback.smp", "the MADT lists %u CPUs; only the first %u are used",
                      a->lapic_count, SMP_MAX_CPUS);
    for (unsigned i = 1; i < cpu_count; i++) {
        char key[24];
        format_string(key, sizeof(key), "smp.cpu%u", i);
        if (smp_cpu_online(i))
            protocol_fact(key, "apic-id:%u,online", cpus[i].apic_id);
        else
            protocol_fact(key, "apic-id:%u,%s", cpus[i].apic_id, cpus[i].problem);
    }
    protocol_fact("smp.aps-online", "%u", smp_aps_online());
}

/* The trampoline and what the APs take from the BSP, set up once. */
static bool prepare_boot_once(void)
{
    static bool prepared, ok;
    if (!prepared) {
        prepared = true;
        ok = prepare_boot();
    }
    return ok;
}

bool smp_start_ap(unsigned cpu)
{
    discover();
    if (cpu == 0 || cpu >= cpu_count)
        return false;
    if (cpus[cpu].state == SMP_CPU_NOT_STARTED && prepare_boot_once())
        start_one(cpu);
    return smp_cpu_online(cpu);
}

unsigned smp_start_aps(void)
{
    discover();
    if (started)
        return smp_aps_online();
    started = true;
    nmi_watchdog_stop();
    if (cpu_count > 1 && prepare_boot_once())
        for (unsigned i = 1; i < cpu_count; i++)
            if (cpus[i].state == SMP_CPU_NOT_STARTED)
                start_one(i);
    print_facts();
    return smp_aps_online();
}

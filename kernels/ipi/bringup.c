/* ipi: AP start-up by INIT-SIPI-SIPI, and the state each AP reaches. */
#include "ipi.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "cpu/safe.h"
#include "drivers/lapic.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

#define CPUID1_EBX_INITIAL_APIC_ID_MASK 0xffu

/* What one CPU reports about itself, from inside a mailbox job. */
struct cpu_report {
    uint64_t efer, cr0, cr3, cr4, apic_base;
    uint16_t cs;
    uint32_t svr, apic_id, initial_apic_id;
};

static struct cpu_report reports[SMP_MAX_CPUS];

static void report_state(void *unused)
{
    (void)unused;
    struct cpu_report *r = &reports[smp_this_cpu()];
    r->efer = rdmsr(MSR_EFER);
    r->cr0 = read_cr0();
    r->cr3 = read_cr3();
    r->cr4 = read_cr4();
    r->apic_base = rdmsr(MSR_IA32_APIC_BASE);
    __asm__ volatile("mov %%cs, %0" : "=r"(r->cs));
    r->svr = lapic_read(LAPIC_SVR);
    r->apic_id = lapic_id();
    r->initial_apic_id = (cpuid(CPUID_LEAF_FEATURES).ebx >> CPUID1_EBX_INITIAL_APIC_ID_SHIFT) &
                         CPUID1_EBX_INITIAL_APIC_ID_MASK;
}

/* Every online CPU fills its report. */
static void collect_reports(void)
{
    ipi_case_begin();
    run_on_every_cpu(report_state, 0);
}

static unsigned claims_broken;

static void claim(unsigned cpu, bool holds, const char *what, uint64_t value)
{
    if (holds)
        return;
    protocol_printf("-   CPU %u (APIC ID %u): %s (value 0x%llx)\n", cpu, smp_apic_id(cpu), what,
                    (unsigned long long)value);
    claims_broken++;
}

static void expect_no_broken_claims(const char *what)
{
    unsigned broken = claims_broken;
    claims_broken = 0;
    if (broken)
        FAIL("%u AP(s) broke a claim: %s", broken, what);
}

/* SDM Vol. 3A 9.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI starts each AP at
 * the start-up vector (here 0x8000); each then reports alive from 64-bit C
 * code. A CPU that never reports is named with the reason. */
TEST_CASE_CONDITIONAL(aps_start_by_init_sipi_sipi, second_cpu_listed(), "SDM Vol. 3A 9.4.4.1")
{
    bool first_start = smp_cpu_state(FIRST_AP) == SMP_CPU_NOT_STARTED;
    uint64_t start = timebase_now_ns();
    unsigned online = smp_start_aps();
    if (first_start)
        protocol_benchmark("ap_startup_all", "us", (int64_t)((timebase_now_ns() - start) / 1000));
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++)
        if (!smp_cpu_online(cpu))
            protocol_printf("-   CPU %u (APIC ID %u): %s\n", cpu, smp_apic_id(cpu),
                            smp_cpu_problem(cpu));
    ASSERT_EQ(online, smp_cpu_count() - 1);
}

/* SDM Vol. 3A 10.8.5: the AP runs with IA-32e mode active (EFER.LMA), on
 * the BSP's page tables, with paging and PAE on, from the 64-bit code
 * segment of the platform's GDT. */
TEST_CASE_CONDITIONAL(aps_run_in_64bit_mode_on_the_bsps_page_tables, second_cpu_listed(),
                      "SDM Vol. 3A 10.8.5")
{
    collect_reports();
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++) {
        if (!smp_cpu_online(cpu))
            continue;
        const struct cpu_report *r = &reports[cpu];
        claim(cpu, r->efer & EFER_LMA, "EFER.LMA is set", r->efer);
        claim(cpu, (r->cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG), "CR0.PE and PG are set",
              r->cr0);
        claim(cpu, r->cr4 & CR4_PAE, "CR4.PAE is set", r->cr4);
        claim(cpu, r->cr3 == reports[BSP_CPU].cr3, "CR3 is the BSP's", r->cr3);
        claim(cpu, r->cs == GDT_KERNEL_CS, "CS is the 64-bit kernel code segment", r->cs);
    }
    expect_no_broken_claims("in 64-bit mode on the BSP's page tables");
}

/* SDM Vol. 3A 11.4.6: each LAPIC has its own ID, the one the MADT lists
 * for it, and CPUID.1:EBX[31:24] reports its 8 low bits (the initial APIC
 * ID). */
TEST_CASE_CONDITIONAL(ap_lapic_ids_are_the_madt_ones, second_cpu_listed(), "SDM Vol. 3A 11.4.6")
{
    collect_reports();
    for (unsigned cpu = 0; cpu < smp_cpu_count(); cpu++) {
        if (!smp_cpu_online(cpu))
            continue;
        const struct cpu_report *r = &reports[cpu];
        claim(cpu, r->apic_id == smp_apic_id(cpu), "LAPIC ID equals the MADT's", r->apic_id);
        claim(cpu, r->initial_apic_id == (r->apic_id & CPUID1_EBX_INITIAL_APIC_ID_MASK),
              "CPUID.1:EBX[31:24] equals the LAPIC ID's low byte", r->initial_apic_id);
        claim(cpu, cpu == BSP_CPU || r->apic_id != reports[BSP_CPU].apic_id,
              "LAPIC ID differs from the BSP's", r->apic_id);
    }
    expect_no_broken_claims("LAPIC IDs");
}

/* SDM Vol. 3A 11.4.4 and 9.4.1: IA32_APIC_BASE.BSP is set on the BSP only;
 * an AP's LAPIC is globally enabled, and software enabled (SVR bit 8) once
 * its start-up code set it (11.4.7.2). */
TEST_CASE_CONDITIONAL(only_the_bsp_has_the_bsp_flag_and_ap_lapics_are_enabled,
                      second_cpu_listed(), "SDM Vol. 3A 11.4.4")
{
    collect_reports();
    claim(BSP_CPU, reports[BSP_CPU].apic_base & APIC_BASE_BSP, "IA32_APIC_BASE.BSP is set",
          reports[BSP_CPU].apic_base);
    for (unsigned cpu = 1; cpu < smp_cpu_count(); cpu++) {
        if (!smp_cpu_online(cpu))
            continue;
        const struct cpu_report *r = &reports[cpu];
        claim(cpu, !(r->apic_base & APIC_BASE_BSP), "IA32_APIC_BASE.BSP is clear", r->apic_base);
        claim(cpu, r->apic_base & APIC_BASE_EN, "IA32_APIC_BASE.EN is set", r->apic_base);
        claim(cpu, r->svr & LAPIC_SVR_ENABLE, "SVR software-enable is set", r->svr);
    }
    expect_no_broken_claims("BSP flag and LAPIC enables");
}

/* ---- exceptions on an AP ---- */

/* Bit 63 set, bits 62:47 clear: not canonical with 48 or 57 address bits. */
#define NON_CANONICAL_ADDRESS 0x8000000000000000ull

static volatile exinfo_t read_on_ap;

static void execute_ud2(void *unused)
{
    (void)unused;
    __asm__ volatile("ud2");
}

static void read_a_non_canonical_address(void *unused)
{
    (void)unused;
    uint64_t value;
    read_on_ap = read64_safe(NON_CANONICAL_ADDRESS, &value);
}

/* SDM Vol. 2B UD2 and Vol. 1 3.3.7.1: the AP takes exceptions through the
 * shared IDT like the BSP: UD2 raises #UD (which ends the AP's job; the AP
 * goes on with the next one), and a load from a non-canonical address
 * raises #GP(0), which the exception table turns into read64_safe's
 * result. */
TEST_CASE_CONDITIONAL(ap_takes_exceptions_and_goes_on, second_cpu_listed(), "SDM Vol. 2B UD2")
{
    ipi_case_begin();
    ASSERT_TRUE(smp_call(FIRST_AP, execute_ud2, 0, AP_RESPONSE_NS));
    ASSERT_EQ(smp_job_faulted(FIRST_AP), EXINFO(X86_EXC_UD));
    read_on_ap = EXINFO_NONE;
    ASSERT_TRUE(smp_call(FIRST_AP, read_a_non_canonical_address, 0, AP_RESPONSE_NS));
    ASSERT_EQ(smp_job_faulted(FIRST_AP), EXINFO_NONE);
    ASSERT_EQ(read_on_ap, EXINFO_EC(X86_EXC_GP, 0));
}

/* The cost, in TSC ticks, of operations a VMM usually intercepts (a VM
 * exit each): CPUID, RDMSR/WRMSR, port I/O, LAPIC EOI and MMIO, and an
 * interrupt that wakes HLT. One case per operation; each reports its
 * median (measure.h) and fails only if the figure is insane. Not timing
 * the SMP IPI round trip: this kernel runs on one CPU. */
#include "measure.h"

#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "drivers/pit.h"
#include "test/irq.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

#define POST_CODE_PORT 0x80      /* the diagnostic port io_delay writes */
#define TEST_VECTOR    0x40
/* Fewer wake-up samples, each bounded by WAKEUP_TIMEOUT_NS: even if no IPI
 * ever arrives the case ends within a third of a second. */
#define WAKEUP_SAMPLES 31
#define WAKEUP_TIMEOUT_NS ms(10)

static void op_nothing(void *ctx) { (void)ctx; }
static void op_cpuid(void *ctx) { (void)ctx; (void)cpuid(CPUID_LEAF_VENDOR); }
static void op_rdmsr_apic_base(void *ctx) { (void)ctx; (void)rdmsr(MSR_IA32_APIC_BASE); }
static void op_rdmsr_efer(void *ctx) { (void)ctx; (void)rdmsr(MSR_EFER); }
static void op_wrmsr_star(void *ctx) { wrmsr(MSR_STAR, *(uint64_t *)ctx); }
static void op_post_code_write(void *ctx) { (void)ctx; outb(POST_CODE_PORT, 0); }

/* Counter latch command and the two byte reads of the latched count
 * (8254 datasheet, "Counter Latch Command"). */
static void op_pit_latch_read(void *ctx)
{
    (void)ctx;
    outb(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LATCH);
    (void)inb(PIT_CHANNEL0);
    (void)inb(PIT_CHANNEL0);
}

static void op_lapic_eoi(void *ctx) { (void)ctx; lapic_eoi(); }
static void op_lapic_id_read(void *ctx) { (void)ctx; (void)lapic_id(); }

struct wakeup {
    struct irq_counter irqs;
    unsigned late;          /* samples whose IPI did not arrive in time */
};

/* Send a self IPI and HLT until it is delivered: the cost of waking a
 * halted vCPU by an interrupt, end to end. An IPI that arrives after its
 * wait may merge with the next one (one IRR bit per vector, SDM Vol. 3A
 * 11.8.4), so late samples are counted, not the IPIs. */
static void op_self_ipi_hlt_wakeup(void *ctx)
{
    struct wakeup *w = ctx;
    uint32_t before = irq_count(&w->irqs);
    lapic_self_ipi(TEST_VECTOR);
    if (irq_wait(&w->irqs, before + 1, WAKEUP_TIMEOUT_NS, WAIT_HLT) < before + 1)
        w->late++;
}

/* The floor: two fenced RDTSCs with nothing between them. */
TEST_CASE(rdtsc_pair_cost_is_measured, "SDM Vol. 2B RDTSC")
{
    measure_median_cycles("rdtsc_pair", op_nothing, 0, SAMPLES);
}

TEST_CASE(cpuid_cost_is_measured, "SDM Vol. 2A CPUID")
{
    measure_median_cycles("cpuid_leaf0", op_cpuid, 0, SAMPLES);
}

TEST_CASE(rdmsr_apic_base_cost_is_measured, "SDM Vol. 2B RDMSR")
{
    measure_median_cycles("rdmsr_ia32_apic_base", op_rdmsr_apic_base, 0, SAMPLES);
}

TEST_CASE(rdmsr_efer_cost_is_measured, "SDM Vol. 2B RDMSR")
{
    measure_median_cycles("rdmsr_efer", op_rdmsr_efer, 0, SAMPLES);
}

/* Writes STAR's own value back: the write changes nothing. */
TEST_CASE(wrmsr_star_cost_is_measured, "SDM Vol. 2B WRMSR")
{
    uint64_t star = rdmsr(MSR_STAR);
    measure_median_cycles("wrmsr_star", op_wrmsr_star, &star, SAMPLES);
}

TEST_CASE(port_0x80_write_cost_is_measured, "SDM Vol. 2A OUT")
{
    measure_median_cycles("outb_port_0x80", op_post_code_write, 0, SAMPLES);
}

TEST_CASE(pit_latch_and_read_cost_is_measured, "8254 datasheet Counter Latch Command")
{
    measure_median_cycles("pit_latch_read", op_pit_latch_read, 0, SAMPLES);
}

/* An EOI with no interrupt in service is ignored by the APIC (SDM Vol. 3A
 * 11.8.5: the EOI clears the highest ISR bit, if any). */
TEST_CASE_CONDITIONAL(lapic_eoi_cost_is_measured, lapic_present(), "SDM Vol. 3A 11.8.5")
{
    measure_median_cycles("lapic_eoi", op_lapic_eoi, 0, SAMPLES);
}

TEST_CASE_CONDITIONAL(lapic_id_read_cost_is_measured, lapic_present(), "SDM Vol. 3A 11.4.6")
{
    measure_median_cycles("lapic_id_read", op_lapic_id_read, 0, SAMPLES);
}

/* Records how many samples waited out their timeout (those are the
 * timeout, not the cost): a figure, like the median. A self IPI is
 * delivered at once (SDM Vol. 3A 11.6.1), so a late sample is the VMM's
 * doing; with more than half of them late, the median is a timeout and
 * measures no cost. */
TEST_CASE_CONDITIONAL(self_ipi_hlt_wakeup_cost_is_measured, lapic_present(), "SDM Vol. 3A 11.6.1")
{
    struct wakeup w = { irq_counter_on(TEST_VECTOR, EOI_LAPIC), 0 };
    measure_median_cycles("self_ipi_hlt_wakeup", op_self_ipi_hlt_wakeup, &w, WAKEUP_SAMPLES);
    protocol_fact("timing.self_ipi_hlt_wakeup.late-samples", "%u", w.late);
    ASSERT_LE(w.late, WAKEUP_SAMPLES / 2);
}

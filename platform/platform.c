/* platform_main: from the boot stub to the case runner and power-off. */
#include "platform.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/vectors.h"
#include "drivers/acpi.h"
#include "drivers/console.h"
#include "drivers/debugcon.h"
#include "drivers/hpet.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/power.h"
#include "lib/cmdline.h"
#include "test/facts.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/nmi_watchdog.h"
#include "time/timebase.h"
#include "time/timer_service.h"

/* Defined per kernel by cmake/Kernel.cmake. */
extern const char kernel_name[];
extern const char suite_version[];

static struct boot_info boot;
static struct cmdline options;

const struct boot_info *platform_boot_info(void)
{
    return &boot;
}

/* Firmware normally enables the MTRRs with write-back as default type.
 * Booted without firmware (PVH on microvm), they are still disabled after
 * reset, which makes all memory uncached (SDM Vol. 3A 13.11.2.1): a memset
 * of 6 KiB then takes 20 ms under a nested KVM. Enable them with WB as
 * default; the MMIO range stays uncached through the page tables (PCD). */
static bool enable_mtrrs_if_firmware_did_not(void)
{
    if (!(cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_MTRR))
        return false;
    uint64_t def;
    if (exinfo_raised(rdmsr_safe(MSR_IA32_MTRR_DEF_TYPE, &def)) || (def & MTRR_DEF_TYPE_ENABLE))
        return false;
    return !exinfo_raised(wrmsr_safe(MSR_IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_ENABLE | MTRR_TYPE_WB));
}

/* Finds and quiets the interrupt controllers and timers, so no source
 * firmware left running disturbs the first case. */
static void discover_platform(void)
{
    facts_print_cpu();
    acpi_init(boot.rsdp, boot.rsdp_source);
    const struct acpi_info *a = acpi_get();

    pic_init(VECTOR_PIC_MASTER, VECTOR_PIC_SLAVE);
    ioapic_init();
    if (a->hpet && hpet_init(a->hpet_address))
        hpet_reset_state();
    if (!lapic_init(VECTOR_SPURIOUS))
        protocol_fact("fallback.lapic", "CPUID reports no local APIC");
    protocol_fact("lapic.mode", "%s",
                  lapic_mode() == LAPIC_MODE_X2APIC ? "x2apic"
                  : lapic_mode() == LAPIC_MODE_XAPIC ? "xapic" : "disabled");
    timer_service_start_measuring();
    timebase_init();
    pic_reset_state();   /* drops the calibration's last IRQ0 edge */
    timer_service_init();
    nmi_watchdog_init();
}

void platform_main(uint32_t magic, uint64_t info)
{
    bool mtrrs_enabled_here = enable_mtrrs_if_firmware_did_not();
    bootinfo_parse(magic, info, &boot);
    cmdline_parse(boot.cmdline, &options);
    console_init(options.serial, options.serial_port, options.debugcon, options.debugcon_port);
    protocol_set_sink(console_sink, 0);
    gdt_init();
    idt_init();

    test_check_cmdline(&options);
    if (options.list) {
        protocol_kernel(kernel_name, suite_version);
        test_list_all();
        power_off();
    }

    /* The TSC runs at a constant rate from reset on (or the timebase facts
     * say otherwise); its ticks are converted once it is calibrated. */
    uint64_t first_line = rdtsc();
    protocol_begin(test_count());
    protocol_kernel(kernel_name, suite_version);
    for (unsigned i = 0; i < options.error_count && i < CMDLINE_MAX_ERRORS; i++)
        protocol_cmdline_error(options.errors[i]);
    if (options.error_count > CMDLINE_MAX_ERRORS)
        protocol_printf("CERTIFY CMDLINE-ERROR msg=\"%u more problems not shown\"\n",
                        options.error_count - CMDLINE_MAX_ERRORS);
    facts_print_boot(&boot);
    if (mtrrs_enabled_here)
        protocol_fact("fallback.mtrr", "firmware left the MTRRs disabled (memory uncached); enabled them, default type WB");
    if (options.serial)
        protocol_fact("console.serial", "0x%x%s", options.serial_port,
                      console_serial_found() ? "" : " (no UART answered)");
    if (options.debugcon)
        protocol_fact("console.debugcon", "0x%x", options.debugcon_port);

    uint64_t start = rdtsc();
    discover_platform();
    protocol_benchmark("platform_discovery", "us", (int64_t)(tsc_to_ns(rdtsc() - start) / 1000));

    test_run_all(&options);
    /* The kernel's own run, first protocol line to SOTEST END: what the
     * suite keeps under 3 s on every VMM (docs/adding-a-kernel.md). */
    protocol_benchmark("kernel_run", "ms", (int64_t)(tsc_to_ns(rdtsc() - first_line) / 1000000));
    protocol_end();
    power_off();
}

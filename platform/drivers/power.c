/* Power-off; see power.h. */
#include "drivers/power.h"

#include <stdbool.h>

#include "cpu/cpu.h"
#include "drivers/acpi.h"
#include "drivers/console.h"

#define ACPI_ENABLE_POLLS 100000

static bool is_qemu(void)
{
    outw(QEMU_FW_CFG_SELECTOR, QEMU_FW_CFG_SIGNATURE);
    return inb(QEMU_FW_CFG_DATA) == 'Q' && inb(QEMU_FW_CFG_DATA) == 'E' &&
           inb(QEMU_FW_CFG_DATA) == 'M' && inb(QEMU_FW_CFG_DATA) == 'U';
}

/* ACPI 6.5 4.8.2.5 / 7.4.2: set SCI_EN through SMI_CMD if firmware left
 * the machine in legacy mode, then write SLP_TYP(S5) | SLP_EN. */
static void acpi_s5(void)
{
    const struct acpi_info *a = acpi_get();
    if (!a->fadt || !a->s5_found || !a->pm1a_control)
        return;
    if (!(inw((uint16_t)a->pm1a_control) & ACPI_SCI_EN) && a->smi_command && a->acpi_enable) {
        outb((uint16_t)a->smi_command, a->acpi_enable);
        for (int i = 0; i < ACPI_ENABLE_POLLS && !(inw((uint16_t)a->pm1a_control) & ACPI_SCI_EN); i++)
            pause();
    }
    uint16_t value = (uint16_t)((a->slp_typ_s5 << ACPI_SLP_TYP_SHIFT) | ACPI_SLP_EN);
    outw((uint16_t)a->pm1a_control, value);
    if (a->pm1b_control)
        outw((uint16_t)a->pm1b_control, value);
}

static void bochs_shutdown(void)
{
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
}

_Noreturn void power_off(void)
{
    cli();
    console_drain();
    if (is_qemu())
        outl(QEMU_DEBUG_EXIT_PORT, 0);
    acpi_s5();
    bochs_shutdown();
    for (;;)
        hlt();
}

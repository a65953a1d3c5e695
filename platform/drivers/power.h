/* Powering the machine off at the end of a run. The host never relies on
 * it: `SOTEST END` is what proves a complete run. */
#ifndef PLATFORM_DRIVERS_POWER_H
#define PLATFORM_DRIVERS_POWER_H

#define QEMU_FW_CFG_SELECTOR   0x510
#define QEMU_FW_CFG_DATA       0x511
#define QEMU_FW_CFG_SIGNATURE  0x0000
#define QEMU_DEBUG_EXIT_PORT   0xf4   /* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT    0x8900 /* takes the string "Shutdown" */

/* Tries, in order: QEMU's isa-debug-exit (only where fw_cfg says QEMU),
 * ACPI S5 through the FADT's PM1 control registers, Bochs' shutdown port;
 * then halts forever. */
_Noreturn void power_off(void);

#endif

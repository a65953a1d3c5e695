/* A second CPU as the watchdog of cases stuck with interrupts disabled,
 * where the LAPIC-timer watchdog (timer_service.h) cannot interrupt: when
 * a case overruns its limit by NMI_WATCHDOG_GRACE_NS, the watching AP
 * sends the BSP an NMI, and the NMI ends the case as the timer watchdog
 * does. An NMI is taken whatever IF says (SDM Vol. 3A 6.7.1); the BSP only
 * misses it while a case keeps NMIs blocked or its LAPIC disabled.
 *
 * It needs a second CPU the kernel does not use: on real hardware there
 * always is one; a VMM gives one with -smp 2 or more. A kernel that starts
 * the APs itself (smp_start_aps) takes the watching AP back. */
#ifndef PLATFORM_TIME_NMI_WATCHDOG_H
#define PLATFORM_TIME_NMI_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/frame.h"

/* After the timer watchdog's limit, before the NMI: the timer watchdog
 * ends a case that runs with IF=1 first, with its own verdict. */
#define NMI_WATCHDOG_GRACE_NS  (500ull * 1000000ull)

/* Starts the watching AP (the last CPU the MADT lists); prints a fact
 * either way. */
void nmi_watchdog_init(void);
bool nmi_watchdog_available(void);

/* Around each case body (case isolation). */
void nmi_watchdog_arm(uint64_t ns);
void nmi_watchdog_disarm(void);
bool nmi_watchdog_fired(void);

/* Ends the watch and gives the AP back to its mailbox. */
void nmi_watchdog_stop(void);

#endif

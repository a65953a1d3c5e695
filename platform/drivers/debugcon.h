/* The debug console: one I/O port that takes bytes (QEMU -debugcon,
 * Bochs port_e9_hack). */
#ifndef PLATFORM_DRIVERS_DEBUGCON_H
#define PLATFORM_DRIVERS_DEBUGCON_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

#define DEBUGCON_PORT          0xe9
/* QEMU's and Bochs' port reads back 0xe9 when the device is present. */
#define DEBUGCON_PRESENT_VALUE 0xe9

bool debugcon_present(uint16_t port);

static inline void debugcon_write(uint16_t port, const char *s, unsigned n)
{
    outsb(port, s, n);
}

#endif

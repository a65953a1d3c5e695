/* The checks the msr kernel's cases share. */
#ifndef KERNELS_MSR_MSR_CHECKS_H
#define KERNELS_MSR_MSR_CHECKS_H

#include <stdint.h>

/* WRMSR of `value` must raise #GP(0) and leave the MSR as it was (SDM Vol.
 * 2B WRMSR). The old value is put back whatever happened, then the case
 * fails with what was written, expected and got. */
void write_is_refused(uint32_t msr, uint64_t value);

#endif

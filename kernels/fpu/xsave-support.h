/* What the XSAVE cases of the fpu kernel ask of CPUID, and how they turn
 * XSAVE on (SDM Vol. 1 13.2, 13.3). */
#ifndef KERNELS_FPU_XSAVE_SUPPORT_H
#define KERNELS_FPU_XSAVE_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"

bool cpu_has_xsave(void);
/* CPUID.(EAX=0DH,ECX=1):EAX bit (XSAVEOPT, XSAVES, ...). */
bool cpu_has_xsave_extension(uint32_t bit);
/* The XCR0 bits the processor supports (CPUID.(EAX=0DH,ECX=0):EDX:EAX). */
uint64_t xcr0_supported(void);
/* fpu_enable(), CR4.OSXSAVE=1 and XCR0 = xcr0; fails the case if XSETBV
 * refuses. */
void xsave_enable(uint64_t xcr0);
/* IA32_XSS = 0: no supervisor state components in XSAVES. */
exinfo_t clear_ia32_xss(void);

#endif

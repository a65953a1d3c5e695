/* lapic-modes: what every case file shares: vectors, entering a mode,
 * raw x2APIC MSR access and the variant tables. */
#ifndef KERNELS_LAPIC_MODES_MODES_H
#define KERNELS_LAPIC_MODES_MODES_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/msr-index.h"
#include "drivers/lapic.h"
#include "test/irq.h"

#define IPI_VECTOR        0x50
#define ERROR_VECTOR      0x51   /* LVT error */
#define ILLEGAL_VECTOR    (LAPIC_FIRST_LEGAL_VECTOR - 1)   /* 15 */
#define IPI_LIMIT_NS      (50ull * 1000000ull)
#define NO_IPI_WINDOW_NS  (2ull * 1000000ull)
/* An APIC error interrupts as it is detected; 10 ms is ample for any VMM
 * and keeps the kernel short where none comes. */
#define ERROR_LIMIT_NS    (10ull * 1000000ull)

/* AMD: the APIC has the extended register space at offsets 400H and up
 * (AMD APM Vol. 3, CPUID Fn8000_0001_ECX[ExtApicSpace]). Belongs in
 * cpu/cpuid.h; kept here until the platform has it. */
#define AMD_CPUID_EXT_ECX_EXT_APIC_SPACE (1u << 3)

/* IA32_APIC_BASE's EN and EXTD in each state (SDM Vol. 3A Table 11-5). */
#define XAPIC_BITS        APIC_BASE_EN
#define X2APIC_BITS       (APIC_BASE_EN | APIC_BASE_EXTD)
#define DISABLED_BITS     0ull
#define INVALID_BITS      APIC_BASE_EXTD   /* EN=0 EXTD=1 */

bool interface_usable(enum lapic_mode mode);
bool x2apic_usable(void);

/* Switches to `mode` along the legal path (the framework restores the boot
 * mode after the case) and software-enables the APIC. */
void enter_mode(enum lapic_mode mode);
/* Writes IA32_APIC_BASE with EN and EXTD as given (address and BSP kept);
 * returns the exception. The cached mode follows the MSR. */
exinfo_t write_apic_base_mode(uint64_t en_extd);
uint64_t apic_base_mode_bits(void);

/* One case per register interface: body(mode). */
#define INTERFACE_CASE_(name, body, usable, iface, mode, ref)                   \
    TEST_CASE_CONDITIONAL(name##_##iface, usable(mode), ref)                    \
    {                                                                           \
        body(mode);                                                             \
    }
#define INTERFACE_CASES(name, body, ref)                                        \
    INTERFACE_CASE_(name, body, interface_usable, xapic, LAPIC_MODE_XAPIC, ref) \
    INTERFACE_CASE_(name, body, interface_usable, x2apic, LAPIC_MODE_X2APIC, ref)

/* From each valid state, an IA32_APIC_BASE write of EN=0 EXTD=1 raises
 * #GP and leaves the state as it was. */
void invalid_state_raises_gp(enum lapic_mode from);

/* Every x2APIC register MSR raises #GP in `mode` (xAPIC or disabled). */
void x2apic_msrs_fault_outside_x2apic_mode(enum lapic_mode mode);

/* A TPR write through the xAPIC page (the value is an illegal vector). */
void write_tpr_through_the_page(void);

/* One case per wait mode: body(wait). */
#define WAIT_CASES(name, body, usable, ref)                                     \
    TEST_CASE_CONDITIONAL(name##_hlt, usable, ref) { body(WAIT_HLT); }          \
    TEST_CASE_CONDITIONAL(name##_spin, usable, ref) { body(WAIT_SPIN); }

#endif

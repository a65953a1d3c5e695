/* The reserved-CR4-bit fault, in a file linked last: QEMU 7.2 TCG loops on
 * this MOV with interrupts blocked instead of raising #GP (fixed in later
 * QEMU), so on that VMM every case after it would go unreported. */
#include "exceptions.h"
#include "cpu/cpu.h"
#include "test/test.h"

/* SDM Vol. 2B MOV CR: setting a reserved CR4 bit is #GP(0). */
DELIVERY_CASE(mov_to_cr4_with_a_reserved_bit_raises_gp_as_a_fault,
              "SDM Vol. 2B MOV-Move to/from Control Registers",
              cr4_reserved_bit, EXINFO_EC(X86_EXC_GP, 0), FAULT)

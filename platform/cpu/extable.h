/* The exception table: a list of (faulting RIP, fixup RIP) pairs. When an
 * instruction listed here faults, the handler resumes at its fixup with the
 * exception in RDI (an exinfo_t, catch.h). Used by the *_safe helpers. */
#ifndef PLATFORM_CPU_EXTABLE_H
#define PLATFORM_CPU_EXTABLE_H

#include <stdint.h>

struct extable_entry {
    uint64_t fault_rip, fixup_rip;
};

/* In inline asm: EXTABLE("1b", "2b") after "1: insn; 2:". */
#define EXTABLE(fault, fixup)                                      \
    ".pushsection .extable, \"a\"\n\t.balign 8\n\t.quad " fault ", " fixup "\n\t.popsection\n\t"

/* The fixup RIP for rip, or 0. */
uint64_t extable_lookup(uint64_t rip);

#endif

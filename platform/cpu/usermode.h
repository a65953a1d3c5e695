/* Ring 3 for cases: run a function at CPL 3 and come back to ring 0 with
 * the exception that ended it, like run_catching (catch.h).
 *
 *   ASSERT_EXCEPTION(run_in_user_mode(execute_hlt, 0), EXINFO_EC(X86_EXC_GP, 0));
 *
 * Entry is an IRET to GDT_USER_CS/GDT_USER_DS with RPL 3 (SDM Vol. 3A
 * 6.14.2, Vol. 2A IRET) on a user stack, under a copy of the page tables in
 * which the kernel image is user-accessible (U/S set in the PML4E, PDPTE and
 * the PDEs that map it, SDM Vol. 3A 4.6.1) and nothing else is. The way
 * back is an exception: when fn returns, a UD2 at a known address raises
 * #UD, the CPU switches to TSS.RSP0 (gdt.c) and the catch frame resumes in
 * ring 0. That #UD at the return point is "no exception"; any other
 * exception is the result. Ring-3 code may use the *_safe helpers (their
 * fixups resume in ring 3) but must not ASSERT: it records, the case checks
 * after the return. */
#ifndef PLATFORM_CPU_USERMODE_H
#define PLATFORM_CPU_USERMODE_H

#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/processor-flags.h"

/* RFLAGS ring 3 starts with by default: IF=0, IOPL 0, no AC, no TF. */
#define USER_RFLAGS_DEFAULT RFLAGS_RESERVED1

/* Runs fn(arg) at CPL 3 with USER_RFLAGS_DEFAULT; returns the exception
 * that ended it, EXINFO_NONE when fn returned. */
exinfo_t run_in_user_mode(void (*fn)(void *), void *arg);

/* The same with the RFLAGS ring 3 starts with (IOPL, AC, IF, TF: bit 1 is
 * forced) and the full record of the exception (rec may be NULL). */
exinfo_t run_in_user_mode_flags(void (*fn)(void *), void *arg, uint64_t rflags,
                                struct exception_record *rec);

/* The RSP ring 3 starts with (16-byte aligned, inside the user stack). */
uint64_t user_mode_stack_top(void);

/* The address of the UD2 that ends a ring-3 run when fn returns. */
uint64_t user_mode_return_point(void);

#endif

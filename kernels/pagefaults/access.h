/* Accesses that may fault, and what the fault said: the exception (with
 * its error code) and CR2 (SDM Vol. 3A 4.7, 6.15 "Interrupt 14"). */
#ifndef KERNELS_PAGEFAULTS_ACCESS_H
#define KERNELS_PAGEFAULTS_ACCESS_H

#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/processor-flags.h"
#include "test/test.h"

/* CR2 is set to this before each access, so a stale CR2 cannot match. */
#define CR2_POISON 0xdead0000ull

struct fault {
    exinfo_t ex;
    uint64_t cr2;
};

struct fault read_at(uint64_t address);
struct fault write_at(uint64_t address, uint64_t value);
/* Calls the code at `address` (a RET there returns). */
struct fault execute_at(uint64_t address);

/* The access raised #PF with error code `ec` and CR2 = `address`. */
#define ASSERT_PAGE_FAULT(f, address, ec)                                   \
    do {                                                                    \
        struct fault f__ = (f);                                             \
        ASSERT_EXCEPTION(f__.ex, EXINFO_EC(X86_EXC_PF, (ec)));              \
        ASSERT_EQ(f__.cr2, (address));                                      \
    } while (0)

#define ASSERT_NO_FAULT(f) ASSERT_NO_EXCEPTION((f).ex)

#endif

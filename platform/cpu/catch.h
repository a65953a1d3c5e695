/* Exceptions are values: run code and learn which exception it raised,
 * without crashing. Two mechanisms with one result type, exinfo_t:
 *  - the exception table (extable.h) for single instructions (rdmsr_safe),
 *  - catch_call / run_catching for arbitrary code (and the case runner). */
#ifndef PLATFORM_CPU_CATCH_H
#define PLATFORM_CPU_CATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/frame.h"

/* An exception as a value: 0 when none was raised, else the vector and
 * error code. Layout: bit 63 raised, bit 62 error code valid, 39:32 vector,
 * 31:0 error code. */
typedef uint64_t exinfo_t;

#define EXINFO_NONE        ((exinfo_t)0)
#define EXINFO_RAISED      (1ull << 63)
#define EXINFO_HAS_EC      (1ull << 62)
#define EXINFO(vec)        (EXINFO_RAISED | ((exinfo_t)(vec) << 32))
#define EXINFO_EC(vec, ec) (EXINFO(vec) | EXINFO_HAS_EC | (uint32_t)(ec))

static inline bool exinfo_raised(exinfo_t e) { return e & EXINFO_RAISED; }
static inline uint8_t exinfo_vector(exinfo_t e) { return (uint8_t)(e >> 32); }
static inline uint32_t exinfo_error_code(exinfo_t e) { return (uint32_t)e; }
static inline bool exinfo_has_error_code(exinfo_t e) { return e & EXINFO_HAS_EC; }

/* Writes "#GP(0x0)" / "#UD" / "none" into buf. */
const char *exinfo_format(exinfo_t e, char *buf, unsigned size);

/* Everything known about a caught exception. */
struct exception_record {
    exinfo_t info;
    uint64_t cr2;
    struct cpu_frame frame;   /* registers at the fault */
};

/* Layout shared with catch.asm: keep the order. */
struct catch_frame {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rflags;
    struct catch_frame *prev;
    struct exception_record record;
    /* Set by catch_unwind() when the unwind was not an exception. */
    int unwind_reason;
};

/* Runs fn(arg); returns false if it returned normally, true if an exception
 * (recorded in cf->record) or catch_unwind() ended it early. Nests. */
bool catch_call(void (*fn)(void *), void *arg, struct catch_frame *cf);

/* Runs fn(arg) and returns the exception it raised, EXINFO_NONE if none. */
exinfo_t run_catching(void (*fn)(void *), void *arg);

/* The innermost active catch frame, NULL outside any. */
struct catch_frame *catch_current(void);

/* Ends the innermost catch_call from ordinary code with `reason`. */
_Noreturn void catch_unwind(int reason);

/* Used by the exception handler: make IRET resume in the innermost catch
 * frame with the exception recorded. False if no catch frame is active. */
bool catch_exception(struct cpu_frame *frame, uint64_t cr2);

#endif

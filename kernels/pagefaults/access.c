/* Accesses that may fault; see access.h. */
#include "access.h"

#include "cpu/cpu.h"
#include "cpu/extable.h"
#include "cpu/safe.h"

static exinfo_t write64_safe(uint64_t address, uint64_t value)
{
    exinfo_t ex = EXINFO_NONE;
    __asm__ volatile("1: movq %2, (%1)\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex)
                     : "r"(address), "r"(value)
                     : "memory");
    return ex;
}

/* The extable fixup runs before anything else can fault, so CR2 read
 * right after still holds the faulting address. */
struct fault read_at(uint64_t address)
{
    uint64_t value;
    write_cr2(CR2_POISON);
    struct fault f = { read64_safe(address, &value), 0 };
    f.cr2 = read_cr2();
    return f;
}

struct fault write_at(uint64_t address, uint64_t value)
{
    write_cr2(CR2_POISON);
    struct fault f = { write64_safe(address, value), 0 };
    f.cr2 = read_cr2();
    return f;
}

struct fault execute_at(uint64_t address)
{
    struct catch_frame cf;
    write_cr2(CR2_POISON);
    struct fault f = { EXINFO_NONE, read_cr2() };
    if (catch_call((void (*)(void *))address, 0, &cf)) {
        f.ex = cf.record.info;
        f.cr2 = cf.record.cr2;
    }
    return f;
}

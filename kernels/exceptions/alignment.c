/* #AC: alignment checking needs CR0.AM, RFLAGS.AC and CPL 3 together (SDM
 * Vol. 3A 6.15 Interrupt 17; 2.5 CR0.AM; 2.3 RFLAGS.AC). Ring 3
 * comes from run_in_user_mode (cpu/usermode.h). */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/usermode.h"
#include "test/test.h"

#define MISALIGNMENT 1

static uint8_t buffer[16] __attribute__((aligned(16)));

/* A 4-byte load from an address that is not a multiple of 4. */
static void load_misaligned(void *address)
{
    uint32_t value;
    __asm__ volatile("movl (%1), %0" : "=r"(value) : "r"(address) : "memory");
}

static void load_misaligned_with_ac(void *address)
{
    write_rflags(read_rflags() | RFLAGS_AC);
    load_misaligned(address);
    write_rflags(read_rflags() & ~RFLAGS_AC);
}

enum ring { RING0, RING3 };

struct alignment_case {
    bool cr0_am, rflags_ac;
    enum ring ring;
    exinfo_t expected;
};

static void check_alignment(const struct alignment_case *c)
{
    write_cr0(c->cr0_am ? read_cr0() | CR0_AM : read_cr0() & ~CR0_AM);
    void *address = buffer + MISALIGNMENT;
    exinfo_t got;
    struct exception_record rec = { 0 };
    if (c->ring == RING3)
        got = run_in_user_mode_flags(load_misaligned, address,
                                     USER_RFLAGS_DEFAULT | (c->rflags_ac ? RFLAGS_AC : 0), &rec);
    else
        got = run_catching(c->rflags_ac ? load_misaligned_with_ac : load_misaligned, address);
    ASSERT_EXCEPTION(got, c->expected);
    if (exinfo_raised(c->expected))   /* taken in ring 3 */
        ASSERT_EQ(rec.frame.cs, GDT_USER_CS | SELECTOR_RPL3);
}

#define ALIGNMENT_CASE(name, ...)                                            \
    TEST_CASE(name, "SDM Vol. 3A 6.15 Interrupt 17")                         \
    {                                                                        \
        static const struct alignment_case c = { __VA_ARGS__ };             \
        check_alignment(&c);                                                 \
    }

ALIGNMENT_CASE(misaligned_load_in_ring3_with_am_and_ac_raises_ac_zero,
               true, true, RING3, EXINFO_EC(X86_EXC_AC, 0))
ALIGNMENT_CASE(misaligned_load_in_ring3_without_cr0_am_does_not_fault,
               false, true, RING3, EXINFO_NONE)
ALIGNMENT_CASE(misaligned_load_in_ring3_without_rflags_ac_does_not_fault,
               true, false, RING3, EXINFO_NONE)
ALIGNMENT_CASE(misaligned_load_in_ring0_with_am_and_ac_does_not_fault,
               true, true, RING0, EXINFO_NONE)

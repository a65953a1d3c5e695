/* Entering ring 3 by IRET and coming back by an exception: CPL 3 with the
 * user selectors, and the stack switch to TSS.RSP0 with the ring-3 SS:RSP
 * pushed (SDM Vol. 3A 6.14.2, 6.14.4; Vol. 2A IRET). */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/interrupt.h"
#include "cpu/usermode.h"
#include "test/test.h"

#define FRAME_ALIGNMENT    16     /* 64-bit delivery aligns RSP (SDM Vol. 3A 6.14.2) */
#define USER_STACK_IN_USE  4096   /* execute_ud2 runs well within a page of the top */

static void note_selectors(void *arg)
{
    struct ring_state *s = arg;
    uint16_t cs, ss;
    __asm__ volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(cs), "=r"(ss));
    s->cs = cs;
    s->ss = ss;
}

/* SDM Vol. 2A IRET: returning to an outer level loads CS and SS from the
 * frame; CPL = CS.RPL = 3. */
TEST_CASE(iret_enters_ring3_with_the_user_selectors, "SDM Vol. 2A IRET; SDM Vol. 3A 5.5")
{
    static struct ring_state seen;
    seen.cs = seen.ss = 0;
    ASSERT_NO_EXCEPTION(run_in_user_mode(note_selectors, &seen));
    ASSERT_EQ(seen.cs, GDT_USER_CS | SELECTOR_RPL3);
    ASSERT_EQ(seen.ss, GDT_USER_DS | SELECTOR_RPL3);
}

struct frame_location {
    uint64_t address;
};

static void note_frame_and_catch(struct cpu_frame *frame, void *ctx)
{
    ((struct frame_location *)ctx)->address = (uint64_t)frame;
    catch_exception(frame, read_cr2());
}

static void execute_ud2(void *arg)
{
    (void)arg;
    __asm__ volatile("ud2");
}

/* SDM Vol. 3A 6.14.4: an exception from ring 3 through a gate without IST
 * switches to TSS.RSP0 (aligned down to 16) and pushes the ring-3 SS and
 * RSP, CS and RIP. */
TEST_CASE(exception_from_ring3_switches_to_tss_rsp0, "SDM Vol. 3A 6.14.4")
{
    struct frame_location where = { 0 };
    interrupt_set_handler(X86_EXC_UD, note_frame_and_catch, &where);
    struct exception_record rec;
    ASSERT_EXCEPTION(run_in_user_mode_flags(execute_ud2, 0, USER_RFLAGS_DEFAULT, &rec),
                     EXINFO(X86_EXC_UD));
    ASSERT_EQ(where.address + sizeof(struct cpu_frame),
              tss_get()->rsp[0] & ~(uint64_t)(FRAME_ALIGNMENT - 1));
    ASSERT_EQ(rec.frame.cs, GDT_USER_CS | SELECTOR_RPL3);
    ASSERT_EQ(rec.frame.ss, GDT_USER_DS | SELECTOR_RPL3);
    ASSERT_LT(rec.frame.rsp, user_mode_stack_top());
    ASSERT_GE(rec.frame.rsp, user_mode_stack_top() - USER_STACK_IN_USE);
}

/* The RFLAGS ring 3 was entered with come back in the frame: IOPL and AC
 * as IRET loaded them at CPL 0 (SDM Vol. 2A IRET). */
TEST_CASE(iret_from_ring0_loads_iopl_and_ac_for_ring3, "SDM Vol. 2A IRET")
{
    struct exception_record rec;
    uint64_t flags = USER_RFLAGS_DEFAULT | RFLAGS_IOPL_MASK | RFLAGS_AC;
    ASSERT_EXCEPTION(run_in_user_mode_flags(execute_ud2, 0, flags, &rec), EXINFO(X86_EXC_UD));
    ASSERT_EQ(rec.frame.rflags & (RFLAGS_IOPL_MASK | RFLAGS_AC), RFLAGS_IOPL_MASK | RFLAGS_AC);
}

/* IRET to ring 3 with a bad selector is a #GP(selector) in ring 0, on the
 * IRETQ (SDM Vol. 2A IRET, protected-mode return to outer level). The RIP
 * points at a UD2 so a wrongly accepted frame shows up as #UD or #PF. */
extern const char ud2_here[];
__asm__(".pushsection .text\nud2_here:\n\tud2\n\t.popsection");

struct iret_case {
    uint16_t cs, ss;
    exinfo_t expected;
};

static void check_iret(const struct iret_case *c)
{
    struct iret_frame f = { (uint64_t)ud2_here, c->cs, USER_RFLAGS_DEFAULT,
                            user_mode_stack_top(), c->ss };
    struct catch_frame cf;
    ASSERT_TRUE(catch_call(iret_to, &f, &cf));
    ASSERT_EXCEPTION(cf.record.info, c->expected);
    ASSERT_EQ(cf.record.frame.rip, (uint64_t)iret_to_insn);
    ASSERT_EQ(cf.record.frame.cs, GDT_KERNEL_CS);
}

#define IRET_CASE(name, ...)                                                 \
    TEST_CASE(name, "SDM Vol. 2A IRET")                                      \
    {                                                                        \
        static const struct iret_case c = { __VA_ARGS__ };                  \
        check_iret(&c);                                                      \
    }

/* CS RPL 3 on a DPL 0 non-conforming code segment. */
IRET_CASE(iret_to_a_dpl0_code_segment_with_rpl3_raises_gp_selector,
          GDT_KERNEL_CS | SELECTOR_RPL3, GDT_USER_DS | SELECTOR_RPL3,
          EXINFO_EC(X86_EXC_GP, GDT_KERNEL_CS))
/* SS RPL must equal the return CS RPL. */
IRET_CASE(iret_to_ring3_with_ss_rpl0_raises_gp_selector,
          GDT_USER_CS | SELECTOR_RPL3, GDT_USER_DS, EXINFO_EC(X86_EXC_GP, GDT_USER_DS))
/* SS DPL must equal the return CS RPL. */
IRET_CASE(iret_to_ring3_with_a_dpl0_stack_segment_raises_gp_selector,
          GDT_USER_CS | SELECTOR_RPL3, GDT_KERNEL_DS | SELECTOR_RPL3,
          EXINFO_EC(X86_EXC_GP, GDT_KERNEL_DS))
/* A null SS is allowed only for a return to CPL < 3 in 64-bit mode. */
IRET_CASE(iret_to_ring3_with_a_null_ss_raises_gp_zero,
          GDT_USER_CS | SELECTOR_RPL3, SELECTOR_RPL3, EXINFO_EC(X86_EXC_GP, 0))

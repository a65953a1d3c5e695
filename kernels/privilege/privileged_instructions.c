/* Privileged instructions raise #GP(0) at CPL 3, as a fault on the
 * instruction itself (SDM Vol. 3A 5.9, and each instruction's "#GP(0) If
 * the current privilege level is not 0" in Vol. 2). One case per
 * instruction; each runs first in a tiny function, so the faulting RIP is
 * the function's address. Port I/O and CLI/STI fault because IOPL is 0 and
 * the platform TSS has no I/O bitmap (SDM Vol. 1 19.5.1). */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/usermode.h"
#include "test/test.h"

/* A function whose first instruction is `insn`. */
#define RING3_INSTRUCTION(name, insn)                                        \
    __asm__(".pushsection .text\n"                                           \
            #name ":\n\t" insn "\n\t"                                        \
            "ret\n\t"                                                        \
            ".popsection");                                                  \
    void name(void *arg)

RING3_INSTRUCTION(execute_hlt, "hlt");
RING3_INSTRUCTION(execute_cli, "cli");
RING3_INSTRUCTION(execute_sti, "sti");
RING3_INSTRUCTION(execute_read_cr0, "mov %cr0, %rax");
RING3_INSTRUCTION(execute_write_cr0, "mov %rax, %cr0");
RING3_INSTRUCTION(execute_write_cr3, "mov %rax, %cr3");
RING3_INSTRUCTION(execute_read_cr4, "mov %cr4, %rax");
RING3_INSTRUCTION(execute_read_cr8, "mov %cr8, %rax");
RING3_INSTRUCTION(execute_read_dr7, "mov %dr7, %rax");
RING3_INSTRUCTION(execute_rdmsr, "rdmsr");
RING3_INSTRUCTION(execute_wrmsr, "wrmsr");
RING3_INSTRUCTION(execute_lgdt, "lgdt (%rsp)");
RING3_INSTRUCTION(execute_lidt, "lidt (%rsp)");
RING3_INSTRUCTION(execute_lldt, "lldt %ax");
RING3_INSTRUCTION(execute_ltr, "ltr %ax");
RING3_INSTRUCTION(execute_lmsw, "lmsw %ax");
RING3_INSTRUCTION(execute_clts, "clts");
RING3_INSTRUCTION(execute_invlpg, "invlpg (%rsp)");
RING3_INSTRUCTION(execute_wbinvd, "wbinvd");
RING3_INSTRUCTION(execute_invd, "invd");
RING3_INSTRUCTION(execute_swapgs, "swapgs");
RING3_INSTRUCTION(execute_rdpmc, "xor %ecx, %ecx\n\trdpmc");
RING3_INSTRUCTION(execute_in, "inb $0x80, %al");
RING3_INSTRUCTION(execute_out, "outb %al, $0x80");
RING3_INSTRUCTION(execute_ins, "insb");

/* RDPMC: its CPL check is CR4.PCE; the XOR before it moves its address. */
#define RDPMC_OFFSET 2

static void check_gp_in_ring3(void (*fn)(void *), uint64_t offset)
{
    write_cr4(read_cr4() & ~CR4_PCE);
    struct exception_record rec;
    ASSERT_EXCEPTION(run_in_user_mode_flags(fn, 0, USER_RFLAGS_DEFAULT, &rec),
                     EXINFO_EC(X86_EXC_GP, 0));
    ASSERT_EQ(rec.frame.rip, (uint64_t)fn + offset);
    ASSERT_EQ(rec.frame.cs, GDT_USER_CS | SELECTOR_RPL3);
}

#define GP_IN_RING3(name, fn, ref)                                           \
    TEST_CASE(name, ref) { check_gp_in_ring3(fn, 0); }

GP_IN_RING3(hlt_in_ring3_raises_gp, execute_hlt, "SDM Vol. 2A HLT")
GP_IN_RING3(cli_in_ring3_with_iopl0_raises_gp, execute_cli, "SDM Vol. 2A CLI")
GP_IN_RING3(sti_in_ring3_with_iopl0_raises_gp, execute_sti, "SDM Vol. 2B STI")
GP_IN_RING3(mov_from_cr0_in_ring3_raises_gp, execute_read_cr0, "SDM Vol. 2B MOV-Move to/from Control Registers")
GP_IN_RING3(mov_to_cr0_in_ring3_raises_gp, execute_write_cr0, "SDM Vol. 2B MOV-Move to/from Control Registers")
GP_IN_RING3(mov_to_cr3_in_ring3_raises_gp, execute_write_cr3, "SDM Vol. 2B MOV-Move to/from Control Registers")
GP_IN_RING3(mov_from_cr4_in_ring3_raises_gp, execute_read_cr4, "SDM Vol. 2B MOV-Move to/from Control Registers")
GP_IN_RING3(mov_from_cr8_in_ring3_raises_gp, execute_read_cr8, "SDM Vol. 2B MOV-Move to/from Control Registers")
GP_IN_RING3(mov_from_dr7_in_ring3_raises_gp, execute_read_dr7, "SDM Vol. 2B MOV-Move to/from Debug Registers")
GP_IN_RING3(rdmsr_in_ring3_raises_gp, execute_rdmsr, "SDM Vol. 2B RDMSR")
GP_IN_RING3(wrmsr_in_ring3_raises_gp, execute_wrmsr, "SDM Vol. 2B WRMSR")
GP_IN_RING3(lgdt_in_ring3_raises_gp, execute_lgdt, "SDM Vol. 2A LGDT/LIDT")
GP_IN_RING3(lidt_in_ring3_raises_gp, execute_lidt, "SDM Vol. 2A LGDT/LIDT")
GP_IN_RING3(lldt_in_ring3_raises_gp, execute_lldt, "SDM Vol. 2A LLDT")
GP_IN_RING3(ltr_in_ring3_raises_gp, execute_ltr, "SDM Vol. 2A LTR")
GP_IN_RING3(lmsw_in_ring3_raises_gp, execute_lmsw, "SDM Vol. 2A LMSW")
GP_IN_RING3(clts_in_ring3_raises_gp, execute_clts, "SDM Vol. 2A CLTS")
GP_IN_RING3(invlpg_in_ring3_raises_gp, execute_invlpg, "SDM Vol. 2A INVLPG")
GP_IN_RING3(wbinvd_in_ring3_raises_gp, execute_wbinvd, "SDM Vol. 2B WBINVD")
GP_IN_RING3(invd_in_ring3_raises_gp, execute_invd, "SDM Vol. 2A INVD")
GP_IN_RING3(swapgs_in_ring3_raises_gp, execute_swapgs, "SDM Vol. 2B SWAPGS")
GP_IN_RING3(in_in_ring3_with_iopl0_and_no_io_bitmap_raises_gp, execute_in, "SDM Vol. 2A IN; SDM Vol. 1 19.5")
GP_IN_RING3(out_in_ring3_with_iopl0_and_no_io_bitmap_raises_gp, execute_out, "SDM Vol. 2B OUT; SDM Vol. 1 19.5")
GP_IN_RING3(ins_in_ring3_with_iopl0_and_no_io_bitmap_raises_gp, execute_ins, "SDM Vol. 2A INS; SDM Vol. 1 19.5")

/* SDM Vol. 2B RDPMC: "#GP(0) If the current privilege level is not 0 and
 * the PCE flag in the CR4 register is clear". */
TEST_CASE(rdpmc_in_ring3_without_cr4_pce_raises_gp, "SDM Vol. 2B RDPMC")
{
    check_gp_in_ring3(execute_rdpmc, RDPMC_OFFSET);
}

/* Exception dispatch: fixups, catch frames, and the dump of an exception
 * nobody expected. */
#include "cpu/exception.h"

#include "cpu/cpu.h"
#include "cpu/extable.h"
#include "cpu/gdt.h"
#include "cpu/interrupt.h"
#include "drivers/console.h"
#include "lib/format.h"
#include "smp/smp.h"
#include "test/protocol.h"

static const char *const mnemonics[X86_NR_EXCEPTIONS] = {
    [X86_EXC_DE] = "#DE", [X86_EXC_DB] = "#DB", [X86_EXC_NMI] = "NMI",
    [X86_EXC_BP] = "#BP", [X86_EXC_OF] = "#OF", [X86_EXC_BR] = "#BR",
    [X86_EXC_UD] = "#UD", [X86_EXC_NM] = "#NM", [X86_EXC_DF] = "#DF",
    [9] = "#CSO", [X86_EXC_TS] = "#TS", [X86_EXC_NP] = "#NP",
    [X86_EXC_SS] = "#SS", [X86_EXC_GP] = "#GP", [X86_EXC_PF] = "#PF",
    [X86_EXC_MF] = "#MF", [X86_EXC_AC] = "#AC", [X86_EXC_MC] = "#MC",
    [X86_EXC_XM] = "#XM", [X86_EXC_VE] = "#VE", [X86_EXC_CP] = "#CP",
    [X86_EXC_HV] = "#HV", [X86_EXC_VC] = "#VC", [X86_EXC_SX] = "#SX",
};

const char *exception_mnemonic(uint8_t vector, char *buf, unsigned size)
{
    if (vector < X86_NR_EXCEPTIONS && mnemonics[vector])
        format_string(buf, size, "%s", mnemonics[vector]);
    else
        format_string(buf, size, "vector 0x%02x", vector);
    return buf;
}

bool exception_has_error_code(uint8_t vector)
{
    switch (vector) {
    case X86_EXC_DF: case X86_EXC_TS: case X86_EXC_NP: case X86_EXC_SS:
    case X86_EXC_GP: case X86_EXC_PF: case X86_EXC_AC: case X86_EXC_CP:
    case X86_EXC_VC: case X86_EXC_SX:
        return true;
    default:
        return false;
    }
}

const char *exinfo_format(exinfo_t e, char *buf, unsigned size)
{
    char name[16];
    if (!exinfo_raised(e))
        format_string(buf, size, "none");
    else if (exinfo_has_error_code(e))
        format_string(buf, size, "%s(0x%x)",
                      exception_mnemonic(exinfo_vector(e), name, sizeof(name)),
                      exinfo_error_code(e));
    else
        format_string(buf, size, "%s",
                      exception_mnemonic(exinfo_vector(e), name, sizeof(name)));
    return buf;
}

void exception_dump(const struct exception_record *rec, const char *prefix)
{
    const struct cpu_frame *f = &rec->frame;
    char what[32];
    exinfo_format(rec->info, what, sizeof(what));
    protocol_printf("%sexception %s (vector %u) at RIP 0x%016llx CS 0x%llx RFLAGS 0x%llx\n",
                    prefix, what, exinfo_vector(rec->info),
                    (unsigned long long)f->rip, (unsigned long long)f->cs,
                    (unsigned long long)f->rflags);
    protocol_printf("%sCR2 0x%016llx RSP 0x%016llx SS 0x%llx\n", prefix,
                    (unsigned long long)rec->cr2, (unsigned long long)f->rsp,
                    (unsigned long long)f->ss);
    protocol_printf("%sRAX 0x%016llx RBX 0x%016llx RCX 0x%016llx RDX 0x%016llx\n", prefix,
                    (unsigned long long)f->rax, (unsigned long long)f->rbx,
                    (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    protocol_printf("%sRSI 0x%016llx RDI 0x%016llx RBP 0x%016llx R8  0x%016llx\n", prefix,
                    (unsigned long long)f->rsi, (unsigned long long)f->rdi,
                    (unsigned long long)f->rbp, (unsigned long long)f->r8);
    protocol_printf("%sR9  0x%016llx R10 0x%016llx R11 0x%016llx R12 0x%016llx\n", prefix,
                    (unsigned long long)f->r9, (unsigned long long)f->r10,
                    (unsigned long long)f->r11, (unsigned long long)f->r12);
    protocol_printf("%sR13 0x%016llx R14 0x%016llx R15 0x%016llx\n", prefix,
                    (unsigned long long)f->r13, (unsigned long long)f->r14,
                    (unsigned long long)f->r15);
    protocol_printf("%sCR0 0x%llx CR3 0x%llx CR4 0x%llx EFER 0x%llx\n", prefix,
                    (unsigned long long)read_cr0(), (unsigned long long)read_cr3(),
                    (unsigned long long)read_cr4(), (unsigned long long)rdmsr(MSR_EFER));
}

extern const struct extable_entry __extable_start[], __extable_end[];

uint64_t extable_lookup(uint64_t rip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->fault_rip == rip)
            return e->fixup_rip;
    return 0;
}

static exinfo_t frame_exinfo(const struct cpu_frame *f)
{
    uint8_t v = (uint8_t)f->vector;
    return exception_has_error_code(v) ? EXINFO_EC(v, f->error_code) : EXINFO(v);
}

/* An exception with no handler: a fixup, else a catch frame, else the kernel
 * cannot go on. */
void exception_unhandled(struct cpu_frame *f)
{
    uint64_t cr2 = read_cr2();
    uint64_t fixup = extable_lookup(f->rip);
    if (fixup) {
        f->rip = fixup;
        f->rdi = frame_exinfo(f);
        return;
    }
    if (smp_ap_exception(f, cr2))   /* an AP never uses the BSP's catch frames */
        return;
    if (catch_exception(f, cr2))
        return;

    struct exception_record rec = { frame_exinfo(f), cr2, *f };
    char what[32], msg[96];
    exinfo_format(rec.info, what, sizeof(what));
    format_string(msg, sizeof(msg), "exception %s at RIP 0x%llx outside any test case",
                  what, (unsigned long long)f->rip);
    exception_dump(&rec, "- ");
    protocol_panic(msg);
    for (;;) {
        cli();
        hlt();
    }
}

/* ---------------------------------------------------------------- catch */

/* The innermost catch frame. Only the BSP runs cases and catch_call; an
 * exception on an AP ends its mailbox job instead (smp_ap_exception). */
struct catch_frame *catch_top;

extern void catch_resume(void);
extern _Noreturn void catch_unwind_to(struct catch_frame *cf);

struct catch_frame *catch_current(void)
{
    return catch_top;
}

bool catch_exception(struct cpu_frame *f, uint64_t cr2)
{
    struct catch_frame *cf = catch_top;
    if (!cf)
        return false;
    cf->record.info = frame_exinfo(f);
    cf->record.cr2 = cr2;
    cf->record.frame = *f;
    cf->unwind_reason = 0;
    /* IRET into catch_resume on the catch_call's stack, in ring 0, with the
     * flags catch_call was entered with. */
    f->rip = (uint64_t)catch_resume;
    f->rsp = cf->rsp;
    f->rflags = cf->rflags;
    f->cs = GDT_KERNEL_CS;
    f->ss = GDT_KERNEL_DS;
    f->rdi = (uint64_t)cf;
    return true;
}

_Noreturn void catch_unwind(int reason)
{
    struct catch_frame *cf = catch_top;
    if (!cf) {
        protocol_panic("catch_unwind outside any catch_call");
        for (;;) {
            cli();
            hlt();
        }
    }
    cf->record.info = EXINFO_NONE;
    cf->unwind_reason = reason;
    catch_unwind_to(cf);
}

exinfo_t run_catching(void (*fn)(void *), void *arg)
{
    struct catch_frame cf;
    if (!catch_call(fn, arg, &cf))
        return EXINFO_NONE;
    return cf.record.info;
}

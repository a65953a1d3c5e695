/* VMX instructions for the vmx kernel; see vmx.h. Each instruction sits
 * in the exception table (#UD, #GP are results too) and its RFLAGS are
 * captured right after it: CF=1 VMfailInvalid, ZF=1 VMfailValid (SDM Vol.
 * 3C 31.2). */
#include "vmx.h"

#include "cpu/extable.h"

#define RFLAGS_CF_BIT (1ull << 0)
#define RFLAGS_ZF_BIT (1ull << 6)

static struct vmx_result result_of(exinfo_t ex, uint64_t rflags)
{
    struct vmx_result r = { ex, VMX_SUCCEED };
    if (exinfo_raised(ex))
        r.status = VMX_FAULTED;
    else if (rflags & RFLAGS_CF_BIT)
        r.status = VMX_FAIL_INVALID;
    else if (rflags & RFLAGS_ZF_BIT)
        r.status = VMX_FAIL_VALID;
    return r;
}

/* `insn` with a memory operand holding a physical address. */
#define VMX_MEMORY_OPERAND(insn, phys)                                              \
    ({                                                                              \
        exinfo_t ex__ = EXINFO_NONE;                                                \
        uint64_t flags__ = 0, operand__ = (phys);                                   \
        __asm__ volatile("1: " insn " %2\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b") \
                         : "+D"(ex__), "=r"(flags__)                                \
                         : "m"(operand__)                                           \
                         : "memory", "cc");                                         \
        result_of(ex__, flags__);                                                   \
    })

struct vmx_result vmxon(uint64_t region_phys) { return VMX_MEMORY_OPERAND("vmxon", region_phys); }
struct vmx_result vmclear(uint64_t vmcs_phys) { return VMX_MEMORY_OPERAND("vmclear", vmcs_phys); }
struct vmx_result vmptrld(uint64_t vmcs_phys) { return VMX_MEMORY_OPERAND("vmptrld", vmcs_phys); }

struct vmx_result vmptrst(uint64_t *vmcs_phys)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags = 0;
    __asm__ volatile("1: vmptrst %2\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "=r"(flags), "=m"(*vmcs_phys) : : "memory", "cc");
    return result_of(ex, flags);
}

struct vmx_result vmxoff(void)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags = 0;
    __asm__ volatile("1: vmxoff\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "=r"(flags) : : "memory", "cc");
    return result_of(ex, flags);
}

struct vmx_result vmread(enum vmcs_field field, uint64_t *value)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags = 0, v = 0;
    __asm__ volatile("1: vmread %3, %2\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "=r"(flags), "+r"(v) : "r"((uint64_t)field) : "memory", "cc");
    *value = v;
    return result_of(ex, flags);
}

struct vmx_result vmwrite(enum vmcs_field field, uint64_t value)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags = 0;
    __asm__ volatile("1: vmwrite %2, %3\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "=r"(flags) : "r"(value), "r"((uint64_t)field) : "memory", "cc");
    return result_of(ex, flags);
}

struct vmx_result vmresume(void)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags = 0;
    __asm__ volatile("1: vmresume\n2:\n\tpushfq\n\tpopq %1\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "=r"(flags) : : "memory", "cc");
    return result_of(ex, flags);
}

uint64_t vm_instruction_error(void)
{
    uint64_t error = 0;
    (void)vmread(VM_INSTRUCTION_ERROR, &error);
    return error;
}

/* A VM exit loads RSP and RIP from the host-state area and nothing else
 * of the general registers (SDM Vol. 3C 28.5): the guest's values stay in
 * them. So: save the callee-saved registers on the stack, make HOST_RSP
 * this stack and HOST_RIP the label after VMLAUNCH, and declare every
 * other register clobbered. RFLAGS after a failed VMLAUNCH tell why;
 * after an exit they are 2 (SDM 28.5.3), which reads as success. */
struct vmx_result vmlaunch_until_exit(void)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t flags, rdi = EXINFO_NONE;
    __asm__ volatile("push %%rbp\n\t"
                     "push %%rbx\n\t"
                     "push %%r12\n\t"
                     "push %%r13\n\t"
                     "push %%r14\n\t"
                     "push %%r15\n\t"
                     "push %%rdi\n\t"
                     "mov %[host_rsp], %%rdx\n\t"
                     "vmwrite %%rsp, %%rdx\n\t"
                     "lea 3f(%%rip), %%rax\n\t"
                     "mov %[host_rip], %%rdx\n\t"
                     "vmwrite %%rax, %%rdx\n\t"
                     "1: vmlaunch\n"
                     "2:\n\t"
                     "pushfq\n\t"
                     "popq %%rax\n\t"
                     "jmp 4f\n"
                     "3:\n\t"
                     "pushfq\n\t"
                     "popq %%rax\n"
                     "4:\n\t"
                     "pop %%rdx\n\t"          /* the exinfo the fixup left in RDI, or 0 */
                     "pop %%r15\n\t"
                     "pop %%r14\n\t"
                     "pop %%r13\n\t"
                     "pop %%r12\n\t"
                     "pop %%rbx\n\t"
                     "pop %%rbp\n\t"
                     EXTABLE("1b", "5f")
                     "jmp 6f\n"
                     "5:\n\t"                  /* VMLAUNCH faulted: RDI holds the exception */
                     "pushfq\n\t"
                     "popq %%rax\n\t"
                     "add $8, %%rsp\n\t"
                     "mov %%rdi, %%rdx\n\t"
                     "pop %%r15\n\t"
                     "pop %%r14\n\t"
                     "pop %%r13\n\t"
                     "pop %%r12\n\t"
                     "pop %%rbx\n\t"
                     "pop %%rbp\n"
                     "6:"
                     : "=a"(flags), "=d"(ex), "+D"(rdi)
                     : [host_rsp] "i"(HOST_RSP), [host_rip] "i"(HOST_RIP)
                     : "rcx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc");
    return result_of(ex, flags);
}

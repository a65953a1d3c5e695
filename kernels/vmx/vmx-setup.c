/* Entering VMX operation and a minimal guest; see vmx-setup.h. */
#include "vmx-setup.h"

#include "cpu/cpuid.h"
#include "cpu/gdt.h"
#include "cpu/safe.h"
#include "lib/string.h"
#include "test/test.h"

#define REGION_SIZE 4096
#define STACK_SIZE  4096
#define RFLAGS_FIXED 0x2ull
#define TR_LIMIT    0x67u

static uint8_t vmxon_area[REGION_SIZE] __attribute__((aligned(4096)));
static uint8_t vmcs_area[REGION_SIZE] __attribute__((aligned(4096)));
static uint8_t guest_stack[STACK_SIZE] __attribute__((aligned(16)));

bool cpu_has_vmx(void)
{
    return cpuid(CPUID_LEAF_FEATURES).ecx & CPUID1_ECX_VMX;
}

bool feature_control_allows_vmx(void)
{
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    return !(fc & FEATURE_CONTROL_LOCKED) || (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX);
}

bool vmx_usable(void)
{
    return cpu_has_vmx() && feature_control_allows_vmx();
}

uint32_t vmcs_revision_id(void)
{
    return (uint32_t)(rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_REVISION_MASK);
}

static uint64_t region_with_revision(uint8_t *area)
{
    memset(area, 0, REGION_SIZE);
    *(uint32_t *)area = vmcs_revision_id();
    return (uint64_t)area;
}

uint64_t vmxon_region(void) { return region_with_revision(vmxon_area); }
uint64_t vmcs_region(void) { return region_with_revision(vmcs_area); }

/* SDM Vol. 3C 24.8 (restrictions on VMX operation): CR0 and CR4 must
 * hold the bits IA32_VMX_CR*_FIXED0 sets and none IA32_VMX_CR*_FIXED1
 * clears. */
static void apply_fixed_bits(void)
{
    uint64_t cr0 = (read_cr0() | rdmsr(MSR_IA32_VMX_CR0_FIXED0)) & rdmsr(MSR_IA32_VMX_CR0_FIXED1);
    uint64_t cr4 = (read_cr4() | CR4_VMXE | rdmsr(MSR_IA32_VMX_CR4_FIXED0)) &
                   rdmsr(MSR_IA32_VMX_CR4_FIXED1);
    write_cr0(cr0);
    write_cr4(cr4);
}

struct vmx_result vmx_enter(void)
{
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCKED))
        wrmsr(MSR_IA32_FEATURE_CONTROL,
              fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
    apply_fixed_bits();
    return vmxon(vmxon_region());
}

void vmx_leave(void)
{
    (void)vmxoff();
}

struct gdt_register {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static struct gdt_register read_gdtr(void)
{
    struct gdt_register r;
    __asm__ volatile("sgdt %0" : "=m"(r));
    return r;
}

static struct gdt_register read_idtr(void)
{
    struct gdt_register r;
    __asm__ volatile("sidt %0" : "=m"(r));
    return r;
}

struct field_value {
    enum vmcs_field field;
    uint64_t value;
};

/* SDM Vol. 3C Appendix A.3-A.5: a control bit may be 0 only where the
 * capability MSR's low half has 0, and 1 only where its high half has 1.
 * The TRUE_* MSRs apply when IA32_VMX_BASIC[55] says so. */
static uint32_t adjust_controls(uint32_t wanted, uint32_t msr, uint32_t true_msr)
{
    uint64_t cap = rdmsr((rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CONTROLS) ? true_msr : msr);
    return (wanted | (uint32_t)cap) & (uint32_t)(cap >> 32);
}

bool vmcs_setup_minimal_guest(void (*guest_code)(void))
{
    uint64_t vmcs = vmcs_region();
    if (vmclear(vmcs).status != VMX_SUCCEED || vmptrld(vmcs).status != VMX_SUCCEED)
        return false;
    struct gdt_register gdtr = read_gdtr(), idtr = read_idtr();
    uint64_t tss = (uint64_t)tss_get();
    const struct field_value fields[] = {
        /* Controls: nothing wanted beyond what must be 1; CPUID exits
         * unconditionally (SDM Vol. 3C 26.1.2). 64-bit host and guest. */
        { PIN_BASED_CONTROLS, adjust_controls(0, MSR_IA32_VMX_PINBASED_CTLS,
                                              MSR_IA32_VMX_TRUE_PINBASED_CTLS) },
        { PRIMARY_PROC_CONTROLS, adjust_controls(0, MSR_IA32_VMX_PROCBASED_CTLS,
                                                 MSR_IA32_VMX_TRUE_PROCBASED_CTLS) },
        { EXIT_CONTROLS, adjust_controls(EXIT_CONTROL_HOST_ADDRESS_SPACE_SIZE,
                                         MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS) },
        { ENTRY_CONTROLS, adjust_controls(ENTRY_CONTROL_IA32E_MODE_GUEST,
                                          MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS) },
        { EXCEPTION_BITMAP, 0 }, { PAGE_FAULT_ERROR_MASK, 0 }, { PAGE_FAULT_ERROR_MATCH, 0 },
        { CR3_TARGET_COUNT, 0 }, { EXIT_MSR_STORE_COUNT, 0 }, { EXIT_MSR_LOAD_COUNT, 0 },
        { ENTRY_MSR_LOAD_COUNT, 0 }, { ENTRY_INTERRUPTION_INFO, 0 },
        { CR0_GUEST_HOST_MASK, 0 }, { CR4_GUEST_HOST_MASK, 0 },
        { CR0_READ_SHADOW, read_cr0() }, { CR4_READ_SHADOW, read_cr4() },
        /* Host state (SDM Vol. 3C 25.5, 27.2.3): this kernel as it runs. */
        { HOST_CR0, read_cr0() }, { HOST_CR3, read_cr3() }, { HOST_CR4, read_cr4() },
        { HOST_CS_SELECTOR, GDT_KERNEL_CS }, { HOST_SS_SELECTOR, GDT_KERNEL_DS },
        { HOST_DS_SELECTOR, GDT_KERNEL_DS }, { HOST_ES_SELECTOR, GDT_KERNEL_DS },
        { HOST_FS_SELECTOR, 0 }, { HOST_GS_SELECTOR, 0 }, { HOST_TR_SELECTOR, GDT_TSS },
        { HOST_FS_BASE, 0 }, { HOST_GS_BASE, 0 }, { HOST_TR_BASE, tss },
        { HOST_GDTR_BASE, gdtr.base }, { HOST_IDTR_BASE, idtr.base },
        { HOST_SYSENTER_CS, 0 }, { HOST_SYSENTER_ESP, 0 }, { HOST_SYSENTER_EIP, 0 },
        /* Guest state (SDM Vol. 3C 25.4, 27.3.1): a flat 64-bit ring-0
         * guest in the same address space, on its own stack. */
        { GUEST_CR0, read_cr0() }, { GUEST_CR3, read_cr3() }, { GUEST_CR4, read_cr4() },
        { GUEST_DR7, DR7_RESET }, { GUEST_RFLAGS, RFLAGS_FIXED },
        { GUEST_RSP, (uint64_t)&guest_stack[STACK_SIZE] }, { GUEST_RIP, (uint64_t)guest_code },
        { GUEST_CS_SELECTOR, GDT_KERNEL_CS }, { GUEST_CS_BASE, 0 },
        { GUEST_CS_LIMIT, 0xffffffff }, { GUEST_CS_ACCESS, VMX_AR_CODE64 },
        { GUEST_SS_SELECTOR, GDT_KERNEL_DS }, { GUEST_SS_BASE, 0 },
        { GUEST_SS_LIMIT, 0xffffffff }, { GUEST_SS_ACCESS, VMX_AR_DATA },
        { GUEST_DS_SELECTOR, GDT_KERNEL_DS }, { GUEST_DS_BASE, 0 },
        { GUEST_DS_LIMIT, 0xffffffff }, { GUEST_DS_ACCESS, VMX_AR_DATA },
        { GUEST_ES_SELECTOR, GDT_KERNEL_DS }, { GUEST_ES_BASE, 0 },
        { GUEST_ES_LIMIT, 0xffffffff }, { GUEST_ES_ACCESS, VMX_AR_DATA },
        { GUEST_FS_SELECTOR, 0 }, { GUEST_FS_BASE, 0 }, { GUEST_FS_LIMIT, 0 },
        { GUEST_FS_ACCESS, VMX_AR_UNUSABLE },
        { GUEST_GS_SELECTOR, 0 }, { GUEST_GS_BASE, 0 }, { GUEST_GS_LIMIT, 0 },
        { GUEST_GS_ACCESS, VMX_AR_UNUSABLE },
        { GUEST_LDTR_SELECTOR, 0 }, { GUEST_LDTR_BASE, 0 }, { GUEST_LDTR_LIMIT, 0 },
        { GUEST_LDTR_ACCESS, VMX_AR_UNUSABLE },
        { GUEST_TR_SELECTOR, GDT_TSS }, { GUEST_TR_BASE, tss }, { GUEST_TR_LIMIT, TR_LIMIT },
        { GUEST_TR_ACCESS, VMX_AR_TSS64_BUSY },
        { GUEST_GDTR_BASE, gdtr.base }, { GUEST_GDTR_LIMIT, gdtr.limit },
        { GUEST_IDTR_BASE, idtr.base }, { GUEST_IDTR_LIMIT, idtr.limit },
        { GUEST_IA32_DEBUGCTL, 0 }, { GUEST_SYSENTER_CS, 0 }, { GUEST_SYSENTER_ESP, 0 },
        { GUEST_SYSENTER_EIP, 0 }, { GUEST_INTERRUPTIBILITY, 0 }, { GUEST_ACTIVITY_STATE, 0 },
        { GUEST_PENDING_DEBUG, 0 }, { VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE },
    };
    for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        struct vmx_result r = vmwrite(fields[i].field, fields[i].value);
        if (r.status != VMX_SUCCEED) {
            test_fail(__FILE__, __LINE__, false, FAIL_ASSERT,
                      "VMWRITE of field 0x%x refused (status %d, error %llu)",
                      fields[i].field, r.status, (unsigned long long)vm_instruction_error());
            return false;
        }
    }
    return true;
}

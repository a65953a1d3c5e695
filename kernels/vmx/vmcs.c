/* The VMCS instructions and VM entry (SDM Vol. 3C chapters 25, 27, 31):
 * making a VMCS current, VMREAD/VMWRITE errors, and VMLAUNCH of a minimal
 * guest that exits on CPUID. Each case leaves VMX operation before it
 * asserts. */
#include "vmx-setup.h"

#include "cpu/cpu.h"
#include "test/test.h"

/* The guest: CPUID exits unconditionally (SDM Vol. 3C 26.1.2); the HLT
 * loop after it is never reached. */
extern char vmx_guest_code[], vmx_guest_cpuid[];
__asm__(".pushsection .text\n"
        "vmx_guest_code:\n\t"
        "xor %eax, %eax\n"
        "vmx_guest_cpuid:\n\t"
        "cpuid\n"
        "1:\thlt\n\t"
        "jmp 1b\n"
        ".popsection");

/* SDM Vol. 3C 31.3 VMCLEAR/VMPTRLD/VMPTRST: after VMPTRLD the VMCS is
 * current and VMPTRST stores its address. */
TEST_CASE_CONDITIONAL(vmptrld_makes_the_vmcs_current, vmx_usable(), "SDM Vol. 3C 31.3 VMPTRST")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    uint64_t vmcs = vmcs_region(), current = 0;
    struct vmx_result clear = vmclear(vmcs), load = vmptrld(vmcs), store = vmptrst(&current);
    vmx_leave();
    ASSERT_EQ(clear.status, VMX_SUCCEED);
    ASSERT_EQ(load.status, VMX_SUCCEED);
    ASSERT_EQ(store.status, VMX_SUCCEED);
    ASSERT_EQ(current, vmcs);
}

/* SDM Vol. 3C 31.3 VMPTRLD: "VMfailValid(VMPTRLD with VMXON pointer)",
 * error 10 (Table 31-1; 9 is "VMPTRLD with invalid physical address").
 * VMfailValid needs a current VMCS to hold the number: one is loaded
 * first. */
TEST_CASE_CONDITIONAL(vmptrld_of_the_vmxon_region_fails_with_error_10, vmx_usable(),
                      "SDM Vol. 3C 31.4")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    uint64_t vmcs = vmcs_region();
    (void)vmclear(vmcs);
    (void)vmptrld(vmcs);
    struct vmx_result bad = vmptrld(vmxon_region());
    uint64_t error = vm_instruction_error();
    vmx_leave();
    ASSERT_EQ(bad.status, VMX_FAIL_VALID);
    ASSERT_EQ(error, VMXERR_VMPTRLD_VMXON_POINTER);
}

/* SDM Vol. 3C 31.4: VMREAD of an unsupported field: error 12; VMWRITE to
 * a read-only field (the exit reason): error 13, unless IA32_VMX_MISC[29]
 * says VMWRITE may write any supported field (A.6), then it succeeds. */
TEST_CASE_CONDITIONAL(vmread_and_vmwrite_report_unsupported_and_read_only_fields, vmx_usable(),
                      "SDM Vol. 3C 31.4")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    uint64_t vmcs = vmcs_region(), value;
    (void)vmclear(vmcs);
    (void)vmptrld(vmcs);
    struct vmx_result read = vmread((enum vmcs_field)VMCS_FIELD_UNSUPPORTED, &value);
    uint64_t read_error = vm_instruction_error();
    struct vmx_result write = vmwrite(EXIT_REASON, 0);
    uint64_t write_error = vm_instruction_error();
    bool misc_allows = rdmsr(MSR_IA32_VMX_MISC) & VMX_MISC_VMWRITE_ANY_FIELD;
    vmx_leave();
    ASSERT_EQ(read.status, VMX_FAIL_VALID);
    ASSERT_EQ(read_error, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
    if (misc_allows) {
        ASSERT_EQ(write.status, VMX_SUCCEED);
    } else {
        ASSERT_EQ(write.status, VMX_FAIL_VALID);
        ASSERT_EQ(write_error, VMXERR_VMWRITE_READ_ONLY);
    }
}

/* SDM Vol. 3C 31.3 VMRESUME: "VMfailValid(VMRESUME with non-launched
 * VMCS)", error 5, right after VMCLEAR. */
TEST_CASE_CONDITIONAL(vmresume_of_a_clear_vmcs_fails_with_error_5, vmx_usable(),
                      "SDM Vol. 3C 31.4")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    bool ready = vmcs_setup_minimal_guest((void (*)(void))vmx_guest_code);
    struct vmx_result resume = vmresume();
    uint64_t error = vm_instruction_error();
    vmx_leave();
    ASSERT_TRUE(ready);
    ASSERT_EQ(resume.status, VMX_FAIL_VALID);
    ASSERT_EQ(error, VMXERR_VMRESUME_NONLAUNCHED_VMCS);
}

/* SDM Vol. 3C 27 and 28: VMLAUNCH enters the guest; its CPUID causes a VM
 * exit with basic reason 10 (Appendix C), the exit saves the guest RIP of
 * the CPUID and the instruction length 2 (28.2.5). A second VMLAUNCH of
 * the now launched VMCS fails with error 4 (31.4, "VMLAUNCH with
 * non-clear VMCS"). */
TEST_CASE_CONDITIONAL(vmlaunch_runs_a_guest_that_exits_on_cpuid_then_refuses_a_second_launch,
                      vmx_usable(), "SDM Vol. 3C 28.2")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    bool ready = vmcs_setup_minimal_guest((void (*)(void))vmx_guest_code);
    struct vmx_result launch = vmlaunch_until_exit();
    uint64_t launch_error = vm_instruction_error(), reason = 0, rip = 0, length = 0;
    (void)vmread(EXIT_REASON, &reason);
    (void)vmread(GUEST_RIP, &rip);
    (void)vmread(EXIT_INSTRUCTION_LENGTH, &length);
    struct vmx_result second = vmlaunch_until_exit();
    uint64_t second_error = vm_instruction_error();
    vmx_leave();
    ASSERT_TRUE(ready);
    if (launch.status != VMX_SUCCEED)
        FAIL("VMLAUNCH failed: status %d, VM-instruction error %llu", launch.status,
             (unsigned long long)launch_error);
    ASSERT_EQ(reason & EXIT_REASON_BASIC_MASK, EXIT_REASON_CPUID);
    ASSERT_EQ(rip, (uint64_t)vmx_guest_cpuid);
    ASSERT_EQ(length, CPUID_INSTRUCTION_LENGTH);
    ASSERT_EQ(second.status, VMX_FAIL_VALID);
    ASSERT_EQ(second_error, VMXERR_VMLAUNCH_NONCLEAR_VMCS);
}

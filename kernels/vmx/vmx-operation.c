/* Entering and leaving VMX operation (SDM Vol. 3C 24.7 and chapter 31:
 * VMXON, VMXOFF), its prerequisites, and the VMX capability MSR that
 * names the VMCS revision (Appendix A.1). The whole kernel needs VMX
 * (CPUID.1:ECX[5]); without it every case skips. */
#include "vmx-setup.h"

#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "test/protocol.h"
#include "test/test.h"

#define VMX_REGION_SIZE_MAX 4096
#define WRONG_REVISION_ID   0x7fffffffu
#define VMX_BASIC_BIT31     (1ull << 31)   /* always 0 (SDM Vol. 3C A.1) */

/* SDM Vol. 3C A.1: bit 31 of IA32_VMX_BASIC is 0; bits 44:32 give the
 * VMXON/VMCS region size, at most 4096; bits 53:50 the memory type, WB
 * (6) on every processor so far (0, UC, is the only other defined one). */
TEST_CASE_CONDITIONAL(vmx_basic_reports_a_revision_id_size_and_memory_type, cpu_has_vmx(),
                      "SDM Vol. 3C A.1")
{
    uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);
    uint64_t size = (basic >> VMX_BASIC_REGION_SIZE_SHIFT) & VMX_BASIC_REGION_SIZE_MASK;
    uint64_t memtype = (basic >> VMX_BASIC_MEMTYPE_SHIFT) & VMX_BASIC_MEMTYPE_MASK;
    protocol_fact("vmx.revision-id", "0x%x", vmcs_revision_id());
    ASSERT_FALSE(basic & VMX_BASIC_BIT31);
    ASSERT_GT(size, 0u);
    ASSERT_LE(size, VMX_REGION_SIZE_MAX);
    ASSERT_TRUE(memtype == MEMTYPE_WB || memtype == MEMTYPE_UC);
}

/* SDM Vol. 3C 24.7: VMXON raises #GP unless IA32_FEATURE_CONTROL is locked
 * with "enable VMX outside SMX" set; firmware that locked it clear has
 * disabled VMX: then VMXON must fault. */
TEST_CASE_CONDITIONAL(vmxon_follows_ia32_feature_control, cpu_has_vmx(), "SDM Vol. 3C 24.7")
{
    bool allowed = feature_control_allows_vmx();
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_FAULTED)
        vmx_leave();
    if (allowed)
        ASSERT_EQ(on.status, VMX_SUCCEED);
    else
        ASSERT_EXCEPTION(on.ex, EXINFO_EC(X86_EXC_GP, 0));
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    ASSERT_TRUE(fc & FEATURE_CONTROL_LOCKED);
}

/* SDM Vol. 3C 31.3 VMXON: #UD "if CR4.VMXE = 0". */
TEST_CASE_CONDITIONAL(vmxon_without_cr4_vmxe_raises_ud, vmx_usable(), "SDM Vol. 3C 31.3 VMXON")
{
    write_cr4(read_cr4() & ~CR4_VMXE);
    struct vmx_result on = vmxon(vmxon_region());
    if (on.status == VMX_SUCCEED)
        vmx_leave();
    ASSERT_EXCEPTION(on.ex, EXINFO(X86_EXC_UD));
}

/* SDM Vol. 3C 31.3 VMXON: VMfailInvalid if "the VMCS revision identifier in
 * the VMXON region" does not match IA32_VMX_BASIC. */
TEST_CASE_CONDITIONAL(vmxon_with_a_wrong_revision_id_fails_invalid, vmx_usable(),
                      "SDM Vol. 3C 31.3 VMXON")
{
    struct vmx_result on = vmx_enter();
    if (on.status == VMX_SUCCEED)
        vmx_leave();
    ASSERT_EQ(on.status, VMX_SUCCEED);
    uint64_t region = vmxon_region();
    *(uint32_t *)region = WRONG_REVISION_ID;
    struct vmx_result wrong = vmxon(region);
    if (wrong.status == VMX_SUCCEED)
        vmx_leave();
    ASSERT_EQ(wrong.status, VMX_FAIL_INVALID);
}

/* SDM Vol. 3C 31.3 VMXON/VMXOFF: both succeed with a valid region, and
 * VMXOFF outside VMX operation raises #UD. */
TEST_CASE_CONDITIONAL(vmxon_and_vmxoff_succeed_and_vmxoff_outside_raises_ud, vmx_usable(),
                      "SDM Vol. 3C 31.3 VMXOFF")
{
    struct vmx_result on = vmx_enter();
    struct vmx_result off = vmxoff();
    struct vmx_result again = vmxoff();
    ASSERT_EQ(on.status, VMX_SUCCEED);
    ASSERT_EQ(off.status, VMX_SUCCEED);
    ASSERT_EXCEPTION(again.ex, EXINFO(X86_EXC_UD));
}

/* SDM Vol. 3C 31.3 VMXON: in VMX root operation at CPL 0 it fails with
 * VMfailValid, error 15 ("VMXON executed in VMX root operation"). */
TEST_CASE_CONDITIONAL(vmxon_in_vmx_root_operation_fails_with_error_15, vmx_usable(),
                      "SDM Vol. 3C 31.4")
{
    struct vmx_result on = vmx_enter();
    if (on.status != VMX_SUCCEED)
        FAIL("VMXON failed (status %d)", on.status);
    /* VMfailValid needs a current VMCS to hold the error number. */
    uint64_t vmcs = vmcs_region();
    struct vmx_result clear = vmclear(vmcs), load = vmptrld(vmcs);
    struct vmx_result twice = vmxon(vmxon_region());
    uint64_t error = vm_instruction_error();
    vmx_leave();
    ASSERT_EQ(clear.status, VMX_SUCCEED);
    ASSERT_EQ(load.status, VMX_SUCCEED);
    ASSERT_EQ(twice.status, VMX_FAIL_VALID);
    ASSERT_EQ(error, VMXERR_VMXON_IN_VMX_ROOT);
}

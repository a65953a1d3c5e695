/* VMX for the vmx kernel: the instructions as inline asm that return how
 * they ended (a fault, VMfailInvalid, VMfailValid or success: SDM Vol. 3C
 * 31.2 "Conventions"), the VMCS field encodings (Appendix B), the
 * VM-instruction error numbers (31.4) and exit reasons (Appendix C). */
#ifndef KERNELS_VMX_VMX_H
#define KERNELS_VMX_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"

enum vmx_status { VMX_SUCCEED, VMX_FAIL_INVALID, VMX_FAIL_VALID, VMX_FAULTED };

struct vmx_result {
    exinfo_t ex;                 /* the fault, if the instruction faulted */
    enum vmx_status status;
};

/* VM-instruction error numbers (SDM Vol. 3C 31.4, Table 31-1). */
#define VMXERR_VMLAUNCH_NONCLEAR_VMCS     4
#define VMXERR_VMRESUME_NONLAUNCHED_VMCS  5
#define VMXERR_VMPTRLD_VMXON_POINTER      10
#define VMXERR_UNSUPPORTED_VMCS_COMPONENT 12
#define VMXERR_VMWRITE_READ_ONLY          13
#define VMXERR_VMXON_IN_VMX_ROOT          15

/* Basic exit reasons (SDM Vol. 3C Appendix C). */
#define EXIT_REASON_CPUID       10
#define EXIT_REASON_BASIC_MASK  0xffffu
#define CPUID_INSTRUCTION_LENGTH 2

/* VMCS field encodings (SDM Vol. 3C Appendix B). */
enum vmcs_field {
    GUEST_ES_SELECTOR = 0x0800, GUEST_CS_SELECTOR = 0x0802, GUEST_SS_SELECTOR = 0x0804,
    GUEST_DS_SELECTOR = 0x0806, GUEST_FS_SELECTOR = 0x0808, GUEST_GS_SELECTOR = 0x080a,
    GUEST_LDTR_SELECTOR = 0x080c, GUEST_TR_SELECTOR = 0x080e,
    HOST_ES_SELECTOR = 0x0c00, HOST_CS_SELECTOR = 0x0c02, HOST_SS_SELECTOR = 0x0c04,
    HOST_DS_SELECTOR = 0x0c06, HOST_FS_SELECTOR = 0x0c08, HOST_GS_SELECTOR = 0x0c0a,
    HOST_TR_SELECTOR = 0x0c0c,
    VMCS_LINK_POINTER = 0x2800, GUEST_IA32_DEBUGCTL = 0x2802,
    PIN_BASED_CONTROLS = 0x4000, PRIMARY_PROC_CONTROLS = 0x4002, EXCEPTION_BITMAP = 0x4004,
    PAGE_FAULT_ERROR_MASK = 0x4006, PAGE_FAULT_ERROR_MATCH = 0x4008, CR3_TARGET_COUNT = 0x400a,
    EXIT_CONTROLS = 0x400c, EXIT_MSR_STORE_COUNT = 0x400e, EXIT_MSR_LOAD_COUNT = 0x4010,
    ENTRY_CONTROLS = 0x4012, ENTRY_MSR_LOAD_COUNT = 0x4014, ENTRY_INTERRUPTION_INFO = 0x4016,
    VM_INSTRUCTION_ERROR = 0x4400, EXIT_REASON = 0x4402, EXIT_INSTRUCTION_LENGTH = 0x440c,
    GUEST_ES_LIMIT = 0x4800, GUEST_CS_LIMIT = 0x4802, GUEST_SS_LIMIT = 0x4804,
    GUEST_DS_LIMIT = 0x4806, GUEST_FS_LIMIT = 0x4808, GUEST_GS_LIMIT = 0x480a,
    GUEST_LDTR_LIMIT = 0x480c, GUEST_TR_LIMIT = 0x480e, GUEST_GDTR_LIMIT = 0x4810,
    GUEST_IDTR_LIMIT = 0x4812,
    GUEST_ES_ACCESS = 0x4814, GUEST_CS_ACCESS = 0x4816, GUEST_SS_ACCESS = 0x4818,
    GUEST_DS_ACCESS = 0x481a, GUEST_FS_ACCESS = 0x481c, GUEST_GS_ACCESS = 0x481e,
    GUEST_LDTR_ACCESS = 0x4820, GUEST_TR_ACCESS = 0x4822,
    GUEST_INTERRUPTIBILITY = 0x4824, GUEST_ACTIVITY_STATE = 0x4826, GUEST_SYSENTER_CS = 0x482a,
    HOST_SYSENTER_CS = 0x4c00,
    CR0_GUEST_HOST_MASK = 0x6000, CR4_GUEST_HOST_MASK = 0x6002,
    CR0_READ_SHADOW = 0x6004, CR4_READ_SHADOW = 0x6006,
    GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
    GUEST_ES_BASE = 0x6806, GUEST_CS_BASE = 0x6808, GUEST_SS_BASE = 0x680a,
    GUEST_DS_BASE = 0x680c, GUEST_FS_BASE = 0x680e, GUEST_GS_BASE = 0x6810,
    GUEST_LDTR_BASE = 0x6812, GUEST_TR_BASE = 0x6814, GUEST_GDTR_BASE = 0x6816,
    GUEST_IDTR_BASE = 0x6818, GUEST_DR7 = 0x681a, GUEST_RSP = 0x681c, GUEST_RIP = 0x681e,
    GUEST_RFLAGS = 0x6820, GUEST_PENDING_DEBUG = 0x6822, GUEST_SYSENTER_ESP = 0x6824,
    GUEST_SYSENTER_EIP = 0x6826,
    HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04, HOST_FS_BASE = 0x6c06,
    HOST_GS_BASE = 0x6c08, HOST_TR_BASE = 0x6c0a, HOST_GDTR_BASE = 0x6c0c,
    HOST_IDTR_BASE = 0x6c0e, HOST_SYSENTER_ESP = 0x6c10, HOST_SYSENTER_EIP = 0x6c12,
    HOST_RSP = 0x6c14, HOST_RIP = 0x6c16,
};

/* An encoding no processor defines: index 0x1ff of the 16-bit guest-state
 * fields (Appendix B.1.2 ends far below). */
#define VMCS_FIELD_UNSUPPORTED 0x0bfeu

/* Controls (SDM Vol. 3C 25.7.1, 25.8.1). */
#define EXIT_CONTROL_HOST_ADDRESS_SPACE_SIZE (1u << 9)
#define ENTRY_CONTROL_IA32E_MODE_GUEST       (1u << 9)

/* Segment access rights as the VMCS holds them (SDM Vol. 3C 25.4.1). */
#define VMX_AR_CODE64   0xa09bu   /* execute/read, accessed, S, P, L, G */
#define VMX_AR_DATA     0xc093u   /* read/write, accessed, S, P, D/B, G */
#define VMX_AR_TSS64_BUSY 0x008bu /* 64-bit busy TSS, P */
#define VMX_AR_UNUSABLE (1u << 16)
#define VMCS_LINK_POINTER_NONE ~0ull
#define DR7_RESET       0x400ull

struct vmx_result vmxon(uint64_t region_phys);
struct vmx_result vmxoff(void);
struct vmx_result vmclear(uint64_t vmcs_phys);
struct vmx_result vmptrld(uint64_t vmcs_phys);
struct vmx_result vmptrst(uint64_t *vmcs_phys);
struct vmx_result vmread(enum vmcs_field field, uint64_t *value);
struct vmx_result vmwrite(enum vmcs_field field, uint64_t value);
struct vmx_result vmresume(void);

/* VMLAUNCH with HOST_RSP/HOST_RIP set so that a VM exit returns here:
 * VMX_SUCCEED means the guest ran and exited. */
struct vmx_result vmlaunch_until_exit(void);

/* The VM-instruction error field, after a VMfailValid. */
uint64_t vm_instruction_error(void);

#endif

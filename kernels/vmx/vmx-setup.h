/* Entering VMX operation and building a minimal guest (SDM Vol. 3C 24.7,
 * 25.2, 27.2-27.3). Every case that enters VMX operation leaves it with
 * vmx_leave() before it asserts, so no case ends in VMX root operation. */
#ifndef KERNELS_VMX_VMX_SETUP_H
#define KERNELS_VMX_VMX_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx.h"

bool cpu_has_vmx(void);
/* VMXON is allowed by IA32_FEATURE_CONTROL, or can be by locking it with
 * "enable VMX outside SMX" (what firmware normally does). */
bool feature_control_allows_vmx(void);
bool vmx_usable(void);

uint32_t vmcs_revision_id(void);
/* A 4-KByte region (VMXON region, VMCS) with the revision ID written. */
uint64_t vmxon_region(void);
uint64_t vmcs_region(void);

/* CR0/CR4 to the VMX fixed bits (CR4.VMXE among them), IA32_FEATURE_
 * CONTROL locked with VMX enabled, then VMXON of vmxon_region(). */
struct vmx_result vmx_enter(void);
void vmx_leave(void);

/* VMCLEAR and VMPTRLD of vmcs_region(), then every field of a 64-bit
 * guest that runs guest_code on its own stack in this address space and
 * exits to the host; fails the case on any refused VMWRITE. */
bool vmcs_setup_minimal_guest(void (*guest_code)(void));

#endif

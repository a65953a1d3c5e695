; Ring transitions the privilege kernel drives by hand: SYSCALL/SYSRET and
; SYSENTER/SYSEXIT entry points that record what the CPU loaded, the ring-3
; halves that call them, and IRET to an arbitrary frame.

bits 64
default rel

%define RFLAGS_TF (1 << 8)

; struct ring_state (privilege.h): what one side of a transition saw.
struct_rcx    equ 0
struct_r11    equ 8
struct_rflags equ 16
struct_rsp    equ 24
struct_cs     equ 32
struct_ss     equ 40
struct_rax    equ 48
struct_size   equ 56

; Records RCX, R11, RFLAGS, RSP, CS, SS and RAX into the struct at %1.
%macro RECORD 1
    mov [%1 + struct_rcx], rcx
    mov [%1 + struct_r11], r11
    mov [%1 + struct_rsp], rsp
    pushfq
    pop qword [%1 + struct_rflags]
    mov [%1 + struct_rax], rax
    mov eax, cs
    mov [%1 + struct_cs], rax
    mov eax, ss
    mov [%1 + struct_ss], rax
%endmacro

section .bss
global kernel_seen, user_seen, user_before, syscall_plan
kernel_seen:  resb struct_size          ; at the ring-0 entry point
user_seen:    resb struct_size          ; back in ring 3
user_before:  resb struct_size          ; in ring 3 just before the transition
syscall_plan: resq 3                    ; rax to return, r11 bits to set, rcx override

section .text

; ---------------------------------------------------------------- SYSCALL

; LSTAR: ring 0 on the user's stack. Records, then SYSRET with the plan.
global syscall_entry
syscall_entry:
    RECORD kernel_seen
    mov rax, [syscall_plan]
    or r11, [syscall_plan + 8]
    mov rdx, [syscall_plan + 16]
    test rdx, rdx
    cmovnz rcx, rdx
global syscall_entry_sysret
syscall_entry_sysret:
    o64 sysret

; Ring 3: RFLAGS = RDI, record, SYSCALL, record what SYSRET gave back.
global user_syscall, user_syscall_return
user_syscall:
    push rbx
    pushfq
    push rdi
    popfq
    RECORD user_before
    syscall
user_syscall_return:
    RECORD user_seen
    popfq
    pop rbx
    ret

; Ring 3: RFLAGS = RDI (with TF), then SYSCALL as the very next
; instruction, so the first single-step trap is the one after SYSCALL.
global user_syscall_single_step
user_syscall_single_step:
    mov [user_before + struct_rsp], rsp
    push rdi
    popfq
    syscall
    pushfq
    and qword [rsp], ~RFLAGS_TF
    popfq
    ret

; Ring 3: SYSRET is privileged.
global user_sysret
user_sysret:
    o64 sysret
    ret

; ---------------------------------------------------------------- SYSENTER

; IA32_SYSENTER_EIP: records, then SYSEXIT (64-bit) to RDX with RSP = RCX,
; which the ring-3 side set up.
global sysenter_entry
sysenter_entry:
    RECORD kernel_seen
    mov rcx, [user_before + struct_rsp]
    lea rdx, [user_sysenter_return]
    o64 sysexit

global user_sysenter, user_sysenter_return
user_sysenter:
    push rbx
    pushfq
    push rdi
    popfq
    RECORD user_before
    sysenter
user_sysenter_return:
    RECORD user_seen
    popfq
    pop rbx
    ret

global user_sysexit
user_sysexit:
    o64 sysexit
    ret

; ---------------------------------------------------------------- IRET

; void iret_to(const struct iret_frame *f): IRETQ to RIP, CS, RFLAGS, RSP,
; SS as given. iret_to_insn is the IRETQ (a fault on it points there).
global iret_to, iret_to_insn
iret_to:
    push qword [rdi + 32]               ; SS
    push qword [rdi + 24]               ; RSP
    push qword [rdi + 16]               ; RFLAGS
    push qword [rdi + 8]                ; CS
    push qword [rdi]                    ; RIP
iret_to_insn:
    iretq

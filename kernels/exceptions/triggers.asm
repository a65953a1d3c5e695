; Exception triggers: each function raises (at most) one exception at a
; labelled instruction, <name>_insn, whose successor is <name>_after, and
; records RSP and RFLAGS as that instruction sees them in trigger_state. A
; case then checks the frame the CPU pushed (SDM Vol. 3A 6.14.2): faults
; point at _insn, traps at _after. They run inside catch_call (catch.h).

bits 64
default rel

%define RFLAGS_TF     (1 << 8)
%define RFLAGS_NT     (1 << 14)
%define NONCANONICAL  0x8000000000000000
%define INT64_MIN     0x8000000000000000
%define MSR_UNIMPLEMENTED 0xbaddcafe    ; in no architectural or AMD range
%define CR4_RESERVED_BIT 63
%define X87_CW_DEFAULT 0x037f           ; FNINIT's control word: all masked
%define X87_CW_ZM      (1 << 2)
%define MXCSR_DEFAULT  0x1f80           ; reset value: all masked
%define MXCSR_ZM       (1 << 9)

%macro TRIGGER 1
global %1, %1_insn, %1_after
%1:
%endmacro

; RSP and RFLAGS as the next instruction sees them.
%macro SNAPSHOT 0
    mov [trigger_state], rsp
    pushfq
    pop qword [trigger_state + 8]
%endmacro

%macro SET_TF 0
    pushfq
    or qword [rsp], RFLAGS_TF
    popfq
%endmacro

%macro CLEAR_TF 0
    pushfq
    and qword [rsp], ~RFLAGS_TF
    popfq
%endmacro

section .bss
global trigger_state
trigger_state:  resq 2                  ; rsp, rflags
global iret_result
iret_result:    resq 2                  ; rax, carry

section .data
align 2
global mov_ss_operand
mov_ss_operand: dw 0                    ; the case stores the SS selector here

section .rodata
x87_cw_unmask_ze:   dw X87_CW_DEFAULT & ~X87_CW_ZM
mxcsr_unmask_ze:    dd MXCSR_DEFAULT & ~MXCSR_ZM
mxcsr_default:      dd MXCSR_DEFAULT
float_one:          dd 1.0

section .text

TRIGGER trigger_divide_by_zero
    xor ecx, ecx
    mov eax, 1
    xor edx, edx
    SNAPSHOT
trigger_divide_by_zero_insn:
    div ecx
trigger_divide_by_zero_after:
    ret

; The quotient of INT64_MIN / -1 does not fit: #DE, not a wrap.
TRIGGER trigger_divide_overflow
    mov rax, INT64_MIN
    cqo
    mov rcx, -1
    SNAPSHOT
trigger_divide_overflow_insn:
    idiv rcx
trigger_divide_overflow_after:
    ret

TRIGGER trigger_ud2
    SNAPSHOT
trigger_ud2_insn:
    ud2
trigger_ud2_after:
    ret

TRIGGER trigger_into
    SNAPSHOT
trigger_into_insn:
    db 0xce                             ; INTO: invalid in 64-bit mode
trigger_into_after:
    ret

TRIGGER trigger_pop_ss
    SNAPSHOT
trigger_pop_ss_insn:
    db 0x17                             ; POP SS: invalid in 64-bit mode
trigger_pop_ss_after:
    ret

TRIGGER trigger_lock_on_register
    SNAPSHOT
trigger_lock_on_register_insn:
    db 0xf0, 0x01, 0xd8                 ; LOCK ADD EAX, EBX: no memory operand
trigger_lock_on_register_after:
    ret

TRIGGER trigger_mov_from_cr1
    SNAPSHOT
trigger_mov_from_cr1_insn:
    db 0x0f, 0x20, 0xc8                 ; MOV RAX, CR1
trigger_mov_from_cr1_after:
    ret

TRIGGER trigger_icebp
    SNAPSHOT
trigger_icebp_insn:
    db 0xf1                             ; INT1 / ICEBP
trigger_icebp_after:
    ret

TRIGGER trigger_noncanonical_load
    mov rcx, NONCANONICAL
    SNAPSHOT
trigger_noncanonical_load_insn:
    mov rax, [rcx]
trigger_noncanonical_load_after:
    ret

; Base RSP: the reference goes through SS.
TRIGGER trigger_noncanonical_stack_load
    mov rcx, NONCANONICAL
    SNAPSHOT
trigger_noncanonical_stack_load_insn:
    mov rax, [rsp + rcx]
trigger_noncanonical_stack_load_after:
    ret

TRIGGER trigger_rdmsr_unimplemented
    mov ecx, MSR_UNIMPLEMENTED
    SNAPSHOT
trigger_rdmsr_unimplemented_insn:
    rdmsr
trigger_rdmsr_unimplemented_after:
    ret

TRIGGER trigger_cr4_reserved_bit
    mov rax, cr4
    bts rax, CR4_RESERVED_BIT
    SNAPSHOT
trigger_cr4_reserved_bit_insn:
    mov cr4, rax
trigger_cr4_reserved_bit_after:
    ret

TRIGGER trigger_x87
    SNAPSHOT
trigger_x87_insn:
    fninit
trigger_x87_after:
    ret

TRIGGER trigger_fwait
    SNAPSHOT
trigger_fwait_insn:
    fwait
trigger_fwait_after:
    ret

; 1/0 with the zero-divide exception unmasked: FDIVP only records it; the
; next waiting x87 instruction reports it.
TRIGGER trigger_x87_pending_fwait
    fninit
    fldcw [x87_cw_unmask_ze]
    fld1
    fldz
    fdivp st1
    SNAPSHOT
trigger_x87_pending_fwait_insn:
    fwait
trigger_x87_pending_fwait_after:
    ret

TRIGGER trigger_sse
    SNAPSHOT
trigger_sse_insn:
    xorps xmm0, xmm0
trigger_sse_after:
    ret

TRIGGER trigger_simd_divide_by_zero
    ldmxcsr [mxcsr_unmask_ze]
    movss xmm0, [float_one]
    xorps xmm1, xmm1
    SNAPSHOT
trigger_simd_divide_by_zero_insn:
    divss xmm0, xmm1
trigger_simd_divide_by_zero_after:
    ret

global x87_simd_reset
x87_simd_reset:                         ; needs CR4.OSFXSR for LDMXCSR
    fninit
    ldmxcsr [mxcsr_default]
    ret

global x87_reset
x87_reset:
    fninit
    ret

; The pushed frame starts 16-byte aligned whatever RSP was (SDM Vol. 3A
; 6.14.2): RSP is made 8 mod 16 first.
TRIGGER trigger_ud2_misaligned_stack
    push rbp
    mov rbp, rsp
    and rsp, -16
    sub rsp, 8
    SNAPSHOT
trigger_ud2_misaligned_stack_insn:
    ud2
trigger_ud2_misaligned_stack_after:
    mov rsp, rbp
    pop rbp
    ret

TRIGGER trigger_ud2_with_interrupts_enabled
    sti
    SNAPSHOT
trigger_ud2_with_interrupts_enabled_insn:
    ud2
trigger_ud2_with_interrupts_enabled_after:
    cli
    ret

; The #UD handler of the case moves RIP to _resume, sets RAX and CF in the
; frame; what IRET restored is stored in iret_result.
TRIGGER trigger_ud2_resumable
    xor eax, eax
    clc
    SNAPSHOT
trigger_ud2_resumable_insn:
    ud2
trigger_ud2_resumable_after:
    ret
global trigger_ud2_resumable_resume
trigger_ud2_resumable_resume:
    mov [iret_result], rax
    setc byte [iret_result + 8]
    ret

; IRETQ with RFLAGS.NT set is a task return, which IA-32e mode does not
; have. The frame would return to _after in the same ring.
TRIGGER trigger_iret_with_nt
    pushfq
    or qword [rsp], RFLAGS_NT
    popfq
    mov rax, rsp
    mov ecx, ss
    push rcx
    push rax
    pushfq
    mov ecx, cs
    push rcx
    lea rcx, [trigger_iret_with_nt_after]
    push rcx
    SNAPSHOT
trigger_iret_with_nt_insn:
    iretq
trigger_iret_with_nt_after:
    pushfq
    and qword [rsp], ~RFLAGS_NT
    popfq
    ret

; POPF sets TF: the first instruction executed with TF=1 (_insn) traps
; after it (SDM Vol. 3B 18.3.1.4).
TRIGGER trigger_single_step
    SET_TF
trigger_single_step_insn:
    nop
trigger_single_step_after:
    CLEAR_TF
    ret

; MOV SS with TF=1 (set by the POPF before it, which does not trap): no
; single-step trap after the MOV SS (SDM Vol. 3A 6.15 Interrupt 1); the NOP
; runs with TF=1 and traps after itself.
TRIGGER trigger_mov_ss_single_step
    mov eax, ss
    SET_TF
trigger_mov_ss_single_step_insn:
    mov ss, eax
    nop
trigger_mov_ss_single_step_after:
    CLEAR_TF
    ret

; The same with CPUID after the MOV SS: an instruction a VMM intercepts, so
; the VMM completes it and must then deliver its single-step trap. CPUID
; writes RBX, which catch_call keeps its frame in: saved here.
TRIGGER trigger_mov_ss_cpuid_single_step
    push rbx
    mov esi, ss
    xor eax, eax
    xor ecx, ecx
    SET_TF
trigger_mov_ss_cpuid_single_step_insn:
    mov ss, esi
    cpuid
trigger_mov_ss_cpuid_single_step_after:
    CLEAR_TF
    pop rbx
    ret

; MOV SS reading mov_ss_operand, for a data breakpoint on that word: the #DB
; is held until after the next instruction (SDM Vol. 3A 6.15 Interrupt 1).
TRIGGER trigger_mov_ss_from_memory
trigger_mov_ss_from_memory_insn:
    mov ss, [mov_ss_operand]
    nop
trigger_mov_ss_from_memory_after:
    ret

TRIGGER trigger_mov_ss_from_memory_cpuid
    push rbx
    xor eax, eax
    xor ecx, ecx
trigger_mov_ss_from_memory_cpuid_insn:
    mov ss, [mov_ss_operand]
    cpuid
trigger_mov_ss_from_memory_cpuid_after:
    pop rbx
    ret

; Memory accesses at the address in RDI, for the page-fault cases.
TRIGGER trigger_read
    SNAPSHOT
trigger_read_insn:
    mov rax, [rdi]
trigger_read_after:
    ret

TRIGGER trigger_write
    SNAPSHOT
trigger_write_insn:
    mov [rdi], eax
trigger_write_after:
    ret

TRIGGER trigger_fetch
    SNAPSHOT
trigger_fetch_insn:
    call rdi
trigger_fetch_after:
    ret

; Loads SS with the selector in EDI and puts the old one back.
TRIGGER trigger_load_ss
    mov eax, ss
    SNAPSHOT
trigger_load_ss_insn:
    mov ss, edi
trigger_load_ss_after:
    mov ss, eax
    ret

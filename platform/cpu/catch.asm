; catch_call: run a function so that a CPU exception (or a deliberate
; catch_unwind) inside it returns control here instead of killing the
; kernel. The exception handler never jumps: it rewrites the interrupted
; frame so IRET lands in catch_resume on the caller's stack (exception.c).
;
; struct catch_frame layout (catch.h): rbx rbp r12 r13 r14 r15 rsp rflags
; prev, then the exception record.

bits 64
section .text

%define CF_RBX     0
%define CF_RBP     8
%define CF_R12     16
%define CF_R13     24
%define CF_R14     32
%define CF_R15     40
%define CF_RSP     48
%define CF_RFLAGS  56
%define CF_PREV    64

extern catch_top

; bool catch_call(void (*fn)(void *), void *arg, struct catch_frame *cf)
; Returns false when fn returned, true when it was unwound.
global catch_call
catch_call:
    mov [rdx + CF_RBX], rbx
    mov [rdx + CF_RBP], rbp
    mov [rdx + CF_R12], r12
    mov [rdx + CF_R13], r13
    mov [rdx + CF_R14], r14
    mov [rdx + CF_R15], r15
    mov [rdx + CF_RSP], rsp             ; points at our return address
    pushfq
    pop rax
    mov [rdx + CF_RFLAGS], rax
    mov rax, [rel catch_top]
    mov [rdx + CF_PREV], rax
    mov [rel catch_top], rdx
    mov rbx, rdx                        ; callee-saved: survives the call
    mov rax, rdi
    mov rdi, rsi
    sub rsp, 8                          ; 16-byte alignment for the call
    call rax
    add rsp, 8
    mov rax, [rbx + CF_PREV]
    mov [rel catch_top], rax
    mov rdx, rbx
    mov rbx, [rdx + CF_RBX]
    xor eax, eax
    ret

; Entered by IRET with RDI = the catch frame and RSP = its saved RSP.
global catch_resume
catch_resume:
    mov rax, [rdi + CF_PREV]
    mov [rel catch_top], rax
    mov rbx, [rdi + CF_RBX]
    mov rbp, [rdi + CF_RBP]
    mov r12, [rdi + CF_R12]
    mov r13, [rdi + CF_R13]
    mov r14, [rdi + CF_R14]
    mov r15, [rdi + CF_R15]
    mov eax, 1
    ret

; void catch_unwind_to(struct catch_frame *cf): leave the function that
; catch_call runs, from ordinary code (a failed assertion), as if an
; exception had been caught.
global catch_unwind_to
catch_unwind_to:
    mov rsp, [rdi + CF_RSP]
    push qword [rdi + CF_RFLAGS]
    popfq
    jmp catch_resume

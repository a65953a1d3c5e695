; Start-up code of the application processors (SDM Vol. 3A 9.4.4.2).
;
; A SIPI starts an AP in real mode at CS:IP = (vector << 8):0000, so the
; first part must lie below 1 MiB, 4 KiB aligned: smp.c copies the bytes
; between smp_trampoline_start and smp_trampoline_end to
; SMP_TRAMPOLINE_BASE. They address nothing but themselves, through CS, and
; work at any such address. They load a flat GDT (it lives in the kernel
; image: LGDT with a 32-bit operand takes a 32-bit base) and jump to the
; 32-bit part, which runs in place in the kernel image (identity mapped at
; 1 MiB): PAE, the BSP's page tables (CR3 below 4 GiB), EFER.LME and NXE as
; the BSP has them, paging on, a far jump into 64-bit code, the stack smp.c
; prepared for this AP, and smp_ap_main(cpu). The steps are those of SDM
; Vol. 3A 10.8.5 (initializing IA-32e mode).
;
; APs start one at a time, so one set of smp_boot_* variables (smp.c)
; serves them all.

%include "boot/x86.inc"

; Selectors of start_gdt below. CODE64 and DATA equal the platform's
; GDT_KERNEL_CS / GDT_KERNEL_DS, so nothing changes meaning when smp.c
; loads the AP's own GDT.
%define START_CODE64 0x08
%define START_DATA   0x10
%define START_CODE32 0x18

extern smp_boot_cr3
extern smp_boot_efer
extern smp_boot_stack
extern smp_boot_cpu
extern smp_ap_main

; ---------------------------------------------------------------- 16-bit
; Copied below 1 MiB; never executed where it is linked.

section .rodata
bits 16
global smp_trampoline_start
global smp_trampoline_end
smp_trampoline_start:
    cli
    cld
    o32 lgdt [cs:start_gdt_pointer - smp_trampoline_start]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword START_CODE32:ap_protected_mode

align 4
start_gdt_pointer:
    dw start_gdt_end - start_gdt - 1
    dd start_gdt
smp_trampoline_end:

align 8
start_gdt:
    dq 0
    dq 0x00AF9A000000FFFF               ; 0x08: 64-bit code, DPL 0
    dq 0x00CF92000000FFFF               ; 0x10: flat data, DPL 0
    dq 0x00CF9A000000FFFF               ; 0x18: flat 32-bit code, DPL 0
start_gdt_end:

; ---------------------------------------------------------------- 32-bit

section .text
bits 32
ap_protected_mode:
    mov ax, START_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax

    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, [smp_boot_cr3]
    mov cr3, eax

    mov ecx, MSR_EFER
    rdmsr
    or eax, [smp_boot_efer]             ; LME, and NXE where the BSP has it
    wrmsr

    ; As the BSP's boot stub: this also clears CD and NW, which INIT sets.
    mov eax, CR0_LONG_MODE
    mov cr0, eax
    jmp START_CODE64:ap_long_mode

; ---------------------------------------------------------------- 64-bit

bits 64
ap_long_mode:
    load_long_mode_data_segments START_DATA
    mov rsp, [rel smp_boot_stack]
    mov rdi, [rel smp_boot_cpu]
    xor ebp, ebp
    call smp_ap_main                    ; never returns
.halt:
    cli
    hlt
    jmp .halt

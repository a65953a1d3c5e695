; Boot entry of every kernel: Multiboot 1, Multiboot 2 and Xen PVH headers,
; the 32-bit entry points, and the switch to 64-bit long mode.
;
; All three protocols enter in 32-bit protected mode with paging off and a
; flat CS (Multiboot spec 3.2, Multiboot2 spec 3.3, Xen PVH ABI). We clear
; BSS, identity-map the first 4 GiB with 2 MiB pages (the top GiB uncached:
; LAPIC, IOAPIC, HPET and PCI MMIO live there), enable PAE, EFER.LME (and
; EFER.NXE where CPUID offers it), paging, and jump to 64-bit code.

%include "boot/x86.inc"

%define MB1_MAGIC              0x1BADB002
%define MB1_FLAG_PAGE_ALIGN    (1 << 0)
%define MB1_FLAG_MEMORY_INFO   (1 << 1)
%define MB1_FLAGS              (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO)

%define MB2_MAGIC              0xE85250D6
%define MB2_ARCH_I386          0
%define MB2_TAG_END            0

%define XEN_ELFNOTE_PHYS32_ENTRY 18
%define BOOT_MAGIC_PVH         0x336ec578   ; start_info magic; see bootinfo.h


%define PTE_P    (1 << 0)
%define PTE_W    (1 << 1)
%define PTE_PWT  (1 << 3)
%define PTE_PCD  (1 << 4)
%define PTE_PS   (1 << 7)
%define LARGE_PAGE (1 << 21)

%define CPUID_EXT_LM  (1 << 29)
%define CPUID_EXT_NX  (1 << 20)

%define BOOT_STACK_SIZE 16384
%define KERNEL_CS 0x08
%define KERNEL_DS 0x10

; ---------------------------------------------------------------- headers

section .multiboot1
align 4
multiboot1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)

section .multiboot2
align 8
multiboot2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd multiboot2_header_end - multiboot2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (multiboot2_header_end - multiboot2_header))
    align 8
    dw MB2_TAG_END
    dw 0
    dd 8
multiboot2_header_end:

section .note.pvh note alloc
align 4
    dd 4                                ; name size ("Xen\0")
    dd 4                                ; descriptor size
    dd XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd pvh_entry

; ---------------------------------------------------------------- 32-bit

extern __bss_start
extern __bss_end

section .boot.text
bits 32

global multiboot_entry
multiboot_entry:                        ; EAX = loader magic, EBX = info
    cli
    cld
    mov [boot_magic], eax
    mov [boot_info], ebx
    jmp enter_long_mode

global pvh_entry
pvh_entry:                              ; EBX = struct hvm_start_info *
    cli
    cld
    mov dword [boot_magic], BOOT_MAGIC_PVH
    mov [boot_info], ebx

enter_long_mode:
    ; BSS first: the page tables and the stack live there.
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    mov esp, boot_stack + BOOT_STACK_SIZE

    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, CPUID_EXT_LM
    jz no_long_mode
    mov [boot_ext_features], edx

    ; PML4[0] -> PDPT; PDPT[i] -> PD i; PD i maps GiB i with 2 MiB pages.
    mov eax, boot_pdpt
    or eax, PTE_P | PTE_W
    mov [boot_pml4], eax
    xor ecx, ecx
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, PTE_P | PTE_W
    mov [boot_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .pdpt

    ; 2048 entries: 4 GiB. Four entries a turn, each 2 MiB on from the one
    ; before; the upper halves stay as the BSS clear left them (zero).
    mov edi, boot_pd
    mov eax, PTE_P | PTE_W | PTE_PS        ; GiBs 0-2: cached
.pd:
    mov [edi], eax
    add eax, LARGE_PAGE
    mov [edi + 8], eax
    add eax, LARGE_PAGE
    mov [edi + 16], eax
    add eax, LARGE_PAGE
    mov [edi + 24], eax
    add eax, LARGE_PAGE
    add edi, 32
    cmp edi, boot_pd + 4 * 4096
    jae .pd_done
    cmp edi, boot_pd + 3 * 4096         ; the top GiB is MMIO: uncached
    jne .pd
    or eax, PTE_PWT | PTE_PCD
    jmp .pd
.pd_done:

    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax

    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    test dword [boot_ext_features], CPUID_EXT_NX
    jz .no_nx
    or eax, EFER_NXE
.no_nx:
    wrmsr

    mov eax, CR0_LONG_MODE
    mov cr0, eax

    lgdt [boot_gdt_pointer]
    jmp dword KERNEL_CS:long_mode_entry

no_long_mode:
    ; Nothing is set up yet: say it raw on debugcon and COM1, then stop.
    mov esi, no_long_mode_message
.next:
    lodsb
    test al, al
    jz .halt
    out 0xe9, al
    mov dx, 0x3f8
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt

; ---------------------------------------------------------------- 64-bit

bits 64
extern platform_main
long_mode_entry:
    load_long_mode_data_segments KERNEL_DS
    mov rsp, boot_stack + BOOT_STACK_SIZE
    xor ebp, ebp
    mov edi, [boot_magic]
    mov esi, [boot_info]
    call platform_main
.halt:
    cli
    hlt
    jmp .halt

section .rodata
no_long_mode_message:
    db "CERTIFY PANIC msg=", '"', "the CPU does not support 64-bit long mode", '"', 13, 10, 0

align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF               ; 0x08: 64-bit code, DPL 0
    dq 0x00CF92000000FFFF               ; 0x10: data, DPL 0
boot_gdt_end:
boot_gdt_pointer:
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt

section .data
align 4
boot_magic:         dd 0
boot_info:          dd 0
boot_ext_features:  dd 0

section .bss
align 4096
global boot_pml4
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4 * 4096
; The stack needs no zeros: outside the cleared BSS (see kernel.ld).
section .bss.noinit nobits alloc noexec write align=16
global boot_stack
boot_stack: resb BOOT_STACK_SIZE

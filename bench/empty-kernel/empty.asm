; The reference for the boot benchmark: a Multiboot 1 + PVH kernel that
; only prints two protocol lines on COM1 and exits QEMU. What a suite kernel
; costs beyond this is ours; the rest is the firmware's and the VMM's.
bits 32
section .multiboot1
align 4
    dd 0x1BADB002, 0, -0x1BADB002

section .note.pvh note alloc
align 4
    dd 4, 4, 18                         ; XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd start

section .text
global start
start:
    mov esi, message
.next:
    lodsb
    test al, al
    jz .exit
    mov dx, 0x3f8
    out dx, al
    jmp .next
.exit:
    mov dx, 0xf4                        ; QEMU isa-debug-exit
    xor eax, eax
    out dx, eax
.halt:
    cli
    hlt
    jmp .halt

section .rodata
message: db "SOTEST VERSION 1 BEGIN 0", 13, 10, "SOTEST END", 13, 10, 0

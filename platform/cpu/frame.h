/* The register frame the interrupt entry stubs (isr.asm) build. */
#ifndef PLATFORM_CPU_FRAME_H
#define PLATFORM_CPU_FRAME_H

#include <stdint.h>

struct cpu_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    /* Pushed by the CPU (SDM Vol. 3A 6.14.2). */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct cpu_frame) == 22 * 8, "frame layout matches isr.asm");

#endif

/* What the privilege kernel's files share: the transitions of entry.asm
 * and the records they leave. */
#ifndef KERNELS_PRIVILEGE_H
#define KERNELS_PRIVILEGE_H

#include <stdint.h>

/* Registers one side of a transition saw (entry.asm RECORD). */
struct ring_state {
    uint64_t rcx, r11, rflags, rsp, cs, ss, rax;
};

extern struct ring_state kernel_seen, user_seen, user_before;

/* What syscall_entry does before SYSRET: RAX to return, bits to OR into
 * R11 (the RFLAGS SYSRET loads), and a replacement RCX (0: none). */
extern struct syscall_plan {
    uint64_t rax, r11_set, rcx_override;
} syscall_plan;

void syscall_entry(void);
extern const char syscall_entry_sysret[];
void user_syscall(void *rflags);
extern const char user_syscall_return[];
void user_syscall_single_step(void *rflags);
void user_sysret(void *arg);

void sysenter_entry(void);
void user_sysenter(void *rflags);
extern const char user_sysenter_return[];
void user_sysexit(void *arg);

struct iret_frame {
    uint64_t rip, cs, rflags, rsp, ss;
};
void iret_to(void *frame);
extern const char iret_to_insn[];

#endif

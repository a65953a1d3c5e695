/* What the exceptions kernel's files share: the triggers of triggers.asm,
 * catching with the full record, a handler that records where the CPU put
 * its frame, and IDT/GDT surgery that the framework undoes after a case. */
#ifndef KERNELS_EXCEPTIONS_H
#define KERNELS_EXCEPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"
#include "cpu/frame.h"
#include "cpu/interrupt.h"
#include "cpu/processor-flags.h"

/* A trigger and the labels around its instruction (triggers.asm). */
#define DECLARE_TRIGGER(name)                                              \
    void trigger_##name(void *arg);                                        \
    extern const char trigger_##name##_insn[], trigger_##name##_after[]

DECLARE_TRIGGER(divide_by_zero);
DECLARE_TRIGGER(divide_overflow);
DECLARE_TRIGGER(ud2);
DECLARE_TRIGGER(into);
DECLARE_TRIGGER(pop_ss);
DECLARE_TRIGGER(lock_on_register);
DECLARE_TRIGGER(mov_from_cr1);
DECLARE_TRIGGER(icebp);
DECLARE_TRIGGER(noncanonical_load);
DECLARE_TRIGGER(noncanonical_stack_load);
DECLARE_TRIGGER(rdmsr_unimplemented);
DECLARE_TRIGGER(cr4_reserved_bit);
DECLARE_TRIGGER(x87);
DECLARE_TRIGGER(fwait);
DECLARE_TRIGGER(x87_pending_fwait);
DECLARE_TRIGGER(sse);
DECLARE_TRIGGER(simd_divide_by_zero);
DECLARE_TRIGGER(ud2_misaligned_stack);
DECLARE_TRIGGER(ud2_with_interrupts_enabled);
DECLARE_TRIGGER(ud2_resumable);
DECLARE_TRIGGER(iret_with_nt);
DECLARE_TRIGGER(single_step);
DECLARE_TRIGGER(mov_ss_single_step);
DECLARE_TRIGGER(mov_ss_cpuid_single_step);
DECLARE_TRIGGER(mov_ss_from_memory);
DECLARE_TRIGGER(mov_ss_from_memory_cpuid);
DECLARE_TRIGGER(read);
DECLARE_TRIGGER(write);
DECLARE_TRIGGER(fetch);
DECLARE_TRIGGER(load_ss);
extern const char trigger_ud2_resumable_resume[];
/* The word trigger_mov_ss_from_memory* load SS from (2-byte aligned). */
extern uint16_t mov_ss_operand;

/* RSP and RFLAGS as the trigger's instruction saw them. */
extern struct trigger_state {
    uint64_t rsp, rflags;
} trigger_state;
/* What IRET restored in trigger_ud2_resumable. */
extern struct iret_result {
    uint64_t rax;
    uint8_t carry;
} iret_result;

/* One exception delivery checked against its trigger (frames.c). */
enum exception_class { FAULT, TRAP };

struct delivery_case {
    void (*trigger)(void *);
    const char *insn, *after;
    exinfo_t expected;
    enum exception_class cls;
    void (*arrange)(void);      /* control-register set-up, may be NULL */
    void (*cleanup)(void);      /* FPU state the exception left, may be NULL */
};

void check_delivery(const struct delivery_case *c);

/* DELIVERY_CASE(case, ref, trigger, exception, FAULT|TRAP[, .arrange = f, .cleanup = g]) */
#define DELIVERY_CASE(name, ref, trigger_name, expected_, cls_, ...)                  \
    TEST_CASE(name, ref)                                                              \
    {                                                                                 \
        static const struct delivery_case c = {                                      \
            .trigger = trigger_##trigger_name, .insn = trigger_##trigger_name##_insn, \
            .after = trigger_##trigger_name##_after, .expected = expected_,          \
            .cls = cls_, __VA_ARGS__ };                                               \
        check_delivery(&c);                                                           \
    }

void x87_reset(void);
void x87_simd_reset(void);

#define NONCANONICAL_ADDRESS 0x8000000000000000ull

/* Runs fn(arg) and returns the full record of the exception it raised
 * (info == EXINFO_NONE if none). */
struct exception_record catch_record(void (*fn)(void *), void *arg);

/* Where the handler ran: installed with interrupt_set_handler, it notes
 * its frame's address and RFLAGS, then ends the catch_call like any
 * exception (catch_exception). */
struct delivery {
    uint64_t frame_address;     /* the struct cpu_frame on the handler's stack */
    uint64_t handler_rflags;
    unsigned count;
};
void record_delivery_and_catch(struct cpu_frame *frame, void *delivery);

/* The address the CPU pushed SS at, +8: the RSP the CPU started pushing
 * from (SDM Vol. 3A 6.14.2). */
static inline uint64_t delivery_stack_start(const struct delivery *d)
{
    return d->frame_address + sizeof(struct cpu_frame);
}

/* IDT surgery (the framework reloads the IDT after each case). */
void idt_gate_mark_not_present(uint8_t vector);
void idt_set_limit(uint16_t limit);
#define IDT_GATE_SIZE 16

/* Debug registers: read_dr6/write_dr0/write_dr7 are in cpu/cpu.h. */

#endif

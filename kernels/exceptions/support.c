/* Helpers shared by the exceptions kernel's cases; see exceptions.h. */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "lib/string.h"

struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define IDT_GATE_ATTR_BYTE 5          /* P, DPL, type (SDM Vol. 3A Figure 6-8) */
#define IDT_GATE_PRESENT   0x80

struct exception_record catch_record(void (*fn)(void *), void *arg)
{
    struct catch_frame cf;
    if (!catch_call(fn, arg, &cf))
        memset(&cf.record, 0, sizeof(cf.record));
    return cf.record;
}

void record_delivery_and_catch(struct cpu_frame *frame, void *delivery)
{
    struct delivery *d = delivery;
    d->frame_address = (uint64_t)frame;
    d->handler_rflags = read_rflags();
    d->count++;
    catch_exception(frame, read_cr2());
}

static struct descriptor_table_pointer idt_pointer(void)
{
    struct descriptor_table_pointer p;
    __asm__ volatile("sidt %0" : "=m"(p));
    return p;
}

void idt_gate_mark_not_present(uint8_t vector)
{
    uint8_t *gate = (uint8_t *)idt_pointer().base + (uint64_t)vector * IDT_GATE_SIZE;
    gate[IDT_GATE_ATTR_BYTE] &= (uint8_t)~IDT_GATE_PRESENT;
}

void idt_set_limit(uint16_t limit)
{
    struct descriptor_table_pointer p = idt_pointer();
    p.limit = limit;
    __asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

/* One static inline per instruction: CPUID, MSRs, control registers, port
 * I/O, TSC and interrupt-flag control. The *_safe variants are in safe.h. */
#ifndef PLATFORM_CPU_CPU_H
#define PLATFORM_CPU_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/msr-index.h"
#include "cpu/processor-flags.h"

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr"
                     :
                     : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
}

/* read_crN/write_crN, and read_drN/write_drN for the debug registers
 * (bits in cpu/processor-flags.h; the case isolation disarms DR7 and
 * clears DR6 after every case). */
#define DEFINE_MOV_ACCESSORS(reg, n)                                         \
    static inline uint64_t read_##reg##n(void)                              \
    {                                                                        \
        uint64_t v;                                                          \
        __asm__ volatile("mov %%" #reg #n ", %0" : "=r"(v));                 \
        return v;                                                            \
    }                                                                        \
    static inline void write_##reg##n(uint64_t v)                           \
    {                                                                        \
        __asm__ volatile("mov %0, %%" #reg #n : : "r"(v) : "memory");        \
    }
DEFINE_MOV_ACCESSORS(cr, 0)
DEFINE_MOV_ACCESSORS(cr, 2)
DEFINE_MOV_ACCESSORS(cr, 3)
DEFINE_MOV_ACCESSORS(cr, 4)
DEFINE_MOV_ACCESSORS(cr, 8)
DEFINE_MOV_ACCESSORS(dr, 0)
DEFINE_MOV_ACCESSORS(dr, 6)
DEFINE_MOV_ACCESSORS(dr, 7)
#undef DEFINE_MOV_ACCESSORS

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* REP OUTSB: n bytes to one port, one instruction to decode for all of
 * them. A VMM may still exit once per byte: this host's nested KVM does
 * (~10 us a byte under microvm), as its OUTB loop did. */
static inline void outsb(uint16_t port, const void *buf, unsigned long n)
{
    __asm__ volatile("cld; rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_rflags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

static inline void write_rflags(uint64_t v)
{
    __asm__ volatile("pushq %0; popfq" : : "r"(v) : "memory", "cc");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void pause(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

/* STI's interrupt shadow covers the HLT, so an interrupt that is already
 * pending wakes the HLT instead of being taken before it (SDM Vol. 2B STI). */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline bool interrupts_enabled(void)
{
    return read_rflags() & RFLAGS_IF;
}

/* Disables interrupts and returns the previous RFLAGS for irq_restore(). */
static inline uint64_t irq_save(void)
{
    uint64_t flags = read_rflags();
    cli();
    return flags;
}

static inline void irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        sti();
}

static inline void invlpg(const void *addr)
{
    __asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

/* Memory is identity-mapped: a physical address is a pointer. The empty asm
 * hides the constant from the compiler, which would otherwise treat low
 * addresses (the BIOS data area) as offsets from NULL. */
static inline void *phys_to_virt(uint64_t phys)
{
    __asm__("" : "+r"(phys));
    return (void *)phys;
}

static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }

static inline void io_delay(void) { outb(0x80, 0); }

#endif

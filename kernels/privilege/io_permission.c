/* Port I/O from ring 3: allowed when CPL <= IOPL, else decided by the I/O
 * permission bitmap in the TSS, one bit per port, every byte of a multi-
 * byte access checked, beyond the TSS limit = denied (SDM Vol. 1 19.5.1,
 * 19.5.2). The bitmap cases run on a TSS of their own with a bitmap; the
 * framework reloads the platform GDT and TR afterwards. */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/usermode.h"
#include "lib/string.h"
#include "test/test.h"

#define PORTS                65536
#define IO_BITMAP_BYTES      (PORTS / 8)
#define ALLOWED_PORT         0x80    /* POST diagnostics: reading is harmless */
#define DENIED_PORT          0x81    /* DMA page register: so is reading it */
#define SEG_TSS_AVAILABLE    0x89ull /* present, 64-bit available TSS */
#define MAX_GDT_COPY         32

/* SDM Vol. 1 19.5.2: the bitmap must be followed by a byte of all ones. */
static struct {
    struct tss64 tss;
    uint8_t bitmap[IO_BITMAP_BYTES];
    uint8_t terminator;
} __attribute__((packed, aligned(16))) io_tss;

static uint64_t gdt_copy[MAX_GDT_COPY] __attribute__((aligned(16)));

struct descriptor_table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void allow_port(uint16_t port)
{
    io_tss.bitmap[port / 8] &= (uint8_t)~(1u << (port % 8));
}

/* A copy of the live GDT plus a TSS descriptor for io_tss; LTR of it. */
static void load_io_tss(void)
{
    io_tss.tss = *tss_get();     /* RSP0 and IST stacks as the platform's */
    io_tss.tss.iomap_base = (uint16_t)((uint64_t)io_tss.bitmap - (uint64_t)&io_tss);
    memset(io_tss.bitmap, 0xff, sizeof(io_tss.bitmap));
    io_tss.terminator = 0xff;
    allow_port(ALLOWED_PORT);

    struct descriptor_table_pointer p;
    __asm__ volatile("sgdt %0" : "=m"(p));
    unsigned entries = (p.limit + 1u) / 8;
    memcpy(gdt_copy, (const void *)p.base, entries * 8);
    uint64_t base = (uint64_t)&io_tss, limit = sizeof(io_tss) - 1;
    gdt_copy[entries] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (SEG_TSS_AVAILABLE << 40) |
                        (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt_copy[entries + 1] = base >> 32;
    struct descriptor_table_pointer copy = { (uint16_t)((entries + 2) * 8 - 1),
                                             (uint64_t)gdt_copy };
    __asm__ volatile("lgdt %0\n\tltr %w1" : : "m"(copy), "r"((uint16_t)(entries * 8)) : "memory");
}

static void in_byte(void *port)
{
    (void)inb((uint16_t)(uint64_t)port);
}

static void in_word(void *port)
{
    (void)inw((uint16_t)(uint64_t)port);
}

static void cli_sti(void *arg)
{
    (void)arg;
    cli();
    sti();
    cli();
}

enum tss_kind { PLATFORM_TSS, TSS_WITH_BITMAP };

struct io_case {
    enum tss_kind tss;
    uint64_t iopl;
    void (*access)(void *);
    uint16_t port;
    exinfo_t expected;
};

static void check_io(const struct io_case *c)
{
    if (c->tss == TSS_WITH_BITMAP)
        load_io_tss();
    ASSERT_EXCEPTION(run_in_user_mode_flags(c->access, (void *)(uint64_t)c->port,
                                            USER_RFLAGS_DEFAULT | c->iopl, 0),
                     c->expected);
}

#define IO_CASE(name, ref, ...)                                              \
    TEST_CASE(name, ref)                                                     \
    {                                                                        \
        static const struct io_case c = { __VA_ARGS__ };                    \
        check_io(&c);                                                        \
    }

#define IOPL3 RFLAGS_IOPL_MASK
#define GP0 EXINFO_EC(X86_EXC_GP, 0)

IO_CASE(in_in_ring3_with_iopl3_is_allowed, "SDM Vol. 1 19.5.1",
        PLATFORM_TSS, IOPL3, in_byte, DENIED_PORT, EXINFO_NONE)
IO_CASE(cli_and_sti_in_ring3_with_iopl3_are_allowed, "SDM Vol. 2A CLI; SDM Vol. 2B STI",
        PLATFORM_TSS, IOPL3, cli_sti, 0, EXINFO_NONE)
IO_CASE(io_bitmap_with_the_port_bit_clear_allows_in_from_ring3, "SDM Vol. 1 19.5.2",
        TSS_WITH_BITMAP, 0, in_byte, ALLOWED_PORT, EXINFO_NONE)
IO_CASE(io_bitmap_with_the_port_bit_set_denies_in_from_ring3, "SDM Vol. 1 19.5.2",
        TSS_WITH_BITMAP, 0, in_byte, DENIED_PORT, GP0)
/* A word at ALLOWED_PORT also covers ALLOWED_PORT + 1 = DENIED_PORT. */
IO_CASE(io_bitmap_checks_every_byte_of_a_word_access, "SDM Vol. 1 19.5.2",
        TSS_WITH_BITMAP, 0, in_word, ALLOWED_PORT, GP0)
/* IOPL 3 bypasses the bitmap. */
IO_CASE(iopl3_ignores_a_denying_io_bitmap, "SDM Vol. 1 19.5.2",
        TSS_WITH_BITMAP, IOPL3, in_byte, DENIED_PORT, EXINFO_NONE)

/* RFLAGS before and after a POPF that tries to set IF and IOPL. */
struct popf_result {
    uint64_t before, after;
};

static void popf_setting_if_and_iopl(void *arg)
{
    volatile struct popf_result *r = arg;
    uint64_t flags = read_rflags();
    r->before = flags;
    write_rflags(flags | RFLAGS_IF | RFLAGS_IOPL_MASK);
    r->after = read_rflags();
}

/* SDM Vol. 2B POPF: at CPL 3 with IOPL 0, POPF leaves IF (CPL > IOPL) and
 * IOPL (CPL > 0) alone without faulting. Ring 3 starts with both 0 (IRET
 * at CPL 0 loads them); if it did not, POPF cannot be judged and the case
 * says so. */
TEST_CASE(popf_in_ring3_with_iopl0_leaves_if_and_iopl_unchanged, "SDM Vol. 2B POPF")
{
    static volatile struct popf_result r;
    r.before = r.after = 0;
    ASSERT_NO_EXCEPTION(run_in_user_mode(popf_setting_if_and_iopl, (void *)&r));
    if (r.before & (RFLAGS_IF | RFLAGS_IOPL_MASK))
        FAIL("ring 3 ran with RFLAGS 0x%llx, not the IF = IOPL = 0 IRET loaded",
             (unsigned long long)r.before);
    ASSERT_EQ(r.after & (RFLAGS_IF | RFLAGS_IOPL_MASK), 0u);
    ASSERT_EQ(r.after & RFLAGS_RESERVED1, RFLAGS_RESERVED1);   /* the read happened */
}

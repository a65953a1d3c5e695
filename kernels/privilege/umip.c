/* UMIP: with CR4.UMIP, SGDT, SIDT, SLDT, SMSW and STR raise #GP(0) at
 * CPL > 0; without it they run in ring 3 (SDM Vol. 3A 2.5 CR4.UMIP;
 * Vol. 2B SGDT, SIDT, SLDT, SMSW, STR). */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/usermode.h"
#include "test/test.h"

#define STORE_INSTRUCTION(name, insn)                                        \
    static void name(void *arg)                                              \
    {                                                                        \
        (void)arg;                                                           \
        uint8_t buffer[16];                                                  \
        __asm__ volatile(insn : : "r"(buffer) : "memory");                   \
    }

STORE_INSTRUCTION(execute_sgdt, "sgdt (%0)")
STORE_INSTRUCTION(execute_sidt, "sidt (%0)")
STORE_INSTRUCTION(execute_sldt, "sldt (%0)")
STORE_INSTRUCTION(execute_smsw, "smsw (%0)")
STORE_INSTRUCTION(execute_str, "str (%0)")

static const struct {
    const char *name;
    void (*fn)(void *);
} store_instructions[] = {
    { "SGDT", execute_sgdt }, { "SIDT", execute_sidt }, { "SLDT", execute_sldt },
    { "SMSW", execute_smsw }, { "STR", execute_str },
};
#define STORE_INSTRUCTIONS (sizeof(store_instructions) / sizeof(store_instructions[0]))

static bool cpu_has_umip(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid_count(CPUID_LEAF_STRUCTURED, 0).ecx & CPUID7_ECX_UMIP);
}

static void check_store_instructions(exinfo_t expected)
{
    for (unsigned i = 0; i < STORE_INSTRUCTIONS; i++) {
        exinfo_t got = run_in_user_mode(store_instructions[i].fn, 0);
        if (got != expected) {
            char want[32], have[32];
            FAIL("%s in ring 3: expected %s, got %s", store_instructions[i].name,
                 exinfo_format(expected, want, sizeof(want)), exinfo_format(got, have, sizeof(have)));
        }
    }
}

TEST_CASE_CONDITIONAL(descriptor_table_stores_in_ring3_raise_gp_with_cr4_umip, cpu_has_umip(),
                      "SDM Vol. 3A 2.5; SDM Vol. 2B SGDT")
{
    write_cr4(read_cr4() | CR4_UMIP);
    check_store_instructions(EXINFO_EC(X86_EXC_GP, 0));
}

/* Without UMIP these are the classic unprivileged stores. */
TEST_CASE(descriptor_table_stores_in_ring3_run_without_cr4_umip, "SDM Vol. 2B SGDT")
{
    if (cpu_has_umip())
        write_cr4(read_cr4() & ~CR4_UMIP);
    check_store_instructions(EXINFO_NONE);
}

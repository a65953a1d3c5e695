/* Supervisor accesses to user pages (SDM Vol. 3A 4.6.1, 4.6.2): SMEP
 * forbids fetches, SMAP forbids data accesses unless RFLAGS.AC=1, and a
 * protection key can forbid data accesses whatever the CPL. A page is a
 * user page when U/S=1 at every level (TABLE_FLAGS set it above the PTE). */
#include "access.h"
#include "paging.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "lib/string.h"

#define OPCODE_RET 0xc3
#define TEST_PKEY  1ull
#define PKRU_AD(key) (1u << (2 * (key)))   /* access disable (SDM Vol. 3A 2.7) */

static bool leaf7_ebx(uint32_t bit)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED && (cpuid(CPUID_LEAF_STRUCTURED).ebx & bit);
}

static bool cpu_has_smep(void) { return leaf7_ebx(CPUID7_EBX_SMEP); }
static bool cpu_has_smap(void) { return leaf7_ebx(CPUID7_EBX_SMAP); }

static bool cpu_has_pku(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid(CPUID_LEAF_STRUCTURED).ecx & CPUID7_ECX_PKU);
}

static uint64_t map_user_page(struct test_space *s, uint64_t flags)
{
    paging_build(s);
    memset(test_frame(0), OPCODE_RET, PAGE_SIZE);
    uint64_t va = paging_map_frame(s, 0, 0, flags) + TEST_OFFSET;
    paging_activate(s);
    return va;
}

/* The contrast to SMEP: without it, ring 0 may run code on a user page. */
TEST_CASE(supervisor_fetch_from_a_user_page_runs_without_smep, "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_user_page(&s, PTE_P | PTE_U);
    write_cr4(read_cr4() & ~CR4_SMEP);
    ASSERT_NO_FAULT(execute_at(va));
}

/* SDM Vol. 3A 4.6.1: with CR4.SMEP=1 "software operating in supervisor
 * mode cannot fetch instructions from linear addresses that are
 * accessible in user mode"; 4.7: I/D is set because SMEP=1. AMD defines
 * I/D only with EFER.NXE=1 (APM Vol. 2 8.4.2), so NXE is set where NX
 * exists (every AMD processor with SMEP has it). */
TEST_CASE_CONDITIONAL(smep_faults_a_supervisor_fetch_from_a_user_page, cpu_has_smep(),
                      "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_user_page(&s, PTE_P | PTE_U);
    if (cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_NX)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr4(read_cr4() | CR4_SMEP);
    ASSERT_PAGE_FAULT(execute_at(va), va, PFEC_P | PFEC_I);
}

/* SDM Vol. 3A 4.6.1: with CR4.SMAP=1 and RFLAGS.AC=0, explicit supervisor
 * data reads from user-mode addresses are not allowed. */
TEST_CASE_CONDITIONAL(smap_faults_a_supervisor_read_of_a_user_page, cpu_has_smap(),
                      "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_user_page(&s, PTE_P | PTE_W | PTE_U);
    write_cr4(read_cr4() | CR4_SMAP);
    write_rflags(read_rflags() & ~RFLAGS_AC);
    ASSERT_PAGE_FAULT(read_at(va), va, PFEC_P);
}

/* SDM Vol. 3A 4.6.1: with RFLAGS.AC=1 SMAP allows the read. AC is set by
 * POPF (CPL 0 may), not STAC, which this host's nested KVM cannot
 * emulate. */
TEST_CASE_CONDITIONAL(smap_allows_a_supervisor_read_with_rflags_ac, cpu_has_smap(),
                      "SDM Vol. 3A 4.6.1")
{
    struct test_space s;
    uint64_t va = map_user_page(&s, PTE_P | PTE_W | PTE_U);
    write_cr4(read_cr4() | CR4_SMAP);
    write_rflags(read_rflags() | RFLAGS_AC);
    struct fault f = read_at(va);
    write_rflags(read_rflags() & ~RFLAGS_AC);
    ASSERT_NO_FAULT(f);
}

static void write_pkru(uint32_t value)
{
    __asm__ volatile("wrpkru" : : "a"(value), "c"(0), "d"(0) : "memory");
}

/* SDM Vol. 3A 4.6.2: with CR4.PKE=1, data accesses to user-mode addresses
 * (from any CPL) are checked against PKRU: AD=1 for the page's key
 * forbids them; 4.7: the fault sets PK. */
TEST_CASE_CONDITIONAL(protection_key_access_disable_faults_a_supervisor_read, cpu_has_pku(),
                      "SDM Vol. 3A 4.6.2")
{
    struct test_space s;
    uint64_t va = map_user_page(&s, PTE_P | PTE_W | PTE_U | (TEST_PKEY << PTE_PKEY_SHIFT));
    write_cr4(read_cr4() | CR4_PKE);
    write_pkru(PKRU_AD(TEST_PKEY));
    struct fault f = read_at(va);
    write_pkru(0);
    ASSERT_PAGE_FAULT(f, va, PFEC_P | PFEC_PK);
}

/* Reserved bits and encodings of writable MSRs: WRMSR raises #GP(0) and the
 * MSR keeps its value (SDM Vol. 2B WRMSR: "#GP(0) if ... an attempt is made
 * to write a 1 to a reserved bit"). */
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "msr-checks.h"
#include "drivers/lapic.h"
#include "test/test.h"

#define PAT_TYPE_OUT_OF_RANGE 8ull     /* bits 7:3 of an entry are reserved */
#define PAT_TYPE_ALL_ONES     0xffull

/* SDM Vol. 4 Table 2-2 IA32_EFER: bits 63:12 are reserved on Intel; AMD
 * defines some of 21:12 (APM Vol. 2 3.1.7) but bits 63:32 are reserved on
 * both. */
TEST_CASE(efer_reserved_bits_raise_gp, "SDM Vol. 4 Table 2-2 IA32_EFER")
{
    static const unsigned reserved[] = { 32, 47, 63 };
    for (unsigned i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        write_is_refused(MSR_EFER, rdmsr(MSR_EFER) | (1ull << reserved[i]));
}

/* SDM Vol. 3A 10.8.5: EFER.LME cannot change while paging is enabled
 * (AMD APM Vol. 2 likewise); clearing it in IA-32e mode raises #GP(0). */
TEST_CASE(clearing_efer_lme_with_paging_on_raises_gp, "SDM Vol. 3A 10.8.5")
{
    write_is_refused(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_LME);
}

static bool cpu_has_pat(void)
{
    return cpuid(CPUID_LEAF_FEATURES).edx & CPUID1_EDX_PAT;
}

/* SDM Vol. 3A 12.12.2: "A general-protection exception (#GP) is generated
 * if an attempt is made to write an undefined memory type encoding into
 * the PAT" -- 2, 3 and 8-255 -- in any of the eight entries. */
TEST_CASE_CONDITIONAL(pat_undefined_memory_types_raise_gp, cpu_has_pat(), "SDM Vol. 3A 12.12.2")
{
    static const uint64_t undefined_types[] = {
        MEMTYPE_RESERVED2, MEMTYPE_RESERVED3, PAT_TYPE_OUT_OF_RANGE, PAT_TYPE_ALL_ONES,
    };
    static const unsigned entries[] = { 0, PAT_ENTRIES - 1 };
    for (unsigned e = 0; e < sizeof(entries) / sizeof(entries[0]); e++) {
        unsigned shift = entries[e] * PAT_ENTRY_BITS;
        for (unsigned t = 0; t < sizeof(undefined_types) / sizeof(undefined_types[0]); t++) {
            uint64_t pat = rdmsr(MSR_IA32_PAT) & ~(MTRR_TYPE_MASK << shift);
            write_is_refused(MSR_IA32_PAT, pat | (undefined_types[t] << shift));
        }
    }
}

#define APIC_BASE_RESERVED_BIT9   (1ull << 9)
#define APIC_BASE_RESERVED_LOW    0xffull          /* bits 7:0 */

/* SDM Vol. 3A 11.4.4 Figure 11-5 (IA32_APIC_BASE): bits 7:0 and 9 are
 * reserved, and so is every address bit from MAXPHYADDR up. */
TEST_CASE_CONDITIONAL(apic_base_reserved_bits_raise_gp, lapic_present(), "SDM Vol. 3A 11.4.4")
{
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    write_is_refused(MSR_IA32_APIC_BASE, base | APIC_BASE_RESERVED_BIT9);
    write_is_refused(MSR_IA32_APIC_BASE, base | APIC_BASE_RESERVED_LOW);
    unsigned phys_bits = cpu_phys_addr_bits();
    if (phys_bits < 52)
        write_is_refused(MSR_IA32_APIC_BASE, base | (1ull << phys_bits));
    lapic_refresh_mode();
}

/* RDTSCP and RDPID read IA32_TSC_AUX: they work exactly when CPUID reports
 * them and raise #UD otherwise. Last in the kernel on purpose: this host's
 * nested KVM cannot emulate RDTSCP ("KVM internal error", QEMU freezes),
 * which would end the run before any case after it. */
#include "cpu/cpuid.h"
#include "cpu/extable.h"
#include "cpu/safe.h"
#include "test/test.h"

#define TSC_AUX_PATTERN 0x00c0ffeeu

static exinfo_t rdtscp_safe(uint64_t *tsc, uint32_t *aux)
{
    exinfo_t ex = EXINFO_NONE;
    uint32_t lo = 0, hi = 0, c = 0;
    __asm__ volatile("1: rdtscp\n2:\n\t" EXTABLE("1b", "2b")
                     : "+D"(ex), "+a"(lo), "+d"(hi), "+c"(c));
    *tsc = ((uint64_t)hi << 32) | lo;
    *aux = c;
    return ex;
}

static exinfo_t rdpid_safe(uint64_t *aux)
{
    exinfo_t ex = EXINFO_NONE;
    uint64_t v = 0;
    __asm__ volatile("1: rdpid %1\n2:\n\t" EXTABLE("1b", "2b") : "+D"(ex), "+r"(v));
    *aux = v;
    return ex;
}

static bool cpu_has_rdtscp(void)
{
    return cpuid(CPUID_LEAF_EXT_FEATURES).edx & CPUID_EXT_EDX_RDTSCP;
}

static bool cpu_has_rdpid(void)
{
    return cpuid_max_leaf() >= CPUID_LEAF_STRUCTURED &&
           (cpuid(CPUID_LEAF_STRUCTURED).ecx & CPUID7_ECX_RDPID);
}

/* IA32_TSC_AUX exists when RDTSCP or RDPID does (SDM Vol. 4 Table 2-2). */
static void write_tsc_aux_pattern(void)
{
    if (cpu_has_rdtscp() || cpu_has_rdpid())
        ASSERT_NO_EXCEPTION(wrmsr_safe(MSR_TSC_AUX, TSC_AUX_PATTERN));
}

/* SDM Vol. 2B RDTSCP: reads the TSC into EDX:EAX and IA32_TSC_AUX[31:0]
 * into ECX; #UD "if the RDTSCP instruction is not supported" (CPUID
 * 80000001H:EDX[27]). The TSC it reads does not run backwards. */
TEST_CASE(rdtscp_reads_tsc_aux_exactly_when_reported, "SDM Vol. 2B RDTSCP")
{
    write_tsc_aux_pattern();
    uint64_t before = rdtsc(), tsc;
    uint32_t aux;
    exinfo_t ex = rdtscp_safe(&tsc, &aux);
    if (!cpu_has_rdtscp()) {
        ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_UD));
        return;
    }
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(aux, TSC_AUX_PATTERN);
    ASSERT_GE(tsc, before);
}

/* SDM Vol. 2B RDPID: reads IA32_TSC_AUX into a register; #UD if
 * CPUID.7.0:ECX[22] is 0. */
TEST_CASE(rdpid_reads_tsc_aux_exactly_when_reported, "SDM Vol. 2B RDPID")
{
    write_tsc_aux_pattern();
    uint64_t aux;
    exinfo_t ex = rdpid_safe(&aux);
    if (!cpu_has_rdpid()) {
        ASSERT_EXCEPTION(ex, EXINFO(X86_EXC_UD));
        return;
    }
    ASSERT_NO_EXCEPTION(ex);
    ASSERT_EQ(aux, TSC_AUX_PATTERN);
}

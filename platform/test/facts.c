/* Machine facts from CPUID and MSRs; see facts.h. */
#include "test/facts.h"

#include "boot/bootinfo.h"
#include "cpu/cpuid.h"
#include "cpu/safe.h"
#include "lib/string.h"
#include "test/protocol.h"

void facts_print_boot(const struct boot_info *b)
{
    protocol_fact("boot.protocol", "%s", boot_protocol_name(b->protocol));
    if (b->loader[0])
        protocol_fact_value("boot.loader", b->loader);
    protocol_fact_value("cmdline", b->cmdline);
    if (b->cmdline_truncated)
        protocol_fact("fallback.cmdline", "command line longer than %u bytes: truncated",
                      BOOT_CMDLINE_MAX - 1);
}

static void copy_regs(char *dst, const uint32_t *regs, unsigned n)
{
    memcpy(dst, regs, n * 4);
    dst[n * 4] = '\0';
}

void facts_print_cpu(void)
{
    struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR);
    char vendor[13];
    uint32_t v[3] = { r.ebx, r.edx, r.ecx };
    copy_regs(vendor, v, 3);
    protocol_fact("cpu.vendor", "%s", vendor);

    uint32_t sig = cpuid(CPUID_LEAF_FEATURES).eax;
    unsigned family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;
    /* SDM Vol. 2A CPUID: extended family from family 0xf, extended model
     * from family 6 or 0xf. */
    if (family == 0xf)
        family += (sig >> 20) & 0xff;
    if (family == 0x6 || family >= 0xf)
        model += ((sig >> 16) & 0xf) << 4;
    protocol_fact("cpu.signature", "0x%08x", sig);
    protocol_fact("cpu.family", "0x%x", family);
    protocol_fact("cpu.model", "0x%x", model);
    protocol_fact("cpu.stepping", "0x%x", sig & 0xf);

    if (cpuid_max_ext_leaf() >= CPUID_LEAF_BRAND0 + 2) {
        uint32_t brand_regs[12];
        for (unsigned i = 0; i < 3; i++) {
            struct cpuid_regs b = cpuid(CPUID_LEAF_BRAND0 + i);
            brand_regs[i * 4 + 0] = b.eax;
            brand_regs[i * 4 + 1] = b.ebx;
            brand_regs[i * 4 + 2] = b.ecx;
            brand_regs[i * 4 + 3] = b.edx;
        }
        char brand[49];
        copy_regs(brand, brand_regs, 12);
        const char *start = brand;
        while (*start == ' ')
            start++;
        protocol_fact("cpu.brand", "%s", start);
    }

    /* SDM Vol. 3A 10.11.7.1: write 0 to IA32_BIOS_SIGN_ID, CPUID(1), then
     * read the revision from its upper half. */
    uint64_t ucode = 0;
    if (!exinfo_raised(wrmsr_safe(MSR_IA32_BIOS_SIGN_ID, 0))) {
        (void)cpuid(CPUID_LEAF_FEATURES);
        if (!exinfo_raised(rdmsr_safe(MSR_IA32_BIOS_SIGN_ID, &ucode)))
            protocol_fact("cpu.microcode", "0x%x", (uint32_t)(ucode >> 32));
    }

    if (cpu_is_virtualised()) {
        struct cpuid_regs h = cpuid(CPUID_LEAF_HYPERVISOR);
        char hv[13];
        uint32_t hr[3] = { h.ebx, h.ecx, h.edx };
        copy_regs(hv, hr, 3);
        protocol_fact("cpu.hypervisor", "%s", hv);
    } else {
        protocol_fact("cpu.hypervisor", "none");
    }
    protocol_fact("cpu.x2apic", "%s", cpu_has_x2apic() ? "yes" : "no");
    protocol_fact("cpu.tsc-deadline", "%s", cpu_has_tsc_deadline() ? "yes" : "no");
    protocol_fact("cpu.invariant-tsc", "%s", cpu_has_invariant_tsc() ? "yes" : "no");
}

/* The spurious-interrupt vector register: its vector field and its APIC
 * software enable bit (SDM Vol. 3A 11.9, 11.4.7.2). */
#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "interrupt_log.h"
#include "test/test.h"
#include "time/timer_service.h"

static bool lapic_usable(void)
{
    return lapic_mode() != LAPIC_MODE_DISABLED;
}

/* Vectors whose low nibble is not 0xf among them. */
static const uint8_t svr_vectors[] = { 0x30, 0x5a, 0xa5, 0xef, 0xf0, 0xff };

/* SDM Vol. 3A 11.9, Figure 11-23: on Pentium 4, Xeon and later processors
 * all 8 bits of the spurious vector are programmable; only the P6 and
 * Pentium (which cannot run this 64-bit kernel) hardwire bits 3:0 to 1.
 * The AMD APM words the field differently, so the case is Intel's. */
TEST_CASE_CONDITIONAL(svr_spurious_vector_keeps_all_eight_bits,
                      lapic_usable() && cpu_vendor() == CPU_VENDOR_INTEL, "SDM Vol. 3A 11.9")
{
    for (unsigned i = 0; i < sizeof(svr_vectors); i++) {
        lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | svr_vectors[i]);
        uint32_t got = lapic_read(LAPIC_SVR);
        if ((got & LAPIC_SVR_VECTOR_MASK) != svr_vectors[i])
            FAIL("SVR vector written 0x%02x reads back 0x%02x", svr_vectors[i],
                 got & LAPIC_SVR_VECTOR_MASK);
        ASSERT_TRUE(got & LAPIC_SVR_ENABLE);
    }
}

static const unsigned always_present_lvts[] = {
    LAPIC_LVT_TIMER, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
};
#define LVT_COUNT (sizeof(always_present_lvts) / sizeof(always_present_lvts[0]))
#define SOME_LVT_VECTOR 0x47

/* SDM Vol. 3A 11.4.7.2: clearing the software enable bit sets the mask of
 * every LVT, and writes that clear a mask are ignored while the APIC
 * stays software-disabled; enabling it again leaves the LVTs masked. */
TEST_CASE_CONDITIONAL(software_disabled_apic_keeps_every_lvt_masked, lapic_usable(),
                      "SDM Vol. 3A 11.4.7.2")
{
    timer_service_release();   /* its LVT gets unmasked here: no count may run */
    uint32_t svr = lapic_read(LAPIC_SVR);
    for (unsigned i = 0; i < LVT_COUNT; i++)
        lapic_write(always_present_lvts[i], SOME_LVT_VECTOR);   /* unmasked */
    lapic_write(LAPIC_SVR, svr & ~LAPIC_SVR_ENABLE);
    for (unsigned i = 0; i < LVT_COUNT; i++) {
        if (!(lapic_read(always_present_lvts[i]) & LAPIC_LVT_MASKED))
            FAIL("LVT 0x%03x unmasked after the APIC was software-disabled",
                 always_present_lvts[i]);
        lapic_write(always_present_lvts[i], SOME_LVT_VECTOR);
        if (!(lapic_read(always_present_lvts[i]) & LAPIC_LVT_MASKED))
            FAIL("LVT 0x%03x unmasked by a write while the APIC is software-disabled",
                 always_present_lvts[i]);
    }
    lapic_write(LAPIC_SVR, svr | LAPIC_SVR_ENABLE);
    for (unsigned i = 0; i < LVT_COUNT; i++)
        if (!(lapic_read(always_present_lvts[i]) & LAPIC_LVT_MASKED))
            FAIL("LVT 0x%03x unmasked by enabling the APIC again", always_present_lvts[i]);
}

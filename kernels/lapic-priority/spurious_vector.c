/* The spurious-interrupt vector register: its vector field (SDM Vol. 3A
 * 11.9). What clearing its software-enable bit does to the LVTs
 * (11.4.7.2) is lapic-modes' lapic_software_disable_forces_every_lvt_mask_*,
 * once per register interface. */
#include "cpu/cpuid.h"
#include "drivers/lapic.h"
#include "interrupt_log.h"
#include "test/test.h"

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

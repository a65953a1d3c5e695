/* lapic-modes: the APIC software-disabled (SVR bit 8 clear) and the
 * interfaces that are not the current mode's (SDM Vol. 3A 11.4.7.2,
 * 11.12.2). */
#include "modes.h"

#include "cpu/cpu.h"
#include "cpu/vectors.h"
#include "test/test.h"

#define LVT_TEST_VECTOR  0x52
#define TPR_PATTERN      0x0fu   /* an illegal vector, should the write leave as a message */

/* SDM 11.4.7.2: while the APIC is software-disabled "The mask bits for
 * all the LVT entries are set. Attempts to reset these bits will be
 * ignored." Every LVT the APIC always has (timer, LINT0, LINT1, error):
 * unmasked, it becomes masked when SVR bit 8 is cleared; an unmasking
 * write is refused while disabled; and setting bit 8 again writes no LVT,
 * so the masks stay set until software clears them. The timer's initial
 * count is 0 and the inputs are quiet (the framework masks the 8259), so
 * an unmasked LVT has nothing to deliver meanwhile. */
static const unsigned always_present_lvts[] = {
    LAPIC_LVT_TIMER, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
};
#define LVT_COUNT (sizeof(always_present_lvts) / sizeof(always_present_lvts[0]))

/* Fails, naming the LVT and the step, for each entry found unmasked. */
static void expect_every_lvt_masked(const char *when)
{
    for (unsigned i = 0; i < LVT_COUNT; i++)
        if (!(lapic_read(always_present_lvts[i]) & LAPIC_LVT_MASKED))
            FAIL("LVT 0x%03x is unmasked %s", always_present_lvts[i], when);
}

static void software_disable_masks_every_lvt(enum lapic_mode mode)
{
    enter_mode(mode);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    for (unsigned i = 0; i < LVT_COUNT; i++) {
        lapic_write(always_present_lvts[i], LVT_TEST_VECTOR);
        ASSERT_FALSE(lapic_read(always_present_lvts[i]) & LAPIC_LVT_MASKED);
    }

    lapic_write(LAPIC_SVR, VECTOR_SPURIOUS);   /* bit 8 clear: software-disabled */
    expect_every_lvt_masked("after the APIC was software-disabled");
    for (unsigned i = 0; i < LVT_COUNT; i++)
        lapic_write(always_present_lvts[i], LVT_TEST_VECTOR);
    expect_every_lvt_masked("after an unmasking write while software-disabled");

    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
    expect_every_lvt_masked("after the APIC was software-enabled again");
}

INTERFACE_CASES(lapic_software_disable_forces_every_lvt_mask,
                software_disable_masks_every_lvt, "SDM Vol. 3A 11.4.7.2")

/* SDM 11.12.2: "In x2APIC mode, the memory mapped interface is not
 * available and any access to the MMIO interface will behave similar to
 * that of a legacy xAPIC in globally disabled state." A TPR write through
 * the xAPIC page does not reach the APIC. (What such a write does on the
 * bus is not the APIC's business; the value written would be an illegal
 * vector there, so it cannot interrupt anything.) */
void write_tpr_through_the_page(void)
{
    *(volatile uint32_t *)(lapic_base() + LAPIC_TPR) = TPR_PATTERN;
}

TEST_CASE_CONDITIONAL(x2apic_mode_ignores_xapic_mmio_writes, x2apic_usable(),
                      "SDM Vol. 3A 11.12.2")
{
    enter_mode(LAPIC_MODE_X2APIC);
    lapic_write(LAPIC_TPR, 0);
    write_tpr_through_the_page();
    ASSERT_EQ(lapic_read(LAPIC_TPR), 0u);
}

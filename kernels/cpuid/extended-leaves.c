/* The extended CPUID leaves: their limit and the brand string. */
#include "cpu/cpuid.h"
#include "test/test.h"

#define BRAND_LEAVES        3
#define BRAND_LENGTH        (BRAND_LEAVES * 16)
#define CPUID_LEAF_BRAND_LAST (CPUID_LEAF_BRAND0 + BRAND_LEAVES - 1)
#define ASCII_PRINTABLE_FIRST 0x20
#define ASCII_PRINTABLE_LAST  0x7e
#define EXTENDED_RANGE_END  0x8000ffffu

/* SDM Vol. 2A CPUID 80000000H: EAX is the highest extended leaf. A 64-bit
 * processor has 80000001H (it carries the LM flag), and the limit stays
 * in the extended range. */
TEST_CASE(extended_max_leaf_covers_the_extended_feature_leaf, "SDM Vol. 2A CPUID leaf 80000000H")
{
    uint32_t max = cpuid_max_ext_leaf();
    ASSERT_GE(max, CPUID_LEAF_EXT_FEATURES);
    ASSERT_LE(max, EXTENDED_RANGE_END);
}

static bool cpu_has_brand_string(void)
{
    return cpuid_max_ext_leaf() >= CPUID_LEAF_BRAND_LAST;
}

/* SDM Vol. 2A CPUID 80000002H-80000004H: the processor brand string, 48
 * bytes of ASCII, null-terminated. AMD: firmware programs the name string
 * (its reset value is 48 NULs), and "the name string must be ASCII NUL
 * terminated and the 48-character maximum includes that NUL character"
 * (AMD Revision Guides, e.g. Family 10h #41322 "Programming and
 * Displaying the Processor Name String"). Leading spaces are allowed
 * (Intel pads on the left), so the claim is: printable up to a NUL, at
 * least one character that is not a space, and a NUL within the 48
 * bytes. */
TEST_CASE_CONDITIONAL(brand_string_is_printable_and_null_terminated, cpu_has_brand_string(),
                      "SDM Vol. 2A CPUID leaves 80000002H-80000004H")
{
    uint32_t words[BRAND_LENGTH / 4];
    for (unsigned i = 0; i < BRAND_LEAVES; i++) {
        struct cpuid_regs r = cpuid(CPUID_LEAF_BRAND0 + i);
        words[i * 4 + 0] = r.eax;
        words[i * 4 + 1] = r.ebx;
        words[i * 4 + 2] = r.ecx;
        words[i * 4 + 3] = r.edx;
    }
    const char *brand = (const char *)words;
    unsigned length = 0, visible = 0;
    while (length < BRAND_LENGTH && brand[length]) {
        ASSERT_GE((unsigned char)brand[length], ASCII_PRINTABLE_FIRST);
        ASSERT_LE((unsigned char)brand[length], ASCII_PRINTABLE_LAST);
        visible += brand[length] != ' ';
        length++;
    }
    ASSERT_LT(length, BRAND_LENGTH);
    ASSERT_GT(visible, 0u);
}

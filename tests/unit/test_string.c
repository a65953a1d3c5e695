/* The freestanding string functions (their bulk is one string instruction)
 * held against the C library's, over every length up to a few cache
 * lines, every alignment and every byte value that matters. The platform's
 * file is compiled here under other names, so both sets can be called. */
#define memcpy lib_memcpy
#define memmove lib_memmove
#define memset lib_memset
#define memcmp lib_memcmp
#define memchr lib_memchr
#define strlen lib_strlen
#define strnlen lib_strnlen
#define strcmp lib_strcmp
#define strncmp lib_strncmp
#define strchr lib_strchr
#include "lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

#include <stdlib.h>

#include "check.h"

#define MAX_LENGTH 72   /* past 8 quadwords plus a byte tail */
#define ALIGNMENTS 8
#define GUARD      8    /* bytes around a destination that must not change */
#define GUARD_BYTE 0xa5

static unsigned char src[ALIGNMENTS + MAX_LENGTH + 1];
static unsigned char dst[GUARD + ALIGNMENTS + MAX_LENGTH + GUARD];
static unsigned char want[sizeof(dst)];

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)rand();
}

static void copies_and_fills_touch_exactly_their_bytes(void)
{
    fill_random(src, sizeof(src));
    for (size_t align = 0; align < ALIGNMENTS; align++) {
        for (size_t n = 0; n <= MAX_LENGTH; n++) {
            unsigned char *d = dst + GUARD + align;
            memset(dst, GUARD_BYTE, sizeof(dst));
            memcpy(want, dst, sizeof(dst));
            memcpy(want + GUARD + align, src + (n % ALIGNMENTS), n);
            CHECK(lib_memcpy(d, src + (n % ALIGNMENTS), n) == d);
            CHECK(memcmp(dst, want, sizeof(dst)) == 0);

            int c = (int)(n * 37 % 256);   /* 0x00 to 0xff, through 0x80 */
            memset(dst, GUARD_BYTE, sizeof(dst));
            memcpy(want, dst, sizeof(dst));
            memset(want + GUARD + align, c, n);
            CHECK(lib_memset(d, c, n) == d);
            CHECK(memcmp(dst, want, sizeof(dst)) == 0);
        }
    }
}

static void memmove_copies_overlapping_ranges_both_ways(void)
{
    for (size_t n = 0; n <= MAX_LENGTH / 2; n++) {
        for (size_t shift = 1; shift < 9; shift++) {
            fill_random(dst, sizeof(dst));
            memcpy(want, dst, sizeof(dst));
            memmove(want + GUARD + shift, want + GUARD, n);
            lib_memmove(dst + GUARD + shift, dst + GUARD, n);   /* forward overlap */
            CHECK(memcmp(dst, want, sizeof(dst)) == 0);

            memmove(want + GUARD, want + GUARD + shift, n);
            lib_memmove(dst + GUARD, dst + GUARD + shift, n);   /* backward overlap */
            CHECK(memcmp(dst, want, sizeof(dst)) == 0);
        }
    }
}

/* The sign of memcmp is decided by the first differing bytes as unsigned
 * char (C11 7.24.4.1): 0x80 is greater than 0x7f. */
static void memcmp_orders_by_the_first_difference_as_unsigned(void)
{
    static const unsigned char pairs[][2] = { { 1, 2 }, { 0x7f, 0x80 }, { 0xff, 0 }, { 0x80, 0x81 } };
    unsigned char a[MAX_LENGTH], b[MAX_LENGTH];
    for (size_t n = 0; n <= MAX_LENGTH; n++) {
        fill_random(a, sizeof(a));
        memcpy(b, a, sizeof(b));
        CHECK(lib_memcmp(a, b, n) == 0);
        for (size_t at = 0; at < n; at++) {
            for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
                memcpy(b, a, sizeof(b));
                a[at] = pairs[p][0];
                b[at] = pairs[p][1];
                if (at + 1 < n)
                    b[n - 1] ^= 0xff;   /* a later difference must not count */
                CHECK(sign(lib_memcmp(a, b, n)) == sign(memcmp(a, b, n)));
                CHECK(sign(lib_memcmp(b, a, n)) == sign(memcmp(b, a, n)));
            }
        }
    }
}

/* memchr converts c to unsigned char (C11 7.24.5.1): 0x141 finds 0x41. */
static void memchr_finds_the_first_match_within_n_only(void)
{
    unsigned char s[MAX_LENGTH + 1];
    for (size_t n = 0; n <= MAX_LENGTH; n++) {
        memset(s, 'x', sizeof(s));
        s[n] = 0x41;   /* just past the range: never found */
        CHECK(lib_memchr(s, 0x41, n) == NULL);
        for (size_t at = 0; at < n; at++) {
            s[at] = 0xfe;
            CHECK(lib_memchr(s, 0xfe, n) == s + at);
            CHECK(lib_memchr(s, -2, n) == s + at);
            CHECK(lib_memchr(s, 0x1fe, n) == s + at);
            if (at + 1 < n) {
                s[n - 1] = 0xfe;   /* a later match does not win */
                CHECK(lib_memchr(s, 0xfe, n) == s + at);
                s[n - 1] = 'x';
            }
            s[at] = 'x';
        }
    }
}

static void lengths_stop_at_the_terminator_or_the_bound(void)
{
    char s[MAX_LENGTH + 1];
    for (size_t n = 0; n < MAX_LENGTH; n++) {
        memset(s, 0x80, sizeof(s));   /* non-ASCII bytes are not terminators */
        s[n] = '\0';
        CHECK(lib_strlen(s) == strlen(s));
        for (size_t max = 0; max <= MAX_LENGTH; max += 3)
            CHECK(lib_strnlen(s, max) == strnlen(s, max));
    }
}

static void comparisons_and_searches_of_strings(void)
{
    static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\x80", "\x7f" };
    size_t count = sizeof(words) / sizeof(words[0]);
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < count; j++) {
            CHECK(sign(lib_strcmp(words[i], words[j])) == sign(strcmp(words[i], words[j])));
            for (size_t n = 0; n < 4; n++)
                CHECK(sign(lib_strncmp(words[i], words[j], n)) ==
                      sign(strncmp(words[i], words[j], n)));
        }
        CHECK(lib_strchr(words[i], 'b') == strchr(words[i], 'b'));
        CHECK(lib_strchr(words[i], '\0') == strchr(words[i], '\0'));
    }
}

int main(void)
{
    srand(1);
    copies_and_fills_touch_exactly_their_bytes();
    memmove_copies_overlapping_ranges_both_ways();
    memcmp_orders_by_the_first_difference_as_unsigned();
    memchr_finds_the_first_match_within_n_only();
    lengths_stop_at_the_terminator_or_the_bound();
    comparisons_and_searches_of_strings();
    return check_report();
}

/* The kernel's printf against the C library's, conversion by conversion. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "lib/format.h"

#define SAME(...)                                                              \
    do {                                                                       \
        char ours[256], libc[256];                                             \
        int n1 = format_string(ours, sizeof(ours), __VA_ARGS__);               \
        int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);                    \
        CHECK_STR(ours, libc);                                                 \
        CHECK(n1 == n2);                                                       \
    } while (0)

int main(void)
{
    SAME("plain text");
    SAME("%d %d %d", 0, -1, 2147483647);
    SAME("%i", -2147483647 - 1);
    SAME("%u %x %X %o", 4000000000u, 0xdeadbeefu, 0xabcdefu, 8u);
    SAME("%lld %llu %llx", -9223372036854775807ll - 1, 18446744073709551615ull, 0x123456789abcdefull);
    SAME("%ld %lu %zu", -5l, 7ul, (size_t)42);
    SAME("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
    SAME("%08x|%-8x|%#x|%#x|%#X|%#o|%#10x", 0xbeefu, 0xbeefu, 0u, 0x1fu, 0xabu, 8u, 0x2au);
    SAME("%.3d|%8.3d|%-8.3d", 7, 7, 7);
    SAME("%s|%10s|%-10s|%.2s", "abc", "abc", "abc", "abc");
    SAME("%*d|%-*d|%.*s", 6, 1, 6, 1, 3, "abcdef");
    SAME("%c%c%5c", 'a', 'b', 'c');
    SAME("%%|%hhu|%hd", (unsigned char)300, (short)70000);
    SAME("%p", (void *)0x1234);

    /* Truncation: always terminated, returns the full length. */
    char small[5];
    int n = format_string(small, sizeof(small), "%s", "abcdefgh");
    CHECK_STR(small, "abcd");
    CHECK(n == 8);
    CHECK(format_string(NULL, 0, "%d", 12345) == 5);
    /* A null string prints "(null)" rather than crashing. */
    char buf[16];
    const char *volatile null_string = NULL;   /* hidden from -Wformat */
    format_string(buf, sizeof(buf), "%s", null_string);
    CHECK_STR(buf, "(null)");
    return check_report();
}

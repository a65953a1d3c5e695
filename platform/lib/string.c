/* Memory and string functions for freestanding code (see string.h).
 *
 * The bulk of every copy, fill, compare and scan is one string
 * instruction (SDM Vol. 2B MOVS, STOS, CMPS, SCAS). On hardware that is as
 * fast as a loop or faster (fast-string operation, SDM Vol. 1 7.3.9.3); a
 * VMM that emulates the guest pays per instruction it decodes, and a REP
 * prefix is decoded once for all its iterations. DF is clear, as the ABI
 * and the interrupt entry (isr.asm) keep it. */
#include "lib/string.h"

#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    void *d = dst;
    size_t quads = n / 8, bytes = n % 8;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(quads) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
    return dst;
}

/* Overlapping copies are rare here: the backward case stays a loop rather
 * than run with DF set, where an interrupt handler would see it. */
void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint64_t pattern = (unsigned char)c * 0x0101010101010101ull;
    size_t quads = n / 8, bytes = n % 8;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(quads) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(pattern) : "memory");
    return dst;
}

/* REPE CMPSB stops after the first difference or after n bytes; either way
 * the last bytes compared decide. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    if (!n)
        return 0;
    __asm__ volatile("repe cmpsb" : "+S"(x), "+D"(y), "+c"(n) : : "memory", "cc");
    return x[-1] - y[-1];
}

/* REPNE SCASB stops after the first byte equal to c or after n bytes. */
void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    if (!n)
        return NULL;
    __asm__ volatile("repne scasb" : "+D"(p), "+c"(n) : "a"((unsigned char)c) : "memory", "cc");
    return p[-1] == (unsigned char)c ? (void *)(p - 1) : NULL;
}

size_t strlen(const char *s)
{
    const char *p = s;
    size_t count = SIZE_MAX;
    __asm__ volatile("repne scasb" : "+D"(p), "+c"(count) : "a"(0) : "memory", "cc");
    return (size_t)(p - s) - 1;
}

size_t strnlen(const char *s, size_t max)
{
    const char *end = memchr(s, 0, max);
    return end ? (size_t)(end - s) : max;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

/* Measuring one operation; see measure.h. */
#include "measure.h"

#include "cpu/cpu.h"
#include "lib/format.h"
#include "test/protocol.h"
#include "test/test.h"
#include "time/timebase.h"

/* A VM exit costs microseconds; a median of 10 ms means most samples were
 * not the operation but the vCPU being descheduled or a hang in the VMM. */
#define SANE_MEDIAN_NS ms(10)

static inline uint64_t fenced_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static void sort(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

uint64_t measure_median_cycles(const char *name, void (*op)(void *), void *ctx,
                               unsigned samples)
{
    uint64_t cycles[SAMPLES_MAX];
    if (samples > SAMPLES_MAX)
        samples = SAMPLES_MAX;
    for (unsigned i = 0; i < samples; i++) {
        uint64_t start = fenced_rdtsc();
        op(ctx);
        cycles[i] = fenced_rdtsc() - start;
    }
    sort(cycles, samples);
    uint64_t median = cycles[samples / 2];
    protocol_benchmark(name, "cycles", (int64_t)median);
    char key[64];
    format_string(key, sizeof(key), "timing.%s.median-cycles", name);
    protocol_fact(key, "%llu", (unsigned long long)median);
    /* Every operation takes time, and the TSC counts it (SDM Vol. 3A
     * 18.17: the TSC increments with every processor clock, or at a
     * constant rate). */
    ASSERT_GT(median, 0u);
    ASSERT_LT(median, ns_to_tsc(SANE_MEDIAN_NS));
    return median;
}

/* Measuring one operation: N samples of its cost in TSC ticks, the median
 * printed as a SOTEST BENCHMARK line and a CERTIFY FACT. Figures, never
 * verdicts: the only check is that the median is sane. */
#ifndef KERNELS_TIMING_MEASURE_H
#define KERNELS_TIMING_MEASURE_H

#include <stdint.h>

/* Odd, so the median is one sample; enough that a few samples disturbed
 * by an SMI or a host preemption do not move it. */
#define SAMPLES 101
#define SAMPLES_MAX SAMPLES

/* Times `op(ctx)` `samples` times (odd, at most SAMPLES_MAX) (RDTSC fenced by LFENCE on both sides,
 * SDM Vol. 2B RDTSC: "If software requires RDTSC to be executed only
 * after all previous instructions have executed ... it can execute LFENCE
 * immediately before RDTSC"), reports the median under `name`, checks it
 * is sane and returns it. */
uint64_t measure_median_cycles(const char *name, void (*op)(void *), void *ctx,
                               unsigned samples);

#endif

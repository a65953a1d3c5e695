/* Case isolation (DESIGN.md section 4): every case starts from, and leaves
 * behind, a known platform state, pass or fail. */
#ifndef PLATFORM_TEST_ISOLATION_H
#define PLATFORM_TEST_ISOLATION_H

#include <stdbool.h>
#include <stdint.h>

struct isolation_snapshot {
    uint64_t cr0, cr3, cr4, efer;
};

void isolation_save(struct isolation_snapshot *s);

/* Masks and drains every interrupt source, removes the case's handlers,
 * reloads GDT and IDT and restores the control registers. */
void isolation_restore(const struct isolation_snapshot *s);

/* Arms and disarms the watchdog around the case body. */
void isolation_case_begin(void);
void isolation_case_end(void);
bool isolation_watchdog_fired(void);

#endif

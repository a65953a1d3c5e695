/* The machine facts every kernel prints at start (docs/protocol.md). */
#ifndef PLATFORM_TEST_FACTS_H
#define PLATFORM_TEST_FACTS_H

struct boot_info;

void facts_print_boot(const struct boot_info *b);
void facts_print_cpu(void);

#endif

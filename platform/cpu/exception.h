/* Exception names and the register dump printed when an exception nobody
 * expected ends a case or the kernel. */
#ifndef PLATFORM_CPU_EXCEPTION_H
#define PLATFORM_CPU_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/catch.h"

/* "#GP", "#PF", ... or "vector 0x40". */
const char *exception_mnemonic(uint8_t vector, char *buf, unsigned size);
bool exception_has_error_code(uint8_t vector);

/* Prints vector, mnemonic, error code, RIP, CR2, GPRs and control
 * registers, each line prefixed with `prefix`. */
void exception_dump(const struct exception_record *rec, const char *prefix);

#endif

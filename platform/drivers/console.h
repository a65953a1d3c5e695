/* The kernel's output: every byte goes to each enabled console (serial,
 * debugcon), with CR LF line ends on serial. */
#ifndef PLATFORM_DRIVERS_CONSOLE_H
#define PLATFORM_DRIVERS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(bool serial, uint16_t serial_port, bool debugcon, uint16_t debugcon_port);
void console_putc(char c);
void console_write(const char *s);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The format_sink that feeds the console (for protocol_set_sink). */
void console_sink(void *ctx, const char *s, size_t n);
/* Waits until the serial console has sent everything (before power-off). */
void console_drain(void);

/* Whether the serial UART answered its probe (a fact for the log). */
bool console_serial_found(void);

#endif

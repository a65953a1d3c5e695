/* The kernel's output on serial and debugcon; see console.h. */
#include "drivers/console.h"

#include <stdarg.h>

#include "drivers/debugcon.h"
#include "drivers/serial.h"
#include "lib/format.h"

/* Output is collected a line at a time and sent with string OUTs: under
 * a VMM every OUT is an exit, and one per byte made printing most of a
 * kernel's run time under nested KVM. A line is sent at its LF, when the
 * buffer fills, and before the kernel drains the console (power-off). */
#define CONSOLE_LINE_MAX 256

/* Before console_init the console writes to both default ports, so even an
 * exception during early start-up leaves a trace. */
static struct {
    bool serial, debugcon, serial_found;
    uint16_t serial_port, debugcon_port;
    unsigned pending;
    char line[CONSOLE_LINE_MAX];
} console = { true, true, false, COM1_PORT, DEBUGCON_PORT, 0, { 0 } };

static void console_flush(void)
{
    if (!console.pending)
        return;
    if (console.serial)
        serial_write(console.serial_port, console.line, console.pending);
    if (console.debugcon)
        debugcon_write(console.debugcon_port, console.line, console.pending);
    console.pending = 0;
}

void console_init(bool serial, uint16_t serial_port, bool debugcon, uint16_t debugcon_port)
{
    console_flush();
    console.serial = serial;
    console.serial_port = serial_port;
    console.debugcon = debugcon;
    console.debugcon_port = debugcon_port;
    /* Even where the probe fails we keep writing: a UART on real hardware
     * behind a SuperIO may not have a scratch register worth trusting. */
    if (serial)
        console.serial_found = serial_init(serial_port);
}

bool console_serial_found(void)
{
    return console.serial_found;
}

void console_putc(char c)
{
    console_sink(NULL, &c, 1);
}

void console_write(const char *s)
{
    while (*s)
        console_putc(*s++);
}

void console_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        console.line[console.pending++] = s[i];
        if (s[i] == '\n' || console.pending == CONSOLE_LINE_MAX)
            console_flush();
    }
}

void console_drain(void)
{
    console_flush();
    if (console.serial && console.serial_found)
        serial_drain(console.serial_port);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(console_sink, NULL, fmt, ap);
    va_end(ap);
    return n;
}

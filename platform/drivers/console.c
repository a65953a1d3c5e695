/* The kernel's output on serial and debugcon; see console.h. */
#include "drivers/console.h"

#include <stdarg.h>

#include "drivers/debugcon.h"
#include "drivers/serial.h"
#include "lib/format.h"
#include "lib/string.h"

/* Output is collected a line at a time and sent with string OUTs: under
 * a VMM every OUT is an exit, and one per byte made printing most of a
 * kernel's run time under nested KVM. A line is sent at its LF, when the
 * buffer fills, and before the kernel drains the console (power-off), so
 * the buffer holds at most one LF, at its end. */
#define CONSOLE_LINE_MAX 256

/* Before console_init the console writes to both default ports, so even an
 * exception during early start-up leaves a trace. */
static struct {
    bool serial, debugcon, serial_found;
    uint16_t serial_port, debugcon_port;
    unsigned pending;
    char line[CONSOLE_LINE_MAX + 1];   /* + the CR of a serial line end */
} console = { true, true, false, COM1_PORT, DEBUGCON_PORT, 0, { 0 } };

/* The UART gets a line end as CR LF (what a terminal needs), debugcon as
 * LF. The CR takes the LF's place and the LF moves to the spare byte, so
 * neither output is copied. */
static void console_flush(void)
{
    unsigned n = console.pending;
    if (!n)
        return;
    bool line_end = console.line[n - 1] == '\n';
    if (console.serial) {
        if (line_end) {
            console.line[n - 1] = '\r';
            console.line[n] = '\n';
        }
        serial_write(console.serial_port, console.line, line_end ? n + 1 : n);
        if (line_end)
            console.line[n - 1] = '\n';
    }
    if (console.debugcon)
        debugcon_write(console.debugcon_port, console.line, n);
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

/* Copies the piece up to its next LF, or as much as fits, at a time. */
void console_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    while (n) {
        size_t take = CONSOLE_LINE_MAX - console.pending;
        if (take > n)
            take = n;
        const char *lf = memchr(s, '\n', take);
        if (lf)
            take = (size_t)(lf - s) + 1;
        memcpy(console.line + console.pending, s, take);
        console.pending += (unsigned)take;
        s += take;
        n -= take;
        if (lf || console.pending == CONSOLE_LINE_MAX)
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

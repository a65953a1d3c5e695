/* 16550 UART, polled transmit only; see serial.h. */
#include "drivers/serial.h"

#include "cpu/cpu.h"

/* Bounds the wait for THRE so a UART that never drains (or is absent and
 * reads 0x00) cannot stop the kernel; the byte is then sent anyway. */
#define UART_THRE_SPINS 100000

bool serial_init(uint16_t port)
{
    /* The scratch register holds what is written on every 16450/16550;
     * an absent UART reads 0xff. */
    outb(port + UART_SCR, 0x5a);
    if (inb(port + UART_SCR) != 0x5a)
        return false;

    uint16_t divisor = UART_CLOCK_HZ / 16 / UART_BAUD;
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, UART_LCR_DLAB);
    outb(port + UART_DLL, divisor & 0xff);
    outb(port + UART_DLM, divisor >> 8);
    outb(port + UART_LCR, UART_LCR_8N1);
    outb(port + UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX);
    outb(port + UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
    return true;
}

static void wait_for_thre(uint16_t port)
{
    for (int i = 0; i < UART_THRE_SPINS; i++)
        if (inb(port + UART_LSR) & UART_LSR_THRE)
            break;
}

/* THRE set means the transmit FIFO is empty: a whole load fits. One LSR
 * read per load, one string OUT for its bytes. */
static void send_fifo_load(uint16_t port, const char *load, unsigned n)
{
    wait_for_thre(port);
    outsb(port + UART_THR, load, n);
}

void serial_write(uint16_t port, const char *s, unsigned n)
{
    char load[UART_FIFO_SIZE];
    unsigned used = 0;
    for (unsigned i = 0; i < n; i++) {
        if (used + (s[i] == '\n' ? 2 : 1) > UART_FIFO_SIZE) {
            send_fifo_load(port, load, used);
            used = 0;
        }
        if (s[i] == '\n')
            load[used++] = '\r';
        load[used++] = s[i];
    }
    if (used)
        send_fifo_load(port, load, used);
}

void serial_drain(uint16_t port)
{
    for (int i = 0; i < UART_THRE_SPINS; i++)
        if (inb(port + UART_LSR) & UART_LSR_TEMT)
            break;
}

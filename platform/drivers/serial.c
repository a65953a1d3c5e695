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
void serial_write(uint16_t port, const char *s, unsigned n)
{
    while (n) {
        unsigned load = n < UART_FIFO_SIZE ? n : UART_FIFO_SIZE;
        wait_for_thre(port);
        outsb(port + UART_THR, s, load);
        s += load;
        n -= load;
    }
}

void serial_drain(uint16_t port)
{
    for (int i = 0; i < UART_THRE_SPINS; i++)
        if (inb(port + UART_LSR) & UART_LSR_TEMT)
            break;
}

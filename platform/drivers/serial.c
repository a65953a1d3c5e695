/* 16550 UART, polled transmit only; see serial.h. */
#include "drivers/serial.h"

#include "cpu/cpu.h"

/* Bounds the wait for THRE so a UART that never drains (or is absent and
 * reads 0x00) cannot stop the kernel; the byte is then sent anyway. */
#define UART_THRE_SPINS 100000

/* Bytes that fit in the transmit FIFO since THRE was last seen set: one
 * LSR read per FIFO load instead of one per byte halves the VM exits. */
static unsigned tx_room;

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
    tx_room = 0;
    return true;
}

void serial_putc(uint16_t port, char c)
{
    if (tx_room == 0) {
        for (int i = 0; i < UART_THRE_SPINS; i++)
            if (inb(port + UART_LSR) & UART_LSR_THRE)
                break;
        tx_room = UART_FIFO_SIZE;
    }
    tx_room--;
    outb(port + UART_THR, (uint8_t)c);
}

void serial_drain(uint16_t port)
{
    for (int i = 0; i < UART_THRE_SPINS; i++)
        if (inb(port + UART_LSR) & UART_LSR_TEMT)
            break;
}

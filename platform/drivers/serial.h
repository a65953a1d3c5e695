/* 16550 UART, polled transmit only (PC16550D datasheet). */
#ifndef PLATFORM_DRIVERS_SERIAL_H
#define PLATFORM_DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT          0x3f8

/* Register offsets from the base port. */
#define UART_THR           0     /* transmit holding (DLAB=0, write) */
#define UART_RBR           0     /* receive buffer (DLAB=0, read) */
#define UART_DLL           0     /* divisor latch low (DLAB=1) */
#define UART_IER           1     /* interrupt enable (DLAB=0) */
#define UART_DLM           1     /* divisor latch high (DLAB=1) */
#define UART_FCR           2     /* FIFO control (write) */
#define  UART_FCR_ENABLE   0x01
#define  UART_FCR_CLEAR_RX 0x02
#define  UART_FCR_CLEAR_TX 0x04
#define UART_LCR           3     /* line control */
#define  UART_LCR_8N1      0x03
#define  UART_LCR_DLAB     0x80
#define UART_MCR           4     /* modem control */
#define  UART_MCR_DTR      0x01
#define  UART_MCR_RTS      0x02
#define  UART_MCR_OUT2     0x08
#define UART_LSR           5     /* line status */
#define  UART_LSR_THRE     0x20  /* transmit holding register empty */
#define  UART_LSR_TEMT     0x40  /* transmitter empty: FIFO and shift register */
#define UART_SCR           7     /* scratch */

#define UART_CLOCK_HZ      1843200
#define UART_BAUD          115200
#define UART_FIFO_SIZE     16    /* 16550A transmit FIFO */

/* Programs 115200 8N1 with FIFOs; false when no UART answers at `port`. */
bool serial_init(uint16_t port);
/* Sends n bytes as they are (the console adds the CR of a line end): a
 * FIFO load (16 bytes) per wait for THRE, each load one string OUT. */
void serial_write(uint16_t port, const char *s, unsigned n);
/* Waits (bounded) until every byte has left the UART: powering off
 * earlier loses what is still in the FIFO (up to 16 bytes). */
void serial_drain(uint16_t port);

#endif

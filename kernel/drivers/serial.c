/* COM1 16550 UART driver: the kernel's main console and the channel the
 * test harness reads (TAP lines). Polled output; input by interrupt once the tty asks for it. */
#include "kernel/drivers/serial.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define COM1	      0x3f8
#define UART_DATA     0
#define UART_IER      1	   /* interrupt enable */
#define UART_IER_RDI  0x01 /* interrupt when received data is available */
#define COM1_IRQ      4
#define UART_FCR      2 /* FIFO control */
#define UART_LCR      3 /* line control; bit 7 selects the divisor latch */
#define UART_MCR      4
#define UART_LSR      5	   /* line status */
#define UART_LSR_DR   0x01 /* data ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */

static bool serial_present;

/* 115200 baud, 8N1, FIFOs on. Skips the port if nothing answers (a loopback
 * test as Linux's 8250 driver does), so a machine without COM1 still boots. */
void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);
	outb(COM1 + UART_DATA, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);
	outb(COM1 + UART_FCR, 0xc7);
	outb(COM1 + UART_MCR, 0x1e); /* loopback mode */
	outb(COM1 + UART_DATA, 0xae);
	if (inb(COM1 + UART_DATA) != 0xae)
		return;
	outb(COM1 + UART_MCR, 0x0f);
	serial_present = true;
}

void serial_putc(char c)
{
	if (!serial_present)
		return;
	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(COM1 + UART_DATA, (u8)c);
}

/* Returns the next received byte, or -1 if none is waiting. */
int serial_getc(void)
{
	if (!serial_present || !(inb(COM1 + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(COM1 + UART_DATA);
}

static void (*serial_rx)(u8 c);

/* IRQ 4: drains the receive FIFO into the registered consumer (the tty). */
static void serial_interrupt(struct pt_regs *regs)
{
	int c;

	(void)regs;
	while ((c = serial_getc()) >= 0)
		serial_rx((u8)c);
}

/* Input by interrupt from now on (MCR's OUT2, set at init, routes the
 * UART's interrupt line to the PIC). Does nothing without a UART. */
void serial_enable_rx_interrupt(void (*rx)(u8 c))
{
	if (!serial_present)
		return;
	serial_rx = rx;
	register_irq_handler(COM1_IRQ, serial_interrupt);
	outb(COM1 + UART_IER, UART_IER_RDI);
	serial_interrupt(NULL);
}

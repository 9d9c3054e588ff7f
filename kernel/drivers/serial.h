#ifndef KERNEL_DRIVERS_SERIAL_H
#define KERNEL_DRIVERS_SERIAL_H

#include "kernel/types.h"

void serial_init(void);
void serial_putc(char c);
int serial_getc(void);
/* Calls rx(byte) from the COM1 interrupt (IRQ 4) for every received byte. */
void serial_enable_rx_interrupt(void (*rx)(u8 c));

#endif

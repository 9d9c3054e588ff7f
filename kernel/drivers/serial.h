#ifndef KERNEL_DRIVERS_SERIAL_H
#define KERNEL_DRIVERS_SERIAL_H

#include "kernel/types.h"

void serial_init(void);
void serial_putc(char c);
int serial_getc(void);

#endif

#ifndef KERNEL_DRIVERS_PIC_H
#define KERNEL_DRIVERS_PIC_H

void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);

#endif

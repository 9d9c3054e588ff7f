/* The legacy 8259A interrupt controller pair: remapped so IRQ 0-15 arrive at
 * vectors 32-47 instead of colliding with CPU exceptions. */
#include "kernel/drivers/pic.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI	  0x20
#define ICW1_INIT 0x11 /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01

static u16 irq_mask = 0xfffb; /* all masked except the cascade (IRQ 2) */

static void pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT);
	io_wait();
	outb(PIC1_DATA, IRQ_BASE); /* ICW2: vector offsets */
	io_wait();
	outb(PIC2_DATA, IRQ_BASE + 8);
	io_wait();
	outb(PIC1_DATA, 4); /* ICW3: slave on IRQ 2 */
	io_wait();
	outb(PIC2_DATA, 2);
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();
	pic_write_mask();
}

void pic_unmask(int irq)
{
	irq_mask &= (u16) ~(1u << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

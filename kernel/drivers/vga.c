/* VGA text-mode console (80x25 at physical 0xb8000), a mirror of the serial
 * console for people who run QEMU with a window. */
#include "kernel/drivers/vga.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/layout.h"

#define VGA_PHYS   0xb8000
#define VGA_COLS   80
#define VGA_ROWS   25
#define VGA_ATTR   0x07 /* light grey on black */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA  0x3d5

static u16 *vga_buf;
static int vga_row, vga_col;

static void vga_move_cursor(void)
{
	u16 pos = (u16)(vga_row * VGA_COLS + vga_col);

	outb(CRTC_INDEX, 0x0f);
	outb(CRTC_DATA, pos & 0xff);
	outb(CRTC_INDEX, 0x0e);
	outb(CRTC_DATA, pos >> 8);
}

void vga_init(void)
{
	vga_buf = phys_to_virt(VGA_PHYS);
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_buf[i] = (VGA_ATTR << 8) | ' ';
	vga_row = vga_col = 0;
	vga_move_cursor();
}

static void vga_newline(void)
{
	vga_col = 0;
	if (++vga_row < VGA_ROWS)
		return;
	memmove(vga_buf, vga_buf + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
	for (int i = 0; i < VGA_COLS; i++)
		vga_buf[(VGA_ROWS - 1) * VGA_COLS + i] = (VGA_ATTR << 8) | ' ';
	vga_row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
	if (!vga_buf)
		return;
	if (c == '\n') {
		vga_newline();
	} else if (c == '\r') {
		vga_col = 0;
	} else if (c == '\b') {
		if (vga_col > 0)
			vga_col--;
	} else {
		vga_buf[vga_row * VGA_COLS + vga_col] = (u16)((VGA_ATTR << 8) | (u8)c);
		if (++vga_col == VGA_COLS)
			vga_newline();
	}
	vga_move_cursor();
}

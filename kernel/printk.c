/* Kernel log: every message goes into a ring buffer in Linux's syslog text
 * format ("<6>[    1.234567] text"), and to the serial and VGA consoles when
 * its level is below console_loglevel (the loglevel= boot parameter). */
#include "kernel/printk.h"
#include "kernel/drivers/serial.h"
#include "kernel/drivers/vga.h"
#include "kernel/time.h"
#include "kernel/x86.h"

#define LOG_BUF_SIZE (64 * 1024)

int console_loglevel = 7; /* print everything but KERN_DEBUG */

static char log_buf[LOG_BUF_SIZE];
static size_t log_head; /* total bytes ever written; head % size is next */
static bool line_open;	/* last message did not end with '\n' */

void console_init(void)
{
	serial_init();
	vga_init();
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
		vga_putc(s[i]);
	}
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

size_t log_buf_len(void)
{
	return log_head < LOG_BUF_SIZE ? log_head : LOG_BUF_SIZE;
}

size_t log_buf_read(char *dst, size_t size)
{
	size_t len = log_buf_len();
	size_t start = log_head - len;

	if (size < len) {
		start += len - size;
		len = size;
	}
	for (size_t i = 0; i < len; i++)
		dst[i] = log_buf[(start + i) % LOG_BUF_SIZE];
	return len;
}

/* Splits Linux's "\001N" prefix off the format: returns the level, or -1
 * for KERN_CONT, and advances *fmt past it. */
static int take_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return LOGLEVEL_DEFAULT;
	*fmt = f + 2;
	if (f[1] == 'c')
		return -1;
	return f[1] - '0';
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512], prefix[32];
	int level = take_level(&fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	size_t len = MIN((size_t)n, sizeof(text) - 1);
	size_t plen = 0;
	u64 flags = irq_save();
	static int last_level = LOGLEVEL_DEFAULT;

	if (level < 0) {
		level = last_level;
	} else {
		u64 ns = ktime_get_ns();
		if (line_open)
			log_store("\n", 1), console_write("\n", 1);
		plen = (size_t)snprintf(prefix, sizeof(prefix), "<%d>[%5lu.%06lu] ", level,
					ns / 1000000000, (ns / 1000) % 1000000);
		log_store(prefix, plen);
	}
	last_level = level;
	log_store(text, len);
	if (level < console_loglevel) {
		/* The console shows the timestamp but not the <level> tag. */
		if (plen)
			console_write(prefix + 3, plen - 3);
		console_write(text, len);
	}
	line_open = len && text[len - 1] != '\n';
	irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

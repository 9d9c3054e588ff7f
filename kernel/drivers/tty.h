/* The serial console as a terminal: a line discipline in the style of
 * Linux's n_tty (canonical mode with line editing and echo, or raw bytes)
 * between the serial receive interrupt and read(2) on /dev/console. */
#ifndef KERNEL_DRIVERS_TTY_H
#define KERNEL_DRIVERS_TTY_H

#include "kernel/types.h"

/* struct termios as TCGETS/TCSETS pass it (include/uapi/asm-generic/termbits.h). */
#define NCCS 19
struct termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};

/* c_cc indexes and flag bits: Linux's values. */
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6
#define VSTART	8
#define VSTOP	9
#define VSUSP	10
#define VWERASE 14

#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IXON	0002000
#define OPOST	0000001
#define ONLCR	0000004
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define ECHOCTL 0001000
#define ECHOKE	0004000
#define IEXTEN	0100000

/* ioctl requests (include/uapi/asm-generic/ioctls.h). */
#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TIOCGWINSZ 0x5413
#define FIONREAD   0x541B

/* Sets Linux's default termios and turns on the serial receive interrupt. */
void tty_init(void);
/* Feeds received bytes through the line discipline (the interrupt handler
 * calls it; tests call it to type). */
void tty_receive_buf(const char *buf, size_t n);
/* Waits for input as termios says and copies it; returns the count, 0 at
 * end of file (^D on an empty line), -EAGAIN if nonblock and nothing is
 * ready, -EINTR. */
ssize_t tty_read(char *buf, size_t n, bool nonblock);
/* Writes to the consoles (serial and VGA); returns n. */
ssize_t tty_write(const char *buf, size_t n);
/* TCGETS, TCSETS(W/F), TIOCGWINSZ, FIONREAD on user pointer arg;
 * -ENOTTY for others, -EFAULT. */
long tty_ioctl(unsigned int cmd, unsigned long arg);
void tty_get_termios(struct termios *t);
void tty_set_termios(const struct termios *t);
/* Discards pending input (TCSETSF, tests). */
void tty_flush_input(void);

#endif

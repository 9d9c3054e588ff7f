/* The console tty: input bytes from the serial interrupt go through a line
 * discipline modelled on Linux's drivers/tty/n_tty.c. In canonical mode
 * (ICANON) a line is edited where it is typed (VERASE erases a character,
 * VKILL the line, VEOF ends input) and read(2) sees only whole lines; in
 * non-canonical mode read(2) sees bytes as they come (VMIN of them). */
#include "kernel/drivers/serial.h"
#include "kernel/drivers/tty.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define TTY_BUF_SIZE 4096  /* N_TTY_BUF_SIZE */
#define EOF_MARK     0x100 /* a VEOF in the buffer: ends a line, not data */

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* read_buf holds input from tail to head; in canonical mode bytes before
 * canon_head are finished lines, the rest is the line being edited. */
static struct {
	struct termios termios;
	u16 read_buf[TTY_BUF_SIZE];
	u64 head, tail, canon_head;
	struct wait_queue_head read_wait;
} tty;

static const struct termios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0000277, /* B38400 | CS8 | CREAD | HUPCL, Linux's tty_std_termios */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
};

static void echo(const char *s, size_t n)
{
	if (tty.termios.c_lflag & ECHO)
		console_write(s, n);
}

/* Echoes a character, control characters as ^X (ECHOCTL). */
static void echo_char(u8 c)
{
	char ctl[2] = {'^', (char)(c ^ 0x40)};

	if (c < 0x20 && c != '\n' && c != '\t' && (tty.termios.c_lflag & ECHOCTL))
		echo(ctl, 2);
	else
		echo((const char *)&c, 1);
}

/* Removes the last character of the line being edited, rubbing it out on
 * the screen (two columns for a ^X echo). Returns false at line start. */
static bool erase_char(void)
{
	u16 c;

	if (tty.head == tty.canon_head)
		return false;
	c = tty.read_buf[--tty.head % TTY_BUF_SIZE];
	if (tty.termios.c_lflag & ECHOE) {
		echo("\b \b", 3);
		if (c < 0x20 && (tty.termios.c_lflag & ECHOCTL))
			echo("\b \b", 3);
	}
	return true;
}

static void put_char(u16 c)
{
	if (tty.head - tty.tail < TTY_BUF_SIZE - 1)
		tty.read_buf[tty.head++ % TTY_BUF_SIZE] = c;
}

/* One byte of input in canonical mode: edit the line or end it. */
static void receive_canon(u8 c)
{
	const u8 *cc = tty.termios.c_cc;

	if (c == cc[VERASE] || c == '\b') {
		erase_char();
	} else if (c == cc[VKILL]) {
		while (erase_char())
			;
	} else if (c == cc[VWERASE] && (tty.termios.c_lflag & IEXTEN)) {
		while (tty.head != tty.canon_head &&
		       tty.read_buf[(tty.head - 1) % TTY_BUF_SIZE] == ' ')
			erase_char();
		while (tty.head != tty.canon_head &&
		       tty.read_buf[(tty.head - 1) % TTY_BUF_SIZE] != ' ')
			erase_char();
	} else if (c == cc[VEOF]) {
		put_char(EOF_MARK);
		tty.canon_head = tty.head;
		wake_up(&tty.read_wait);
	} else if (c == '\n') {
		put_char('\n');
		if (tty.termios.c_lflag & (ECHO | ECHONL))
			console_write("\n", 1);
		tty.canon_head = tty.head;
		wake_up(&tty.read_wait);
	} else if (tty.head - tty.tail < TTY_BUF_SIZE - 2) { /* room for the '\n' */
		put_char(c);
		echo_char(c);
	}
}

/* Input translation (ICRNL, IGNCR, INLCR) then canonical or raw handling. */
static void receive_char(u8 c)
{
	u32 iflag = tty.termios.c_iflag;

	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (tty.termios.c_lflag & ICANON) {
		receive_canon(c);
		return;
	}
	put_char(c);
	echo_char(c);
	tty.canon_head = tty.head;
	wake_up(&tty.read_wait);
}

void tty_receive_buf(const char *buf, size_t n)
{
	u64 flags = irq_save();

	for (size_t i = 0; i < n; i++)
		receive_char((u8)buf[i]);
	irq_restore(flags);
}

static void serial_rx(u8 c)
{
	receive_char(c);
}

/* Bytes a read may take now: whole lines in canonical mode, everything in
 * raw mode. */
static size_t input_available(void)
{
	if (tty.termios.c_lflag & ICANON)
		return (size_t)(tty.canon_head - tty.tail);
	return (size_t)(tty.head - tty.tail);
}

/* Copies out of read_buf: in canonical mode up to the end of one line
 * (the '\n' included, a VEOF consumed but not returned). */
static size_t copy_input(char *buf, size_t n)
{
	bool canon = tty.termios.c_lflag & ICANON;
	size_t done = 0;
	u16 c;

	while (done < n && input_available()) {
		c = tty.read_buf[tty.tail % TTY_BUF_SIZE];
		if (c == EOF_MARK) {
			if (done)
				break; /* stays: the next read returns 0 */
			tty.tail++;
			break;
		}
		tty.tail++;
		buf[done++] = (char)c;
		if (canon && c == '\n')
			break;
	}
	return done;
}

ssize_t tty_read(char *buf, size_t n, bool nonblock)
{
	size_t want = 1, done;
	u64 flags;
	long err;

	if (!n)
		return 0;
	if (!(tty.termios.c_lflag & ICANON))
		want = MIN((size_t)tty.termios.c_cc[VMIN], n);
	if (want && input_available() < want) {
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(tty.read_wait, input_available() >= want);
		if (err)
			return err;
	}
	flags = irq_save();
	done = copy_input(buf, n);
	irq_restore(flags);
	return (ssize_t)done;
}

ssize_t tty_write(const char *buf, size_t n)
{
	console_write(buf, n);
	return (ssize_t)n;
}

void tty_get_termios(struct termios *t)
{
	*t = tty.termios;
}

/* Switching canonical mode off makes the edited part of the line
 * readable; switching it on treats what is buffered as finished input. */
void tty_set_termios(const struct termios *t)
{
	u64 flags = irq_save();

	tty.termios = *t;
	tty.canon_head = tty.head;
	irq_restore(flags);
	wake_up(&tty.read_wait);
}

void tty_flush_input(void)
{
	u64 flags = irq_save();

	tty.tail = tty.canon_head = tty.head;
	irq_restore(flags);
}

long tty_ioctl(unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	struct winsize ws = {.ws_row = 25, .ws_col = 80};
	struct termios t;
	int avail;

	switch (cmd) {
	case TCGETS:
		tty_get_termios(&t);
		return copy_to_user(p, &t, sizeof(t));
	case TCSETSF:
	case TCSETSW:
	case TCSETS:
		if (copy_from_user(&t, p, sizeof(t)))
			return -EFAULT;
		if (cmd == TCSETSF)
			tty_flush_input();
		tty_set_termios(&t);
		return 0;
	case TIOCGWINSZ:
		return copy_to_user(p, &ws, sizeof(ws));
	case FIONREAD:
		avail = (int)input_available();
		return copy_to_user(p, &avail, sizeof(avail));
	}
	return -ENOTTY;
}

void tty_init(void)
{
	tty.termios = default_termios;
	init_waitqueue_head(&tty.read_wait);
	serial_enable_rx_interrupt(serial_rx);
}

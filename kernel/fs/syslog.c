/* syslog(2), which dmesg uses: the kernel log buffer, already in Linux's
 * "<6>[    0.000000] text" record format (kernel/printk.c). */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "mm/kmalloc.h"

#define SYSLOG_ACTION_READ_ALL	  3
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* READ_ALL copies up to len bytes of the newest log text to buf and
 * returns the count; SIZE_BUFFER and SIZE_UNREAD return the log's size.
 * -EINVAL for a bad type or length, -EFAULT. */
SYSCALL_DEFINE3(103, syslog, int, type, char __user *, buf, int, len)
{
	size_t n;
	char *text;
	long ret;

	switch (type) {
	case SYSLOG_ACTION_READ_ALL:
		if (len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		n = MIN((size_t)len, log_buf_len());
		text = kmalloc(n + 1, GFP_KERNEL);
		if (!text)
			return -ENOMEM;
		n = log_buf_read(text, n);
		ret = copy_to_user(buf, text, n) ? -EFAULT : (long)n;
		kfree(text);
		return ret;
	case SYSLOG_ACTION_SIZE_UNREAD:
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (long)log_buf_len();
	}
	return -EINVAL;
}

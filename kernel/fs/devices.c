/* /dev: character devices made by the kernel at boot (as devtmpfs does),
 * so the initramfs needs no device nodes. console and tty are the serial
 * line with its line discipline (kernel/drivers/tty.c); null and zero are
 * Linux's memory devices. */
#include "kernel/drivers/tty.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"

static ssize_t tty_fop_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	(void)pos;
	return tty_read(buf, n, f->flags & O_NONBLOCK);
}

static ssize_t tty_fop_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	(void)f;
	(void)pos;
	return tty_write(buf, n);
}

static long tty_fop_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	(void)f;
	return tty_ioctl(cmd, arg);
}

static ssize_t null_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	(void)f;
	(void)buf;
	(void)n;
	(void)pos;
	return 0;
}

static ssize_t null_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return (ssize_t)n;
}

static ssize_t zero_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	(void)f;
	(void)pos;
	memset(buf, 0, n);
	return (ssize_t)n;
}

/* Memory devices accept any seek and stay at offset 0 (Linux's null_lseek). */
static s64 noop_llseek(struct file *f, s64 off, int whence)
{
	(void)off;
	(void)whence;
	f->pos = 0;
	return 0;
}

static const struct file_operations tty_fops = {
	.read = tty_fop_read,
	.write = tty_fop_write,
	.ioctl = tty_fop_ioctl,
};

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.llseek = noop_llseek,
};

static const struct file_operations zero_fops = {
	.read = zero_read,
	.write = null_write,
	.llseek = noop_llseek,
};

/* One line per device node: name, device number, operations. */
static const struct {
	const char *name;
	u32 rdev;
	const struct file_operations *fops;
} device_table[] = {
	{"console", MKDEV(5, 1), &tty_fops},
	{"tty", MKDEV(5, 0), &tty_fops},
	{"null", MKDEV(1, 3), &null_fops},
	{"zero", MKDEV(1, 5), &zero_fops},
};

/* Fills the directory dev with the device nodes; a node the initramfs
 * already had is left as it is. */
void devices_init(struct inode *dev)
{
	struct inode *inode;

	tty_init();
	for (size_t i = 0; i < ARRAY_SIZE(device_table); i++) {
		if (dir_find(dev, device_table[i].name))
			continue;
		inode = inode_alloc(S_IFCHR | 0666, NULL, device_table[i].fops);
		if (!inode)
			return;
		inode->rdev = device_table[i].rdev;
		if (dir_link(dev, inode, device_table[i].name))
			inode->nlink = 0;
		iput(inode);
	}
}

/* read, write and their variants (lseek, pread64, pwrite64, readv,
 * writev). User data passes through a kernel bounce buffer one chunk at a
 * time, so file operations only ever see kernel memory and every user
 * pointer is checked by copy_to_user/copy_from_user. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscall.h"
#include "mm/kmalloc.h"

#define RW_CHUNK     4096
#define UIO_MAXIOV   1024
#define MAX_RW_COUNT (0x7fffffffUL & ~4095UL) /* Linux's cap per call */
#define S64_MAX	     ((s64)(~0UL >> 1))

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

/* Reads through f's read operation into a kernel buffer at *pos. Returns
 * the count, -EBADF if f is not open for reading, -EISDIR, -EINVAL. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->op || !f->op->read)
		return -EINVAL;
	return f->op->read(f, buf, n, pos);
}

/* Writes a kernel buffer through f's write operation at *pos. Returns the
 * count, -EBADF if f is not open for writing, or the operation's error. */
ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 *pos)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->op || !f->op->write)
		return -EINVAL;
	return f->op->write(f, buf, n, pos);
}

/* lseek for files with a size: returns the new offset or -EINVAL. */
s64 generic_file_llseek(struct file *f, s64 off, int whence)
{
	s64 base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (s64)f->pos;
		break;
	case SEEK_END:
		base = (s64)f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > S64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (u64)(base + off);
	return (s64)f->pos;
}

/* Reads up to count bytes to user memory. Regular files are read chunk
 * after chunk; a pipe or a tty returns after the first chunk, so a read
 * never waits for more once it has data. Returns bytes or -errno (only if
 * nothing was read). */
static ssize_t read_to_user(struct file *f, char __user *buf, size_t count, u64 *pos)
{
	size_t done = 0, chunk;
	ssize_t n = 0;
	char *kbuf;

	count = MIN(count, MAX_RW_COUNT);
	if (!access_ok(buf, count))
		return -EFAULT;
	kbuf = kmalloc(RW_CHUNK, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (done < count || count == 0) {
		chunk = MIN(count - done, (size_t)RW_CHUNK);
		/* Probe the destination first (as Linux's fault_in_writeable
		 * does): a bad buffer must fail before a pipe or tty gives up
		 * data that could then not be delivered. */
		if (clear_user(buf + done, chunk)) {
			n = -EFAULT;
			break;
		}
		n = kernel_read(f, kbuf, chunk, pos);
		if (n <= 0)
			break;
		if (copy_to_user(buf + done, kbuf, (size_t)n)) {
			n = -EFAULT;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < chunk || !S_ISREG(f->inode->mode))
			break;
	}
	kfree(kbuf);
	return done ? (ssize_t)done : n;
}

/* Writes count bytes from user memory, chunk after chunk, stopping at a
 * short write. Returns bytes or -errno (only if nothing was written). */
static ssize_t write_from_user(struct file *f, const char __user *buf, size_t count, u64 *pos)
{
	size_t done = 0, chunk;
	ssize_t n = 0;
	char *kbuf;

	count = MIN(count, MAX_RW_COUNT);
	if (!access_ok(buf, count))
		return -EFAULT;
	kbuf = kmalloc(RW_CHUNK, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (done < count || count == 0) {
		chunk = MIN(count - done, (size_t)RW_CHUNK);
		if (copy_from_user(kbuf, buf + done, chunk)) {
			n = -EFAULT;
			break;
		}
		n = kernel_write(f, kbuf, chunk, pos);
		if (n <= 0)
			break;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	kfree(kbuf);
	return done ? (ssize_t)done : n;
}

SYSCALL_DEFINE3(0, read, unsigned int, fd, char __user *, buf, size_t, count)
{
	struct file *f = fget((int)fd);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = read_to_user(f, buf, count, &f->pos);
	fput(f);
	return n;
}

SYSCALL_DEFINE3(1, write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	struct file *f = fget((int)fd);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = write_from_user(f, buf, count, &f->pos);
	fput(f);
	return n;
}

SYSCALL_DEFINE3(8, lseek, unsigned int, fd, s64, offset, unsigned int, whence)
{
	struct file *f = fget((int)fd);
	s64 ret;

	if (!f)
		return -EBADF;
	ret = f->op && f->op->llseek ? f->op->llseek(f, offset, (int)whence) : -ESPIPE;
	fput(f);
	return ret;
}

/* pread64/pwrite64: at an explicit offset, only on seekable files. */
static long positional_rw(unsigned int fd, char __user *buf, size_t count, s64 pos, bool write)
{
	struct file *f = fget((int)fd);
	u64 upos = (u64)pos;
	long ret;

	if (!f)
		return -EBADF;
	if (pos < 0)
		ret = -EINVAL;
	else if (!f->op || !f->op->llseek)
		ret = -ESPIPE;
	else if (write)
		ret = write_from_user(f, buf, count, &upos);
	else
		ret = read_to_user(f, buf, count, &upos);
	fput(f);
	return ret;
}

SYSCALL_DEFINE4(17, pread64, unsigned int, fd, char __user *, buf, size_t, count, s64, pos)
{
	return positional_rw(fd, buf, count, pos, false);
}

SYSCALL_DEFINE4(18, pwrite64, unsigned int, fd, const char __user *, buf, size_t, count, s64, pos)
{
	return positional_rw(fd, (char __user *)buf, count, pos, true);
}

/* readv/writev: each iovec in turn, stopping at the first short transfer.
 * Returns the total, -EINVAL for a bad count or an overflowing total. */
static long vectored_rw(unsigned int fd, const struct iovec __user *uvec, unsigned long vlen,
			bool write)
{
	struct iovec *vec;
	struct file *f;
	size_t total = 0;
	long ret = 0, n;

	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	f = fget((int)fd);
	if (!f)
		return -EBADF;
	vec = kmalloc(vlen * sizeof(*vec) + 1, GFP_KERNEL);
	if (!vec) {
		fput(f);
		return -ENOMEM;
	}
	if (copy_from_user(vec, uvec, vlen * sizeof(*vec)))
		ret = -EFAULT;
	for (unsigned long i = 0; !ret && i < vlen; i++) {
		if (vec[i].iov_len > MAX_RW_COUNT || total + vec[i].iov_len > MAX_RW_COUNT)
			ret = -EINVAL;
		total += vec[i].iov_len;
	}
	total = 0;
	for (unsigned long i = 0; !ret && i < vlen; i++) {
		if (!vec[i].iov_len)
			continue;
		n = write ? write_from_user(f, vec[i].iov_base, vec[i].iov_len, &f->pos)
			  : read_to_user(f, vec[i].iov_base, vec[i].iov_len, &f->pos);
		if (n < 0) {
			ret = total ? 0 : n;
			break;
		}
		total += (size_t)n;
		if ((size_t)n < vec[i].iov_len)
			break;
	}
	kfree(vec);
	fput(f);
	return ret ? ret : (long)total;
}

SYSCALL_DEFINE3(19, readv, unsigned int, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return vectored_rw(fd, vec, vlen, false);
}

SYSCALL_DEFINE3(20, writev, unsigned int, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return vectored_rw(fd, vec, vlen, true);
}

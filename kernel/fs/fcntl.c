/* Operations on fds themselves: dup, dup2, dup3, fcntl, and ioctl, which
 * hands the request to the file's own ioctl operation (the tty's). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscall.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC	1

/* Installs another reference to the file at fd at the lowest free fd >=
 * min_fd. Returns it, -EBADF, -EINVAL or -EMFILE. */
static long dup_from(unsigned int fd, int min_fd, bool cloexec)
{
	struct file *f = fget((int)fd);
	int newfd;

	if (!f)
		return -EBADF;
	newfd = fd_install_flags(f, min_fd, cloexec);
	if (newfd < 0)
		fput(f);
	return newfd;
}

SYSCALL_DEFINE1(32, dup, unsigned int, fd)
{
	return dup_from(fd, 0, false);
}

static long do_dup3(unsigned int oldfd, unsigned int newfd, bool cloexec)
{
	struct file *f = fget((int)oldfd);
	long ret;

	if (!f)
		return -EBADF;
	ret = fd_dup_to(f, (int)newfd, cloexec);
	fput(f);
	return ret;
}

SYSCALL_DEFINE2(33, dup2, unsigned int, oldfd, unsigned int, newfd)
{
	struct file *f;

	if (oldfd == newfd) {
		f = fget((int)oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, false);
}

SYSCALL_DEFINE3(292, dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags & O_CLOEXEC);
}

/* F_SETFL may change O_APPEND and O_NONBLOCK; the rest stays. */
static long set_file_flags(unsigned int fd, unsigned long arg)
{
	const unsigned int settable = O_APPEND | O_NONBLOCK;
	struct file *f = fget((int)fd);

	if (!f)
		return -EBADF;
	f->flags = (f->flags & ~settable) | ((unsigned int)arg & settable);
	fput(f);
	return 0;
}

static long get_file_flags(unsigned int fd)
{
	struct file *f = fget((int)fd);
	long flags;

	if (!f)
		return -EBADF;
	flags = f->flags;
	fput(f);
	return flags;
}

SYSCALL_DEFINE3(72, fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN)
			return -EINVAL;
		return dup_from(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec((int)fd);
	case F_SETFD:
		return fd_set_cloexec((int)fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return get_file_flags(fd);
	case F_SETFL:
		return set_file_flags(fd, arg);
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(16, ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget((int)fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->op && f->op->ioctl ? f->op->ioctl(f, cmd, arg) : -ENOTTY;
	fput(f);
	return ret;
}

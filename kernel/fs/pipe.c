/* Pipes: a ring buffer between a read end and a write end, each a struct
 * file over one nameless FIFO inode. A reader sleeps while the pipe is
 * empty and writers remain; a writer sleeps while it is full and readers
 * remain. Writes of at most PIPE_BUF bytes are atomic (POSIX). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"

#define PIPE_SIZE 16384 /* Linux: 16 pages; 4 are plenty here */
#define PIPE_BUF  4096

struct pipe {
	char buf[PIPE_SIZE];
	u64 head, tail; /* bytes ever written and read */
	int readers, writers;
	struct wait_queue_head rd_wait, wr_wait;
};

static size_t pipe_used(const struct pipe *p)
{
	return (size_t)(p->head - p->tail);
}

/* Returns up to n bytes; 0 at end of file (no writers left); -EAGAIN with
 * O_NONBLOCK; -EINTR if a fatal signal came while waiting. */
static ssize_t pipe_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	struct pipe *p = f->private_data;
	size_t done = 0;
	long err;

	(void)pos;
	if (!n)
		return 0;
	if (!pipe_used(p) && p->writers) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(p->rd_wait, pipe_used(p) || !p->writers);
		if (err)
			return err;
	}
	while (done < n && pipe_used(p))
		buf[done++] = p->buf[p->tail++ % PIPE_SIZE];
	if (done)
		wake_up(&p->wr_wait);
	return (ssize_t)done;
}

/* Writes all n bytes, waiting for room; with n <= PIPE_BUF the bytes go
 * in at once. Returns n, a short count if interrupted after some bytes,
 * -EPIPE with no reader, -EAGAIN with O_NONBLOCK, -EINTR. */
static ssize_t pipe_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	struct pipe *p = f->private_data;
	size_t done = 0, need;
	long err;

	(void)pos;
	while (done < n) {
		need = n <= PIPE_BUF ? n : 1;
		if (!p->readers)
			return done ? (ssize_t)done : -EPIPE;
		if (PIPE_SIZE - pipe_used(p) < need) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			err = wait_event_interruptible(
				p->wr_wait, PIPE_SIZE - pipe_used(p) >= need || !p->readers);
			if (err)
				return done ? (ssize_t)done : err;
			continue;
		}
		while (done < n && pipe_used(p) < PIPE_SIZE)
			p->buf[p->head++ % PIPE_SIZE] = buf[done++];
		wake_up(&p->rd_wait);
	}
	return (ssize_t)done;
}

/* Closing an end wakes the other side: readers see end of file, writers
 * get EPIPE. The last close frees the pipe. */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->private_data;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	if (!p->readers && !p->writers)
		kfree(p);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
};

/* Makes a pipe: files[0] reads, files[1] writes (O_NONBLOCK may be in
 * flags). Returns 0 or -ENOMEM. */
int pipe_create(struct file *files[2], unsigned int flags)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct inode *inode = inode_alloc(S_IFIFO | 0600, NULL, &pipe_fops);
	int err = -ENOMEM;

	if (!p || !inode)
		goto fail;
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	files[0] = file_open_inode(inode, O_RDONLY | (flags & O_NONBLOCK), &err);
	if (!files[0])
		goto fail;
	files[0]->private_data = p;
	p->readers = 1;
	files[1] = file_open_inode(inode, O_WRONLY | (flags & O_NONBLOCK), &err);
	iput(inode);
	if (!files[1]) {
		fput(files[0]); /* the last end: frees the pipe */
		return err;
	}
	files[1]->private_data = p;
	p->writers = 1;
	return 0;
fail:
	kfree(p);
	if (inode)
		iput(inode);
	return err;
}

/* pipe2: installs both ends and writes their fds to fds[2]. Returns 0,
 * -EINVAL for unknown flags, -EMFILE, -EFAULT (nothing stays open). */
SYSCALL_DEFINE2(293, pipe2, int __user *, ufds, int, flags)
{
	struct file *files[2];
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create(files, (unsigned int)flags);
	if (err)
		return err;
	fds[0] = fd_install_flags(files[0], 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		fput(files[0]);
		fput(files[1]);
		return fds[0];
	}
	fds[1] = fd_install_flags(files[1], 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		fput(files[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(22, pipe, int __user *, fds)
{
	return sys_pipe2(fds, 0);
}

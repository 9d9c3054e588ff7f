/* Open files and per-task fd tables. A struct file is one open of an
 * inode (its offset and flags); fork and dup share it by reference, so
 * parent and child move one offset, as POSIX requires. An fd table maps
 * small numbers to files, with the close-on-exec bit per fd. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

struct fdtable {
	struct file *fd[NR_OPEN];
	bool cloexec[NR_OPEN];
};

/* Does a file opened with these O_* flags write a regular file (and so
 * count in its inode's i_writecount)? */
static bool writes_file(const struct inode *inode, unsigned int flags)
{
	return S_ISREG(inode->mode) && (flags & O_ACCMODE) != O_RDONLY;
}

/* Opens inode with the O_* flags: a new file holding a reference to the
 * inode. Returns it, or NULL with -ETXTBSY (writing a running program),
 * -ENOMEM or the open operation's error. */

struct file *file_open_inode(struct inode *inode, unsigned int flags, int *err)
{
	struct file *f;

	if (writes_file(inode, flags) && inode->i_writecount < 0) {
		*err = -ETXTBSY; /* a running program's file */
		return NULL;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->count = 1;
	f->flags = flags & ~(unsigned int)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	f->inode = iget(inode);
	f->op = inode->i_fop;
	if (f->op && f->op->open) {
		*err = f->op->open(inode, f);
		if (*err) {
			iput(inode);
			kfree(f);
			return NULL;
		}
	}
	if (writes_file(inode, flags))
		inode->i_writecount++;
	return f;
}

int deny_write_access(struct inode *inode)
{
	if (inode->i_writecount > 0)
		return -ETXTBSY;
	inode->i_writecount--;
	return 0;
}

void allow_write_access(struct inode *inode)
{
	inode->i_writecount++;
}

/* Takes a reference on f; returns f. */
struct file *get_file(struct file *f)
{
	f->count++;
	return f;
}

/* Drops a reference; the last one releases the file (a pipe end closes,
 * an unlinked inode may go). */
void fput(struct file *f)
{
	if (--f->count > 0)
		return;
	if (f->op && f->op->release)
		f->op->release(f);
	if (writes_file(f->inode, f->flags))
		f->inode->i_writecount--;
	iput(f->inode);
	kfree(f);
}

static struct fdtable *current_files(void)
{
	return current ? current->files : NULL;
}

/* The open file behind fd of the current task, referenced (fput it), or
 * NULL for a bad fd. */
struct file *fget(int fd)
{
	struct fdtable *t = current_files();

	if (!t || fd < 0 || fd >= NR_OPEN || !t->fd[fd])
		return NULL;
	return get_file(t->fd[fd]);
}

/* An empty table, or NULL without memory. */
struct fdtable *fdtable_alloc(void)
{
	return kzalloc(sizeof(struct fdtable), GFP_KERNEL);
}

/* fork: a new table sharing every open file of t; NULL without memory. */
struct fdtable *fdtable_dup(const struct fdtable *t)
{
	struct fdtable *n = fdtable_alloc();

	if (!n)
		return NULL;
	for (int i = 0; i < NR_OPEN; i++) {
		if (t->fd[i])
			n->fd[i] = get_file(t->fd[i]);
		n->cloexec[i] = t->cloexec[i];
	}
	return n;
}

/* execve: closes every fd marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *t)
{
	for (int i = 0; i < NR_OPEN; i++) {
		if (t->fd[i] && t->cloexec[i]) {
			fput(t->fd[i]);
			t->fd[i] = NULL;
			t->cloexec[i] = false;
		}
	}
}

/* exit: closes every fd and frees the table. */
void fdtable_release(struct fdtable *t)
{
	if (!t)
		return;
	for (int i = 0; i < NR_OPEN; i++)
		if (t->fd[i])
			fput(t->fd[i]);
	kfree(t);
}

/* Installs f at the lowest free fd >= min_fd; the table takes over the
 * caller's reference. Returns the fd, -EMFILE when full, -EINVAL for a
 * bad min_fd, -EBADF without a task. */
int fd_install_flags(struct file *f, int min_fd, bool cloexec)
{
	struct fdtable *t = current_files();

	if (!t)
		return -EBADF;
	if (min_fd < 0 || min_fd >= NR_OPEN)
		return -EINVAL;
	for (int i = min_fd; i < NR_OPEN; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			return i;
		}
	}
	return -EMFILE;
}

/* Installs f as the lowest free fd (taking over the caller's reference);
 * returns it or -EMFILE (the caller still owns f then). */
int fd_install(struct file *f)
{
	return fd_install_flags(f, 0, false);
}

/* close(fd): returns 0 or -EBADF. */
int fd_close(int fd)
{
	struct fdtable *t = current_files();
	struct file *f;

	if (!t || fd < 0 || fd >= NR_OPEN || !t->fd[fd])
		return -EBADF;
	f = t->fd[fd];
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	fput(f);
	return 0;
}

/* F_GETFD: 1 (FD_CLOEXEC) or 0, or -EBADF. */
int fd_get_cloexec(int fd)
{
	struct fdtable *t = current_files();

	if (!t || fd < 0 || fd >= NR_OPEN || !t->fd[fd])
		return -EBADF;
	return t->cloexec[fd];
}

/* F_SETFD: returns 0 or -EBADF. */
int fd_set_cloexec(int fd, bool on)
{
	struct fdtable *t = current_files();

	if (!t || fd < 0 || fd >= NR_OPEN || !t->fd[fd])
		return -EBADF;
	t->cloexec[fd] = on;
	return 0;
}

/* dup2/dup3: makes newfd another name of f, closing what newfd held.
 * Takes its own reference. Returns newfd or -EBADF for a bad newfd. */
int fd_dup_to(struct file *f, int newfd, bool cloexec)
{
	struct fdtable *t = current_files();
	struct file *old;

	if (!t || newfd < 0 || newfd >= NR_OPEN)
		return -EBADF;
	old = t->fd[newfd];
	t->fd[newfd] = get_file(f);
	t->cloexec[newfd] = cloexec;
	if (old)
		fput(old);
	return newfd;
}

/* For the ELF loader: opens path (relative to the cwd) with O_* flags.
 * Returns the file, or NULL with -errno in *err. */
struct file *vfs_open(const char *path, int flags, int *err)
{
	struct inode *cwd;
	struct file *f;

	*err = cwd_inode(&cwd);
	if (*err)
		return NULL;
	f = do_filp_open(cwd, path, flags, 0, err);
	iput(cwd);
	return f;
}

/* Reads up to n bytes at pos without moving the file offset; returns the
 * count or -errno. */
ssize_t vfs_pread(struct file *f, void *buf, size_t n, u64 pos)
{
	return kernel_read(f, buf, n, &pos);
}

/* Drops the kernel's reference from vfs_open. */
void vfs_close(struct file *f)
{
	fput(f);
}

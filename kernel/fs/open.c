/* Names in the tree: open, openat, close, access, mkdir, rmdir, unlink,
 * chdir and getcwd. Creation only works in ramfs directories (/, /tmp,
 * anything unpacked from the initramfs); procfs has a fixed set of names. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "mm/kmalloc.h"

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* The error a disk file system gives for changing dir's entries (EROFS
 * on a read-only mount), or 0 for ramfs and procfs directories. */
static int dir_change_errno(struct inode *dir)
{
	return dir->i_op && dir->i_op->dir_change_errno ? dir->i_op->dir_change_errno(dir) : 0;
}

/* Creates path's last component as a regular file; *inode referenced.
 * In a non-ramfs directory: the disk file system's error, or -EACCES. */
static int create_file(struct inode *start, const char *path, umode_t mode, struct inode **inode)
{
	char name[NAME_MAX + 1];
	struct inode *dir;
	int err;

	if (path[0] && path[strlen(path) - 1] == '/')
		return -EISDIR;
	err = path_parent(start, path, &dir, name);
	if (err)
		return err;
	err = dir_change_errno(dir);
	if (!err) {
		err = ramfs_create(dir, name, S_IFREG | (mode & 07777), inode);
		if (err == -EROFS)
			err = -EACCES;
	}
	iput(dir);
	return err;
}

/* Checks an inode against the open flags: -EISDIR, -ENOTDIR, -ELOOP or
 * -EACCES (writing a file that cannot be written), else 0. */
static int may_open(struct inode *inode, int flags)
{
	int acc = flags & O_ACCMODE;

	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (acc != O_RDONLY && (!inode->i_fop || !inode->i_fop->write))
		return -EACCES;
	return 0;
}

/* open(2) on path from start: lookup (or creation with O_CREAT), checks,
 * O_TRUNC, then a new struct file. Returns it, or NULL with -errno. */
struct file *do_filp_open(struct inode *start, const char *path, int flags, umode_t mode, int *err)
{
	unsigned int lookup = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct inode *inode;
	struct file *f = NULL;

	*err = path_lookup(start, path, lookup, &inode);
	if (*err == -ENOENT && (flags & O_CREAT))
		*err = create_file(start, path, mode, &inode);
	else if (!*err && (flags & O_CREAT) && (flags & O_EXCL)) {
		iput(inode);
		*err = -EEXIST;
	}
	if (*err)
		return NULL;
	*err = may_open(inode, flags);
	if (!*err && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY &&
	    inode->i_fop == &ramfs_file_fops)
		*err = ramfs_truncate(inode, 0);
	if (!*err)
		f = file_open_inode(inode, (unsigned int)flags, err);
	/* A disk file (ext2) cannot be truncated: its driver frees no
	 * blocks. Refused rather than left silently untruncated. */
	if (f && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && inode->i_mapping &&
	    inode->size) {
		fput(f);
		f = NULL;
		*err = -EOPNOTSUPP;
	}
	iput(inode);
	return f;
}

/* Copies a path from user memory into a new PATH_MAX buffer (kfree it).
 * Returns it, or NULL with -EFAULT, -ENAMETOOLONG or -ENOMEM in *err. */
static char *getname(const char __user *upath, int *err)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!path) {
		*err = -ENOMEM;
		return NULL;
	}
	len = strncpy_from_user(path, upath, PATH_MAX);
	if (len < 0) {
		kfree(path);
		*err = (int)len;
		return NULL;
	}
	*err = 0;
	return path;
}

/* The directory a *at() call starts from: the cwd for AT_FDCWD, else the
 * directory open at dfd. Returns 0 with *out referenced, -EBADF, -ENOTDIR. */
static int start_dir(int dfd, struct inode **out)
{
	struct file *f;

	if (dfd == AT_FDCWD)
		return cwd_inode(out);
	f = fget(dfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode)) {
		fput(f);
		return -ENOTDIR;
	}
	*out = iget(f->inode);
	fput(f);
	return 0;
}

/* Resolves a user path from dfd; 0 with *inode referenced, or -errno. */
int user_path_at(int dfd, const char __user *upath, unsigned int lookup, struct inode **inode)
{
	struct inode *start;
	char *path;
	int err;

	path = getname(upath, &err);
	if (!path)
		return err;
	err = start_dir(dfd, &start);
	if (!err) {
		err = path_lookup(start, path, lookup, inode);
		iput(start);
	}
	kfree(path);
	return err;
}

static long do_sys_open(int dfd, const char __user *upath, int flags, umode_t mode)
{
	struct inode *start;
	struct file *f = NULL;
	char *path;
	int err, fd;

	path = getname(upath, &err);
	if (!path)
		return err;
	err = start_dir(dfd, &start);
	if (!err) {
		f = do_filp_open(start, path, flags, mode, &err);
		iput(start);
	}
	kfree(path);
	if (!f)
		return err;
	fd = fd_install_flags(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE3(2, open, const char __user *, path, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(257, openat, int, dfd, const char __user *, path, int, flags, umode_t, mode)
{
	return do_sys_open(dfd, path, flags, mode);
}

SYSCALL_DEFINE1(3, close, unsigned int, fd)
{
	return fd_close((int)fd);
}

/* access: everything runs as root, so only existence matters, and X_OK
 * needs an execute bit somewhere (Linux's rule for root). */
SYSCALL_DEFINE2(21, access, const char __user *, path, int, mode)
{
	struct inode *inode;
	int err;

	if (mode & ~(F_OK | X_OK | W_OK | R_OK))
		return -EINVAL;
	err = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &inode);
	if (err)
		return err;
	if ((mode & X_OK) && !S_ISDIR(inode->mode) && !(inode->mode & 0111))
		err = -EACCES;
	iput(inode);
	return err;
}

SYSCALL_DEFINE2(83, mkdir, const char __user *, upath, umode_t, mode)
{
	char name[NAME_MAX + 1];
	struct inode *start, *dir, *inode;
	char *path;
	int err;

	path = getname(upath, &err);
	if (!path)
		return err;
	err = cwd_inode(&start);
	if (!err) {
		err = path_parent(start, path, &dir, name);
		iput(start);
	}
	kfree(path);
	if (err)
		return err;
	if (!strcmp(name, ".") || !strcmp(name, "..") || dir_find(dir, name))
		err = -EEXIST;
	else if (dir_change_errno(dir))
		err = dir_change_errno(dir);
	else if ((err = ramfs_create(dir, name, S_IFDIR | (mode & 07777), &inode)) == -EROFS)
		err = -EACCES;
	if (!err)
		iput(inode);
	iput(dir);
	return err;
}

/* unlink and rmdir: removes a name from a ramfs directory. */
static long remove_name(const char __user *upath, bool is_rmdir)
{
	char name[NAME_MAX + 1];
	struct inode *start, *dir, *child;
	char *path;
	int err;

	path = getname(upath, &err);
	if (!path)
		return err;
	err = cwd_inode(&start);
	if (!err) {
		err = path_parent(start, path, &dir, name);
		iput(start);
	}
	kfree(path);
	if (err == -EEXIST) /* the path is "/" */
		return is_rmdir ? -EBUSY : -EISDIR;
	if (err)
		return err;
	child = dir_find(dir, name);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		err = is_rmdir ? -EINVAL : -EISDIR;
	else if (dir_change_errno(dir))
		err = dir_change_errno(dir);
	else if (dir->i_op != &ramfs_dir_iops)
		err = dir->i_op && dir->i_op->lookup ? -EACCES : -ENOTDIR;
	else if (!child)
		err = -ENOENT;
	else if (!is_rmdir && S_ISDIR(child->mode))
		err = -EISDIR;
	else if (is_rmdir && !S_ISDIR(child->mode))
		err = -ENOTDIR;
	else if (is_mountpoint(child))
		err = -EBUSY;
	else if (is_rmdir && (!list_empty(&child->children) || child->i_op != &ramfs_dir_iops))
		err = child == procfs_root() ? -EBUSY : -ENOTEMPTY;
	else
		dir_unlink(dir, child);
	iput(dir);
	return err;
}

SYSCALL_DEFINE1(87, unlink, const char __user *, path)
{
	return remove_name(path, false);
}

SYSCALL_DEFINE1(84, rmdir, const char __user *, path)
{
	return remove_name(path, true);
}

/* chdir: the new cwd is kept as the directory's absolute path. */
SYSCALL_DEFINE1(80, chdir, const char __user *, path)
{
	char buf[TASK_PATH_MAX];
	struct inode *inode;
	int err;

	err = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &inode);
	if (err)
		return err;
	err = inode_path(inode, buf, sizeof(buf));
	iput(inode);
	if (err < 0)
		return err;
	strlcpy(current->cwd, buf, sizeof(current->cwd));
	return 0;
}

/* getcwd: returns the length including the NUL, as the Linux syscall
 * does, or -ERANGE if size is too small. */
SYSCALL_DEFINE2(79, getcwd, char __user *, buf, unsigned long, size)
{
	const char *cwd = current->cwd[0] ? current->cwd : "/";
	size_t len = strlen(cwd) + 1;

	if (size < len)
		return -ERANGE;
	if (copy_to_user(buf, cwd, len))
		return -EFAULT;
	return (long)len;
}

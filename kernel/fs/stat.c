/* File status and directory listing: stat, fstat, lstat, newfstatat
 * (Linux's x86-64 struct stat) and getdents64. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "mm/kmalloc.h"

#define DEV_RAMFS    MKDEV(0, 1)
#define DEV_PROCFS   MKDEV(0, 2)
#define GETDENTS_MAX (64 * 1024)

/* struct stat of arch/x86/include/uapi/asm/stat.h (144 bytes). */
struct linux_stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 __pad0;
	u64 st_rdev;
	s64 st_size;
	s64 st_blksize;
	s64 st_blocks; /* 512-byte units */
	u64 st_atime, st_atime_nsec;
	u64 st_mtime, st_mtime_nsec;
	u64 st_ctime, st_ctime_nsec;
	s64 __unused[3];
};

/* A directory's link count: itself, "." and one ".." per subdirectory. */
static u64 dir_nlink(const struct inode *dir)
{
	const struct inode *child;
	u64 n = 2;

	list_for_each_entry(child, &dir->children, sibling) n += S_ISDIR(child->mode);
	return n;
}

/* Fills st from inode and copies it out; returns 0 or -EFAULT. */
static int cp_stat(const struct inode *inode, struct linux_stat __user *ust)
{
	struct linux_stat st;
	bool proc = inode->proc_entry || inode == procfs_root();

	memset(&st, 0, sizeof(st));
	st.st_dev = proc ? DEV_PROCFS : DEV_RAMFS;
	st.st_ino = inode->ino;
	st.st_nlink = S_ISDIR(inode->mode) ? dir_nlink(inode) : (u64)(proc ? 1 : inode->nlink);
	st.st_mode = inode->mode;
	st.st_rdev = inode->rdev;
	st.st_size = (s64)inode->size;
	st.st_blksize = 4096;
	st.st_blocks = inode->capacity ? (s64)DIV_ROUND_UP(inode->size, 512) : 0;
	st.st_atime = st.st_mtime = st.st_ctime = inode->mtime;
	return copy_to_user(ust, &st, sizeof(st));
}

static long stat_path(int dfd, const char __user *path, struct linux_stat __user *st,
		      unsigned int lookup)
{
	struct inode *inode;
	int err = user_path_at(dfd, path, lookup, &inode);

	if (err)
		return err;
	err = cp_stat(inode, st);
	iput(inode);
	return err;
}

SYSCALL_DEFINE2(4, stat, const char __user *, path, struct linux_stat __user *, st)
{
	return stat_path(AT_FDCWD, path, st, LOOKUP_FOLLOW);
}

SYSCALL_DEFINE2(6, lstat, const char __user *, path, struct linux_stat __user *, st)
{
	return stat_path(AT_FDCWD, path, st, 0);
}

SYSCALL_DEFINE2(5, fstat, unsigned int, fd, struct linux_stat __user *, st)
{
	struct file *f = fget((int)fd);
	int err;

	if (!f)
		return -EBADF;
	err = cp_stat(f->inode, st);
	fput(f);
	return err;
}

/* newfstatat: AT_EMPTY_PATH with "" stats dfd itself. */
SYSCALL_DEFINE4(262, newfstatat, int, dfd, const char __user *, path, struct linux_stat __user *,
		st, int, flags)
{
	struct inode *cwd;
	char first;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && !copy_from_user(&first, path, 1) && !first) {
		if (dfd != AT_FDCWD)
			return sys_fstat((unsigned int)dfd, st);
		err = cwd_inode(&cwd);
		if (err)
			return err;
		err = cp_stat(cwd, st);
		iput(cwd);
		return err;
	}
	return stat_path(dfd, path, st, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
}

/* readlinkat: a symlink's target, not NUL-terminated, cut at bufsiz;
 * the bytes placed, or -EINVAL (not a symlink, bufsiz <= 0), -EFAULT. */
SYSCALL_DEFINE4(267, readlinkat, int, dfd, const char __user *, path, char __user *, buf, int,
		bufsiz)
{
	struct inode *inode;
	char *target;
	int err, len;

	if (bufsiz <= 0)
		return -EINVAL;
	err = user_path_at(dfd, path, 0, &inode);
	if (err)
		return err;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		err = -ENOMEM;
	else if (!S_ISLNK(inode->mode) || !inode->i_op || !inode->i_op->get_link)
		err = -EINVAL;
	else
		err = inode->i_op->get_link(inode, target, PATH_MAX);
	iput(inode);
	if (!err) {
		len = MIN((int)strlen(target), bufsiz);
		err = copy_to_user(buf, target, (size_t)len) ? -EFAULT : len;
	}
	kfree(target);
	return err;
}

SYSCALL_DEFINE3(89, readlink, const char __user *, path, char __user *, buf, int, bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}

/* struct linux_dirent64 (include/linux/dirent.h), records 8-byte aligned. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};

struct getdents_ctx {
	struct dir_context ctx;
	char *buf;
	size_t size, used;
	bool full;
};

/* Appends one record; false (and nothing written) when it does not fit. */
static bool getdents_emit(struct dir_context *ctx, const char *name, u64 ino, unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	size_t namelen = strlen(name);
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + namelen + 1, 8);
	struct linux_dirent64 *d;

	if (g->used + reclen > g->size) {
		g->full = true;
		return false;
	}
	d = (struct linux_dirent64 *)(g->buf + g->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = (s64)ctx->pos + 1;
	d->d_reclen = (u16)reclen;
	d->d_type = (u8)type;
	memcpy(d->d_name, name, namelen);
	g->used += reclen;
	return true;
}

/* getdents64: as many records as fit; 0 at the end of the directory,
 * -EINVAL if not even one fits, -ENOTDIR for a non-directory. */
SYSCALL_DEFINE3(217, getdents64, unsigned int, fd, void __user *, dirent, unsigned int, count)
{
	struct getdents_ctx g = {.ctx = {.emit = getdents_emit}};
	struct file *f = fget((int)fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!f->op || !f->op->readdir) {
		fput(f);
		return -ENOTDIR;
	}
	g.size = MIN((size_t)count, (size_t)GETDENTS_MAX);
	g.buf = kmalloc(g.size + 1, GFP_KERNEL);
	if (!g.buf) {
		fput(f);
		return -ENOMEM;
	}
	g.ctx.pos = f->pos;
	ret = f->op->readdir(f, &g.ctx);
	if (!ret && !g.used && g.full)
		ret = -EINVAL;
	if (!ret && copy_to_user(dirent, g.buf, g.used))
		ret = -EFAULT;
	if (!ret) {
		f->pos = g.ctx.pos;
		ret = (long)g.used;
	}
	kfree(g.buf);
	fput(f);
	return ret;
}

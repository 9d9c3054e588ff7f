/* Inodes and ramfs: the whole file system is one tree of inodes in kernel
 * memory. Directories keep their children on a list; regular files keep
 * their bytes in one buffer (pointing into the initramfs module until the
 * first write, then a kmalloc copy that grows by doubling). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"

struct inode *vfs_root;
static u64 next_ino = 1;

/* A new inode with one reference and no name; NULL without memory. */
struct inode *inode_alloc(umode_t mode, const struct inode_operations *iops,
			  const struct file_operations *fops)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->ino = next_ino++;
	inode->mode = mode;
	inode->count = 1;
	inode->i_op = iops;
	inode->i_fop = fops;
	inode->mtime = jiffies / HZ;
	INIT_LIST_HEAD(&inode->children);
	INIT_LIST_HEAD(&inode->sibling);
	return inode;
}

/* Takes a reference; returns inode for chaining. */
struct inode *iget(struct inode *inode)
{
	inode->count++;
	return inode;
}

/* Drops a reference; frees the inode (and its data) once it has neither a
 * name nor a reference. A nameless inode pins its parent, released here. */
void iput(struct inode *inode)
{
	struct inode *parent;

	if (!inode || --inode->count > 0 || inode->nlink > 0)
		return;
	parent = inode->parent;
	if (inode->capacity)
		kfree(inode->data);
	kfree(inode);
	if (parent)
		iput(parent);
}

/* The child of dir called name, without taking a reference; or NULL. */
struct inode *dir_find(struct inode *dir, const char *name)
{
	struct inode *child;

	list_for_each_entry(child, &dir->children,
			    sibling) if (!strcmp(child->name, name)) return child;
	return NULL;
}

/* Gives child the name in dir (the tree's own reference is nlink).
 * Returns 0, -EEXIST or -ENAMETOOLONG. */
int dir_link(struct inode *dir, struct inode *child, const char *name)
{
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (dir_find(dir, name))
		return -EEXIST;
	strlcpy(child->name, name, sizeof(child->name));
	child->parent = dir;
	child->nlink++;
	list_add_tail(&child->sibling, &dir->children);
	dir->mtime = jiffies / HZ;
	return 0;
}

/* Removes child's name from dir; it lives on while files hold it open.
 * Until then it keeps dir alive through a reference of its own. */
void dir_unlink(struct inode *dir, struct inode *child)
{
	list_del(&child->sibling);
	INIT_LIST_HEAD(&child->sibling);
	child->nlink--;
	dir->mtime = jiffies / HZ;
	iget(dir);
	iget(child);
	iput(child);
}

/* Creates name in the ramfs directory dir (regular file or directory by
 * mode). Returns 0 with *out referenced, or -EEXIST, -ENOMEM, -EROFS for
 * a directory that is not ramfs (procfs, /dev is ramfs). */
int ramfs_create(struct inode *dir, const char *name, umode_t mode, struct inode **out)
{
	struct inode *inode;
	int err;

	if (dir->i_op != &ramfs_dir_iops)
		return -EROFS;
	if (S_ISDIR(mode))
		inode = inode_alloc(mode, &ramfs_dir_iops, &ramfs_dir_fops);
	else
		inode = inode_alloc(mode, NULL, &ramfs_file_fops);
	if (!inode)
		return -ENOMEM;
	err = dir_link(dir, inode, name);
	if (err) {
		iput(inode);
		return err;
	}
	*out = inode;
	return 0;
}

/* Makes room for size bytes of file data, copying data that still lives in
 * the initramfs module. Returns 0, or -EFBIG past what kmalloc can give. */
static int ramfs_reserve(struct inode *inode, u64 size)
{
	size_t cap = inode->capacity ? inode->capacity : 64;
	u8 *data;

	if (size <= inode->capacity)
		return 0;
	while (cap < size)
		cap *= 2;
	if (cap > 4 * MiB) /* the buddy allocator's largest block */
		return -EFBIG;
	data = kmalloc(cap, GFP_KERNEL);
	if (!data)
		return -ENOSPC;
	memcpy(data, inode->data, inode->size);
	if (inode->capacity)
		kfree(inode->data);
	inode->data = data;
	inode->capacity = cap;
	return 0;
}

/* Sets a regular file's size, zero-filling when it grows. Returns 0 or
 * -EFBIG/-ENOSPC. */
int ramfs_truncate(struct inode *inode, u64 size)
{
	int err = ramfs_reserve(inode, size);

	if (err)
		return err;
	if (size > inode->size)
		memset(inode->data + inode->size, 0, size - inode->size);
	else if (!inode->capacity && size == 0)
		inode->data = NULL;
	inode->size = size;
	inode->mtime = jiffies / HZ;
	return 0;
}

/* getdents64's d_type for an inode. */
unsigned int inode_dtype(const struct inode *inode)
{
	switch (inode->mode & S_IFMT) {
	case S_IFDIR:
		return DT_DIR;
	case S_IFREG:
		return DT_REG;
	case S_IFCHR:
		return DT_CHR;
	case S_IFLNK:
		return DT_LNK;
	case S_IFIFO:
		return DT_FIFO;
	}
	return 0;
}

static struct inode *ramfs_lookup(struct inode *dir, const char *name)
{
	struct inode *child = dir_find(dir, name);

	return child ? iget(child) : NULL;
}

/* Lists ".", ".." and the children; pos counts entries already given. */
static int ramfs_readdir(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->inode, *child;
	struct inode *up = dir->parent ? dir->parent : dir;
	u64 i = 2;

	if (ctx->pos == 0 && !ctx->emit(ctx, ".", dir->ino, DT_DIR))
		return 0;
	if (ctx->pos < 1)
		ctx->pos = 1;
	if (ctx->pos == 1 && !ctx->emit(ctx, "..", up->ino, DT_DIR))
		return 0;
	if (ctx->pos < 2)
		ctx->pos = 2;
	list_for_each_entry(child, &dir->children, sibling)
	{
		if (i++ < ctx->pos)
			continue;
		if (!ctx->emit(ctx, child->name, child->ino, inode_dtype(child)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static ssize_t ramfs_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;

	if (*pos >= inode->size)
		return 0;
	n = MIN(n, inode->size - *pos);
	memcpy(buf, inode->data + *pos, n);
	*pos += n;
	return (ssize_t)n;
}

/* Writes at *pos (the end with O_APPEND), growing the file. */
static ssize_t ramfs_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;
	u64 end;
	int err;

	if (f->flags & O_APPEND)
		*pos = inode->size;
	end = *pos + n;
	if (end < *pos)
		return -EFBIG;
	err = ramfs_reserve(inode, MAX(end, inode->size));
	if (err)
		return err;
	if (*pos > inode->size)
		memset(inode->data + inode->size, 0, *pos - inode->size);
	memcpy(inode->data + *pos, buf, n);
	*pos = end;
	inode->size = MAX(end, inode->size);
	inode->mtime = jiffies / HZ;
	return (ssize_t)n;
}

/* A symlink's target is its data (as the initramfs stores it). Returns 0
 * or -ENAMETOOLONG. */
static int ramfs_get_link(struct inode *inode, char *buf, size_t size)
{
	if (inode->size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, inode->data, inode->size);
	buf[inode->size] = '\0';
	return 0;
}

const struct inode_operations ramfs_symlink_iops = {
	.get_link = ramfs_get_link,
};

const struct inode_operations ramfs_dir_iops = {
	.lookup = ramfs_lookup,
};

const struct file_operations ramfs_dir_fops = {
	.llseek = generic_file_llseek,
	.readdir = ramfs_readdir,
};

const struct file_operations ramfs_file_fops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.llseek = generic_file_llseek,
};

/* The initramfs: a "newc" cpio archive (the format of Linux's initramfs,
 * Documentation/driver-api/early-userspace/buffer-format.rst) that GRUB
 * loads as a Multiboot2 module. Unpacking builds ramfs inodes whose data
 * points straight into the module: the frames stay reserved (mm/init.c
 * keeps modules out of the buddy allocator) and a file is copied only when
 * it is first written. Directories, regular files and symlinks are kept;
 * device nodes are made by the kernel (kernel/fs/devices.c). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define CPIO_HEADER_SIZE 110
#define CPIO_MAGIC	 "070701"

/* Field i of the header: 8 hex digits after the 6-byte magic. Returns
 * false on a non-hex digit. */
static bool cpio_field(const u8 *hdr, int i, u32 *out)
{
	const u8 *p = hdr + 6 + 8 * i;
	u32 v = 0;

	for (int k = 0; k < 8; k++) {
		u8 c = p[k];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Header fields we use, by position (ino, mode, uid, gid, nlink, mtime,
 * filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check). */
enum {
	F_MODE = 1,
	F_FILESIZE = 6,
	F_NAMESIZE = 11
};

/* Makes every missing directory of path (its last component excluded)
 * and returns the parent directory (referenced), or NULL. */
static struct inode *make_parents(const char *path, char *name)
{
	struct inode *dir = iget(vfs_root), *next;
	const char *p = path, *slash;
	size_t len;

	while ((slash = strchr(p, '/'))) {
		len = (size_t)(slash - p);
		if (len > NAME_MAX) {
			iput(dir);
			return NULL;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p = slash + 1;
		if (!len)
			continue;
		next = dir_find(dir, name);
		if (next)
			next = S_ISDIR(next->mode) ? iget(next) : NULL;
		else if (ramfs_create(dir, name, S_IFDIR | 0755, &next))
			next = NULL;
		iput(dir);
		if (!next)
			return NULL;
		dir = next;
	}
	if (strlen(p) > NAME_MAX) {
		iput(dir);
		return NULL;
	}
	strlcpy(name, p, NAME_MAX + 1);
	return dir;
}

/* Adds one archive member; returns 0 or -errno (the member is skipped). */
static int add_member(const char *path, u32 mode, const u8 *data, u32 size)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *inode;
	int err;

	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += (*path == '/') ? 1 : 2;
	if (!*path || !strcmp(path, "."))
		return 0;
	dir = make_parents(path, name);
	if (!dir)
		return -ENOENT;
	inode = dir_find(dir, name);
	if (inode && S_ISDIR(inode->mode) && S_ISDIR(mode)) {
		inode->mode = mode; /* an explicit entry after an implied one */
		iput(dir);
		return 0;
	}
	if (S_ISDIR(mode) || S_ISREG(mode) || S_ISLNK(mode))
		err = ramfs_create(dir, name, S_ISDIR(mode) ? S_IFDIR : S_IFREG, &inode);
	else
		err = -EINVAL;
	iput(dir);
	if (err)
		return err;
	inode->mode = mode;
	if (S_ISLNK(mode))
		inode->i_op = &ramfs_symlink_iops;
	if (!S_ISDIR(mode)) {
		inode->data = (u8 *)data;
		inode->size = size;
	}
	iput(inode);
	return 0;
}

/* Unpacks archive into the tree. Returns the number of members, or -EINVAL
 * if the archive is malformed before its TRAILER!!! (what came before
 * stays). */
int initramfs_unpack(const u8 *archive, size_t size)
{
	size_t off = 0;
	u32 mode, filesize, namesize;
	const char *name;
	int count = 0;

	while (off + CPIO_HEADER_SIZE <= size) {
		const u8 *hdr = archive + off;

		if (memcmp(hdr, CPIO_MAGIC, 6) || !cpio_field(hdr, F_MODE, &mode) ||
		    !cpio_field(hdr, F_FILESIZE, &filesize) ||
		    !cpio_field(hdr, F_NAMESIZE, &namesize))
			return -EINVAL;
		name = (const char *)hdr + CPIO_HEADER_SIZE;
		off += ALIGN_UP(CPIO_HEADER_SIZE + (size_t)namesize, 4);
		if (!namesize || off > size || name[namesize - 1] || off + filesize > size)
			return -EINVAL;
		if (!strcmp(name, "TRAILER!!!"))
			return count;
		if (add_member(name, mode, archive + off, filesize))
			pr_warn("initramfs: skipping %s\n", name);
		else
			count++;
		off += ALIGN_UP((size_t)filesize, 4);
	}
	return -EINVAL;
}

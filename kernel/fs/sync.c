/* fsync, fdatasync, sync and syncfs (concept C9: dirty file pages reach
 * the disk when asked, not only when reclaim needs their memory). Every
 * write-back is synchronous (mm/filemap.c, write_one_page): when the call
 * returns, the data is on the disk. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscall.h"
#include "mm/filemap.h"

/* Writes back the file's dirty pages. A disk file's pages (and an
 * earlier write-back error, reported once, as Linux's errseq does);
 * ramfs files and directories have nothing to write (Linux's
 * noop_fsync); pipes, devices and procfs have no fsync: -EINVAL. */
int vfs_fsync(struct file *f)
{
	struct inode *inode = f->inode;

	if (inode->i_mapping)
		return filemap_fdatawrite(inode->i_mapping);
	if (inode->i_fop == &ramfs_file_fops || inode->i_op == &ramfs_dir_iops)
		return 0;
	return -EINVAL;
}

static long do_fsync(int fd)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_fsync(f);
	fput(f);
	return err;
}

SYSCALL_DEFINE1(74, fsync, unsigned int, fd)
{
	return do_fsync((int)fd);
}

/* The inode's own record (size, times) is never changed on disk here, so
 * fdatasync has exactly fsync's work. */
SYSCALL_DEFINE1(75, fdatasync, unsigned int, fd)
{
	return do_fsync((int)fd);
}

SYSCALL_DEFINE0(162, sync)
{
	sync_all_mappings();
	return 0;
}

/* One disk file system here: syncfs on any open file syncs them all. */
SYSCALL_DEFINE1(306, syncfs, int, fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	sync_all_mappings();
	return 0;
}

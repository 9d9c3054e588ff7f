/* The VFS inside kernel/fs: inodes in one in-memory tree, open files with
 * a small table of operations (Pintos' page_operations idea), so regular
 * files, devices, pipes and procfs all go through the same read/write path.
 * Operations take kernel buffers; only the syscall layer touches user
 * memory (through kernel/uaccess.h). */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "kernel/uaccess.h"

#define NAME_MAX    255
#define PATH_MAX    4096
#define NR_OPEN	    128 /* fds per task */
#define SYMLOOP_MAX 8

/* File types and open flags: Linux's values (include/uapi/linux/stat.h,
 * include/uapi/asm-generic/fcntl.h). */
#define S_IFMT	   0170000
#define S_IFSOCK   0140000
#define S_IFLNK	   0120000
#define S_IFREG	   0100000
#define S_IFDIR	   0040000
#define S_IFCHR	   0020000
#define S_IFIFO	   0010000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)

#define O_ACCMODE   0003
#define O_RDONLY    0000
#define O_WRONLY    0001
#define O_RDWR	    0002
#define O_CREAT	    0000100
#define O_EXCL	    0000200
#define O_NOCTTY    0000400
#define O_TRUNC	    0001000
#define O_APPEND    0002000
#define O_NONBLOCK  0004000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000

#define AT_FDCWD	    (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH	    0x1000

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* d_type values of getdents64 (include/linux/fs_types.h). */
#define DT_FIFO 1
#define DT_CHR	2
#define DT_DIR	4
#define DT_REG	8
#define DT_LNK	10

#define MKDEV(major, minor) (((major) << 8) | (minor))

typedef u32 umode_t;

struct inode;
struct file;
struct address_space;

/* Filled by a readdir operation: emit() returns false when the caller's
 * buffer is full (the entry was not taken; readdir must stop there).
 * pos is the index of the next entry, kept in the file between calls. */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, u64 ino, unsigned int type);
	u64 pos;
};

/* What an open file can do. A NULL read/write gives -EINVAL (-EBADF for
 * the wrong access mode is checked before), NULL llseek -ESPIPE, NULL
 * ioctl -ENOTTY, NULL readdir -ENOTDIR. */
struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	ssize_t (*read)(struct file *f, char *buf, size_t n, u64 *pos);
	ssize_t (*write)(struct file *f, const char *buf, size_t n, u64 *pos);
	s64 (*llseek)(struct file *f, s64 off, int whence);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*readdir)(struct file *f, struct dir_context *ctx);
	void (*release)(struct file *f);
};

/* What a directory or symlink can do during path lookup. lookup returns
 * the child with a reference taken, or NULL; get_link writes the target. */
struct inode_operations {
	struct inode *(*lookup)(struct inode *dir, const char *name);
	int (*get_link)(struct inode *inode, char *buf, size_t size);
	/* A disk directory whose entries cannot change: the error for a
	 * create, mkdir, unlink or rmdir in it (ext2: -EROFS on a read-only
	 * mount, else -EOPNOTSUPP, as the driver allocates nothing). NULL:
	 * ramfs rules. */
	int (*dir_change_errno)(struct inode *dir);
};

/* An inode lives while it has a name (nlink) or a reference (count): a
 * file unlinked while open goes away at the last close; procfs inodes
 * have no name and live only while looked up or open. */
struct inode {
	u64 ino;
	umode_t mode;
	u32 rdev;
	int nlink;
	int count;
	/* Linux's i_writecount: > 0, open for writing by that many files;
	 * < 0, the program of that many address spaces. Either excludes the
	 * other (ETXTBSY): a running program's file is not written under it. */
	int i_writecount;
	u64 size;
	u64 mtime; /* seconds since boot */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;

	char name[NAME_MAX + 1];
	struct inode *parent;	   /* holds a reference while nlink is 0 */
	struct list_head children; /* of inode.sibling, for tree directories */
	struct list_head sibling;

	/* ramfs data. capacity 0 means data points into the initramfs
	 * module (read-only until the first write copies it). */
	u8 *data;
	size_t capacity;

	/* procfs: which entry and which process (0: not per-process). */
	const void *proc_entry;
	int proc_pid;

	/* Disk file systems: the page cache of the file's data
	 * (mm/filemap.h); NULL for ramfs, procfs and devices. */
	struct address_space *i_mapping;
};

struct file {
	int count; /* fds and kernel users sharing this open file */
	unsigned int flags;
	u64 pos;
	struct inode *inode;
	const struct file_operations *op;
	void *private_data;
};

/* kernel/fs/inode.c: the tree (ramfs). */
extern struct inode *vfs_root;
extern const struct inode_operations ramfs_dir_iops, ramfs_symlink_iops;
extern const struct file_operations ramfs_dir_fops, ramfs_file_fops;
struct inode *inode_alloc(umode_t mode, const struct inode_operations *iops,
			  const struct file_operations *fops);
struct inode *iget(struct inode *inode);
void iput(struct inode *inode);
int dir_link(struct inode *dir, struct inode *child, const char *name);
void dir_unlink(struct inode *dir, struct inode *child);
struct inode *dir_find(struct inode *dir, const char *name);
int ramfs_create(struct inode *dir, const char *name, umode_t mode, struct inode **out);
int ramfs_truncate(struct inode *inode, u64 size);
unsigned int inode_dtype(const struct inode *inode);

/* kernel/fs/namei.c: path lookup. */
#define LOOKUP_FOLLOW	 0x1 /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2 /* the result must be a directory */
int path_lookup(struct inode *start, const char *path, unsigned int flags, struct inode **out);
int path_parent(struct inode *start, const char *path, struct inode **dir, char *name);
int cwd_inode(struct inode **out);
int inode_path(struct inode *inode, char *buf, size_t size);

/* kernel/fs/file.c: open files and fd tables. */
struct file *file_open_inode(struct inode *inode, unsigned int flags, int *err);
struct file *get_file(struct file *f);
void fput(struct file *f);
/* execve's side of i_writecount: -ETXTBSY if inode is open for writing,
 * else 0 and writes are refused until allow_write_access. */
int deny_write_access(struct inode *inode);
void allow_write_access(struct inode *inode);
struct file *fget(int fd);
int fd_install_flags(struct file *f, int min_fd, bool cloexec);
int fd_close(int fd);
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);
int fd_dup_to(struct file *f, int newfd, bool cloexec);

/* kernel/fs/open.c: open with flags on a path relative to start; lookup
 * of a user path relative to dfd (AT_FDCWD or an open directory). */
struct file *do_filp_open(struct inode *start, const char *path, int flags, umode_t mode, int *err);
int user_path_at(int dfd, const char __user *upath, unsigned int lookup, struct inode **inode);

/* kernel/fs/read_write.c: the common read/write path on kernel buffers. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 *pos);
s64 generic_file_llseek(struct file *f, s64 off, int whence);

/* kernel/fs/sync.c: writes back f's dirty pages (fsync, msync MS_SYNC).
 * 0, -EIO (a write-back error) or -EINVAL (no fsync for this file). */
int vfs_fsync(struct file *f);

/* kernel/fs/pipe.c */
int pipe_create(struct file *files[2], unsigned int flags);

/* kernel/fs/devices.c: /dev */
void devices_init(struct inode *dev);

/* kernel/fs/initramfs.c */
int initramfs_unpack(const u8 *archive, size_t size);

/* kernel/fs/mount.c: the mount table (see there). */
struct seq_buf;
int vfs_mount(struct inode *mountpoint, struct inode *root, const char *source, const char *fstype,
	      bool readonly);
int vfs_switch_root(struct inode *root, const char *source, const char *fstype, bool readonly,
		    const char **missing);
struct inode *mounted_root(struct inode *dir);
bool is_mountpoint(struct inode *inode);
void mounts_show(struct seq_buf *s);

/* kernel/fs/procfs.c */
struct inode *procfs_root(void);
/* /sys: the NUMA node files (kernel/fs/sysfs.c). */
struct inode *sysfs_root(void);

#endif

/* The mount table and the boot-time tree.
 *
 * A mount covers a directory (its mountpoint) with the root directory of
 * another file system: path lookup (namei.c) crosses from the covered
 * directory to the mounted root, and ".." from a mounted root goes to the
 * mountpoint's parent, as Linux's follow_mount and follow_dotdot do. A
 * mountpoint may be a directory of any file system (ramfs or ext2); the
 * same root may be mounted more than once (ext2 on / and on /mnt).
 *
 * vfs_init builds the initramfs's tree: "/" is a ramfs filled from the
 * initramfs module, with devtmpfs on /dev, procfs on /proc, sysfs on /sys
 * and a ramfs on /tmp. vfs_switch_root (called by ext2.c when sda1 holds
 * a usable ext2) then makes the disk the root, as an initramfs's
 * switch_root does: /dev, /proc, /sys and /tmp move to the disk's
 * directories and the initramfs stays reachable on /initramfs.
 * /proc/mounts lists the table in Linux's format. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "kernel/string.h"
#include "mm/layout.h"

#define MAX_MOUNTS 16

struct vfsmount {
	struct inode *mountpoint; /* the directory covered (referenced); NULL for "/" */
	struct inode *root;	  /* the mounted file system's root (referenced) */
	char source[24];	  /* "/dev/sda1", "proc": /proc/mounts' first column */
	char fstype[12];
	bool readonly;
};

static struct vfsmount mounts[MAX_MOUNTS];
static int nr_mounts;

/* The root mounted on dir (the last mount wins), or NULL: not referenced. */
struct inode *mounted_root(struct inode *dir)
{
	for (int i = nr_mounts - 1; i >= 0; i--)
		if (mounts[i].mountpoint == dir)
			return mounts[i].root;
	return NULL;
}

bool is_mountpoint(struct inode *inode)
{
	return mounted_root(inode) != NULL;
}

/* Gives a mounted root the name and parent of its mountpoint, for ".."
 * and getcwd. The root of "/" keeps none. */
static void name_root(struct inode *root, struct inode *mountpoint)
{
	if (root == vfs_root || !mountpoint)
		return;
	strlcpy(root->name, mountpoint->name, sizeof(root->name));
	root->parent = mountpoint->parent;
}

/* Mounts root (a directory) on mountpoint (a directory, or NULL for the
 * root entry). Takes references on both. 0, -EBUSY (table full) or
 * -ENOTDIR. */
int vfs_mount(struct inode *mountpoint, struct inode *root, const char *source, const char *fstype,
	      bool readonly)
{
	struct vfsmount *m;

	if (nr_mounts == MAX_MOUNTS)
		return -EBUSY;
	if (!S_ISDIR(root->mode) || (mountpoint && !S_ISDIR(mountpoint->mode)))
		return -ENOTDIR;
	m = &mounts[nr_mounts++];
	m->mountpoint = mountpoint ? iget(mountpoint) : NULL;
	m->root = iget(root);
	root->nlink++; /* a mount is a name: a detached root stays */
	strlcpy(m->source, source, sizeof(m->source));
	strlcpy(m->fstype, fstype, sizeof(m->fstype));
	m->readonly = readonly;
	name_root(root, mountpoint);
	return 0;
}

/* /proc/mounts: "source mountpoint fstype options 0 0" per mount, in
 * mount order. */
void mounts_show(struct seq_buf *s)
{
	char path[256];

	for (int i = 0; i < nr_mounts; i++) {
		struct vfsmount *m = &mounts[i];

		if (!m->mountpoint)
			strlcpy(path, "/", sizeof(path));
		else if (inode_path(m->mountpoint, path, sizeof(path)) < 0)
			continue;
		seq_printf(s, "%s %s %s %s 0 0\n", m->source, path, m->fstype,
			   m->readonly ? "ro" : "rw");
	}
}

/* The directory name in dir (ramfs or disk), referenced; NULL if it is
 * missing or not a directory. */
static struct inode *find_dir(struct inode *dir, const char *name)
{
	struct inode *child = dir->i_op && dir->i_op->lookup ? dir->i_op->lookup(dir, name) : NULL;

	if (child && !S_ISDIR(child->mode)) {
		iput(child);
		return NULL;
	}
	return child;
}

/* The mount whose mountpoint is the directory name under the current
 * root, or NULL. */
static struct vfsmount *mount_at(const char *name)
{
	for (int i = 0; i < nr_mounts; i++)
		if (mounts[i].mountpoint && mounts[i].mountpoint->parent == vfs_root &&
		    !strcmp(mounts[i].mountpoint->name, name))
			return &mounts[i];
	return NULL;
}

/* The directories the initramfs's mounts move to; root must have them. */
static const char *const moved[] = {"dev", "proc", "sys", "tmp"};

/* Makes root (a disk file system's root directory) "/": the mounts on
 * /dev, /proc, /sys and /tmp move onto root's directories of the same
 * names and the initramfs's tree is mounted on /initramfs. Returns 0, or
 * -ENOENT (with the missing directory's name in *missing) leaving the
 * initramfs the root. */
int vfs_switch_root(struct inode *root, const char *source, const char *fstype, bool readonly,
		    const char **missing)
{
	struct inode *dirs[ARRAY_SIZE(moved)], *initramfs, *old_root = vfs_root;
	struct vfsmount *m;
	int err = -ENOENT;
	size_t i;

	if (nr_mounts + 1 > MAX_MOUNTS)
		return -EBUSY;
	*missing = "initramfs";
	initramfs = find_dir(root, "initramfs");
	for (i = 0; i < ARRAY_SIZE(moved); i++) {
		dirs[i] = find_dir(root, moved[i]);
		if (!dirs[i])
			*missing = moved[i];
	}
	if (!initramfs || !dirs[0] || !dirs[1] || !dirs[2] || !dirs[3])
		goto out;
	for (i = 0; i < ARRAY_SIZE(moved); i++) {
		m = mount_at(moved[i]);
		if (!m)
			continue;
		iput(m->mountpoint);
		m->mountpoint = iget(dirs[i]);
		name_root(m->root, dirs[i]);
	}
	/* The new "/" goes first, the old one onto /initramfs. */
	memmove(&mounts[1], &mounts[0], sizeof(mounts[0]) * (size_t)nr_mounts);
	nr_mounts++;
	mounts[0] = (struct vfsmount){.mountpoint = NULL, .root = iget(root), .readonly = readonly};
	strlcpy(mounts[0].source, source, sizeof(mounts[0].source));
	strlcpy(mounts[0].fstype, fstype, sizeof(mounts[0].fstype));
	root->nlink++;
	vfs_root = root;
	for (i = 1; i < (size_t)nr_mounts; i++)
		if (mounts[i].root == old_root && !mounts[i].mountpoint) {
			mounts[i].mountpoint = iget(initramfs);
			name_root(old_root, initramfs);
		}
	err = 0;
out:
	for (i = 0; i < ARRAY_SIZE(moved); i++)
		iput(dirs[i]);
	iput(initramfs);
	return err;
}

/* The module GRUB loaded with the word "initramfs" (boot/grub.cfg.in),
 * or else the only module; NULL if there is none. */
static const struct boot_module *find_initramfs(void)
{
	for (int i = 0; i < boot_info.nr_modules; i++)
		if (!strcmp(boot_info.modules[i].name, "initramfs"))
			return &boot_info.modules[i];
	return boot_info.nr_modules == 1 ? &boot_info.modules[0] : NULL;
}

/* The directory /name, made if the initramfs lacked it; NULL without
 * memory or if name exists and is not a directory. Not referenced: the
 * tree holds it. */
static struct inode *ensure_dir(const char *name)
{
	struct inode *dir = dir_find(vfs_root, name);

	if (dir)
		return S_ISDIR(dir->mode) ? dir : NULL;
	if (ramfs_create(vfs_root, name, S_IFDIR | 0755, &dir))
		return NULL;
	iput(dir);
	return dir;
}

/* A new, empty ramfs directory that is the root of its own mount. */
static struct inode *ramfs_root(void)
{
	struct inode *dir = inode_alloc(S_IFDIR | 0755, &ramfs_dir_iops, &ramfs_dir_fops);

	if (!dir)
		panic("VFS: no memory for a ramfs root");
	return dir;
}

/* Mounts root on /name of the initramfs; the mount holds root. */
static void mount_on(const char *name, struct inode *root, const char *source, const char *fstype)
{
	struct inode *dir = ensure_dir(name);

	if (!dir)
		panic("VFS: cannot make /%s in the initramfs", name);
	if (!list_empty(&dir->children))
		pr_warn("VFS: hiding the initramfs's files under /%s\n", name);
	if (vfs_mount(dir, root, source, fstype, false))
		panic("VFS: cannot mount %s on /%s", fstype, name);
}

void vfs_init(void)
{
	const struct boot_module *m = find_initramfs();
	struct inode *dev, *tmp;
	int files;

	vfs_root = inode_alloc(S_IFDIR | 0755, &ramfs_dir_iops, &ramfs_dir_fops);
	if (!vfs_root)
		panic("VFS: no memory for the root directory");
	vfs_root->nlink = 1;
	if (!m)
		panic("VFS: Unable to mount root fs: no initramfs module (module2 line in "
		      "grub.cfg)");
	files = initramfs_unpack(phys_to_virt(m->start), m->end - m->start);
	if (files < 0)
		panic("VFS: Unable to mount root fs: module '%s' is not a newc cpio archive",
		      m->name);
	pr_info("initramfs: unpacked %d files (%lu KiB)\n", files, (m->end - m->start) / 1024);

	if (vfs_mount(NULL, vfs_root, "rootfs", "rootfs", false))
		panic("VFS: cannot mount the initramfs");
	dev = ramfs_root();
	devices_init(dev);
	mount_on("dev", dev, "devtmpfs", "devtmpfs");
	iput(dev);
	mount_on("proc", procfs_root(), "proc", "proc");
	mount_on("sys", sysfs_root(), "sysfs", "sysfs");
	tmp = ramfs_root();
	mount_on("tmp", tmp, "ramfs", "ramfs");
	iput(tmp);
}

/* vfs_init: builds the tree at boot. The root is a ramfs directory filled
 * from the initramfs module; /dev gets the kernel's device nodes and
 * procfs is grafted at /proc and the small sysfs at /sys (the only
 * "mounts" this VFS has). */
#include "kernel/fs/vfs.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/layout.h"

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

void vfs_init(void)
{
	const struct boot_module *m = find_initramfs();
	struct inode *dev, *old_proc, *old_sys;
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

	dev = ensure_dir("dev");
	if (!dev || !ensure_dir("tmp") || !ensure_dir("proc") || !ensure_dir("sys"))
		panic("VFS: cannot make /dev, /tmp, /proc and /sys");
	devices_init(dev);
	old_proc = dir_find(vfs_root, "proc");
	if (!list_empty(&old_proc->children))
		pr_warn("VFS: hiding the initramfs's files under /proc\n");
	dir_unlink(vfs_root, old_proc);
	dir_link(vfs_root, procfs_root(), "proc");
	old_sys = dir_find(vfs_root, "sys");
	dir_unlink(vfs_root, old_sys);
	dir_link(vfs_root, sysfs_root(), "sys");
}

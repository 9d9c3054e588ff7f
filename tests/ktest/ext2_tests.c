/* In-kernel tests of the ext2 driver and the page cache (concept C9), on
 * sda1 of the disk tools/mkdisk.sh makes (mke2fs -d with the user
 * programs in /bin, the same files the initramfs has). Each test mounts
 * /mnt itself if kernel/main.c has not. Run with ktest=ext2_NAME. */
#include "kernel/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2.h"
#include "kernel/fs/vfs.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"

#define CHUNK 4096

static bool mounted(void)
{
	return KTEST_EXPECT(ext2_mount_root_disk() == 0, "sda1 mounted on /mnt");
}

/* Opens path read-only with a check; NULL on failure. */
static struct file *open_checked(const char *path, int flags)
{
	int err = 0;
	struct file *f = vfs_open(path, flags, &err);

	KTEST_EXPECT(f != NULL, "open %s (error %d)", path, err);
	return f;
}

/* Reads the whole of f in CHUNK pieces; returns the bytes read or -errno. */
static ssize_t read_all(struct file *f, u8 *buf)
{
	ssize_t n, total = 0;

	while ((n = vfs_pread(f, buf, CHUNK, (u64)total)) > 0)
		total += n;
	return n < 0 ? n : total;
}

/* /mnt/bin/sh is the initramfs's /bin/sh (on /initramfs when the disk
 * is the root): same size, same bytes (read through the page cache on
 * one side, from the initramfs on the other). */
KTEST(ext2_read)
{
	u8 *a = kmalloc(CHUNK, GFP_KERNEL), *b = kmalloc(CHUNK, GFP_KERNEL);
	struct file *disk = NULL, *ram = NULL;
	u64 pos = 0, size;
	bool same = true;

	if (!mounted() || !(disk = open_checked("/mnt/bin/sh", O_RDONLY)) ||
	    !(ram = open_checked(vfs_root == disk->inode->parent->parent ? "/initramfs/bin/sh"
									 : "/bin/sh",
				 O_RDONLY)))
		goto out;
	size = ram->inode->size;
	KTEST_EXPECT(disk->inode->size == size && size > 0, "sizes: /mnt/bin/sh %lu, /bin/sh %lu",
		     disk->inode->size, size);
	KTEST_EXPECT(S_ISREG(disk->inode->mode), "/mnt/bin/sh is a regular file (mode 0%o)",
		     disk->inode->mode);
	while (pos < size) {
		ssize_t n = vfs_pread(disk, a, CHUNK, pos), m = vfs_pread(ram, b, CHUNK, pos);

		if (n <= 0 || n != m || memcmp(a, b, (size_t)n)) {
			same = false;
			break;
		}
		pos += (u64)n;
	}
	KTEST_EXPECT(same && pos == size, "same bytes (first difference at or after %lu)", pos);
	KTEST_EXPECT(vfs_pread(disk, a, CHUNK, size) == 0, "read at the end of file gives 0");
out:
	if (disk)
		vfs_close(disk);
	if (ram)
		vfs_close(ram);
	kfree(a);
	kfree(b);
}

struct name_list {
	struct dir_context ctx;
	char (*names)[NAME_MAX + 1];
	int count, max;
};

static bool collect(struct dir_context *ctx, const char *name, u64 ino, unsigned int type)
{
	struct name_list *l = container_of(ctx, struct name_list, ctx);

	(void)ino, (void)type;
	if (l->count == l->max)
		return false;
	strlcpy(l->names[l->count++], name, NAME_MAX + 1);
	return true;
}

/* Lists /mnt/bin through readdir: ".", "..", and exactly the entries of
 * the initramfs's /bin (on /initramfs when the disk is the root). */
KTEST(ext2_readdir)
{
	struct name_list l = {.ctx = {collect, 0}, .max = 256};
	struct inode *bin = NULL, *child;
	struct file *dir = NULL;
	int files = 0, found = 0, err;

	l.names = kmalloc(sizeof(*l.names) * (size_t)l.max, GFP_KERNEL);
	if (!mounted() || !KTEST_EXPECT(l.names != NULL, "name buffer") ||
	    !(dir = open_checked("/mnt/bin", O_RDONLY | O_DIRECTORY)))
		goto out;
	err = dir->op->readdir(dir, &l.ctx);
	KTEST_EXPECT(err == 0 && l.count > 2 && l.count < l.max, "readdir: %d entries (error %d)",
		     l.count, err);
	KTEST_EXPECT(l.count >= 2 && !strcmp(l.names[0], ".") && !strcmp(l.names[1], ".."),
		     "first entries are . and ..");
	if (path_lookup(vfs_root, "/initramfs/bin", 0, &bin) &&
	    path_lookup(vfs_root, "/bin", 0, &bin))
		goto out;
	KTEST_EXPECT(!bin->i_mapping, "the initramfs's /bin found");
	for (int i = 2; i < l.count; i++) {
		child = dir_find(bin, l.names[i]);
		found += child != NULL; /* programs and the swapoff symlink */
		if (!child)
			KTEST_EXPECT(false, "/mnt/bin/%s is in /bin", l.names[i]);
	}
	list_for_each_entry(child, &bin->children, sibling) files++;
	KTEST_EXPECT(found == files && found == l.count - 2,
		     "/mnt/bin has the %d entries of /bin (%d matched)", files, found);
	l.ctx.pos = l.count;
	l.count = 0;
	KTEST_EXPECT(dir->op->readdir(dir, &l.ctx) == 0 && l.count == 0,
		     "readdir at the end gives nothing");
	KTEST_EXPECT(path_lookup(vfs_root, "/mnt/bin/no-such-file", 0, &child) == -ENOENT,
		     "a missing name is ENOENT");
	KTEST_EXPECT(path_lookup(vfs_root, "/mnt/bin/sh/x", 0, &child) == -ENOTDIR,
		     "a file in the middle of a path is ENOTDIR");
	KTEST_EXPECT(path_lookup(vfs_root, "/mnt/bin/..", 0, &child) == 0 &&
			     child->ino == EXT2_ROOT_INO,
		     "/mnt/bin/.. is the ext2 root");
	if (!path_lookup(vfs_root, "/mnt/sbin/init", LOOKUP_FOLLOW, &child))
		KTEST_EXPECT(S_ISREG(child->mode) && !strcmp(child->name, "init"),
			     "/mnt/sbin/init (a symlink to /bin/init) resolves");
out:
	if (dir)
		vfs_close(dir);
	kfree(l.names);
}

/* The second read of a file is served from the page cache: no sector is
 * read, no page added. drop_pagecache gives every page back. */
KTEST(ext2_pagecache)
{
	struct block_device *sda1 = lookup_bdev("sda1");
	u8 *buf = kmalloc(CHUNK, GFP_KERNEL);
	struct pglist_data *pgdat = NODE_DATA(0);
	unsigned long pages, cached, sectors, free_base, lru;
	struct address_space *mapping;
	struct file *f = NULL;
	ssize_t n;

	if (!mounted() || !KTEST_EXPECT(buf && sda1, "buffer and sda1") ||
	    !(f = open_checked("/mnt/bin/sh", O_RDONLY)))
		goto out;
	mapping = f->inode->i_mapping;
	pages = DIV_ROUND_UP(f->inode->size, PAGE_SIZE);
	/* A first round sets up the cache's page table; measure from here. */
	read_all(f, buf);
	drop_pagecache();
	KTEST_EXPECT(mapping->nrpages == 0, "drop_pagecache empties the file's cache");
	free_base = nr_free_pages();
	cached = vm_stat[NR_FILE_PAGES];
	lru = pgdat->nr_lru[LRU_INACTIVE_FILE];
	sectors = sda1->sectors_read;

	n = read_all(f, buf);
	KTEST_EXPECT(n == (ssize_t)f->inode->size, "first read: %ld bytes", n);
	KTEST_EXPECT(mapping->nrpages == pages, "nrpages %lu = the file's %lu pages",
		     mapping->nrpages, pages);
	KTEST_EXPECT(vm_stat[NR_FILE_PAGES] == cached + pages, "nr_file_pages +%lu",
		     vm_stat[NR_FILE_PAGES] - cached);
	KTEST_EXPECT(pgdat->nr_lru[LRU_INACTIVE_FILE] == lru + pages,
		     "the pages are on the inactive file list");
	KTEST_EXPECT(sda1->sectors_read >= sectors + (pages - 1) * SECTORS_PER_PAGE,
		     "first read: %lu sectors from sda1", sda1->sectors_read - sectors);
	KTEST_EXPECT(nr_free_pages() <= free_base - pages, "free pages down by at least %lu",
		     pages);

	cached = vm_stat[NR_FILE_PAGES];
	sectors = sda1->sectors_read;
	n = read_all(f, buf);
	KTEST_EXPECT(n == (ssize_t)f->inode->size, "second read: %ld bytes", n);
	KTEST_EXPECT(sda1->sectors_read == sectors, "second read: no sector read (%lu)",
		     sda1->sectors_read - sectors);
	KTEST_EXPECT(mapping->nrpages == pages && vm_stat[NR_FILE_PAGES] == cached,
		     "second read: the cache is unchanged");

	KTEST_EXPECT(drop_pagecache() >= pages, "drop_pagecache frees the file's pages");
	KTEST_EXPECT(mapping->nrpages == 0 && vm_stat[NR_FILE_PAGES] == cached - pages,
		     "nr_file_pages back (%lu)", vm_stat[NR_FILE_PAGES]);
	KTEST_EXPECT(pgdat->nr_lru[LRU_INACTIVE_FILE] == lru, "inactive file list back");
	KTEST_EXPECT(nr_free_pages() == free_base, "free pages back: %lu, before %lu",
		     nr_free_pages(), free_base);
out:
	if (f)
		vfs_close(f);
	kfree(buf);
}

/* Nothing writes to a read-only file system. */
KTEST(ext2_readonly)
{
	struct inode *inode;
	struct file *f;
	int err = 0;

	if (!mounted())
		return;
	f = vfs_open("/mnt/bin/sh", O_RDWR, &err);
	KTEST_EXPECT(!f && err == -EROFS, "open O_RDWR: %d (EROFS)", err);
	f = vfs_open("/mnt/bin/sh", O_WRONLY | O_TRUNC, &err);
	KTEST_EXPECT(!f && err == -EROFS, "open O_WRONLY|O_TRUNC: %d (EROFS)", err);
	f = vfs_open("/mnt/newfile", O_WRONLY | O_CREAT, &err);
	KTEST_EXPECT(!f && err < 0, "create in /mnt fails: %d", err);
	KTEST_EXPECT(path_lookup(vfs_root, "/mnt/newfile", 0, &inode) == -ENOENT,
		     "and creates nothing");
	f = open_checked("/mnt/bin/sh", O_RDONLY);
	if (f) {
		u64 pos = 0;

		KTEST_EXPECT(f->op->write(f, "x", 1, &pos) == -EROFS, "write: EROFS");
		vfs_close(f);
	}
}

/* write() into /mnt/data/big: the page is dirty in the cache (no I/O),
 * reclaim's remove_from_page_cache and drop_pagecache leave it, fsync
 * writes exactly its blocks (8 sectors), after which it is clean and can
 * be dropped; read back from the disk it has the new bytes. */
KTEST(ext2_writeback)
{
	static const char msg[] = "ktest ext2_writeback";
	struct block_device *sda1 = lookup_bdev("sda1");
	unsigned long written, sectors, dirty;
	struct file *f;
	struct page *page;
	char buf[sizeof(msg)];
	u64 pos = 5 * PAGE_SIZE + 100;

	if (!mounted() || !(f = open_checked("/mnt/data/big", O_RDWR)))
		return;
	dirty = vm_stat[NR_FILE_DIRTY];
	written = vm_stat[NR_WRITTEN];
	sectors = sda1->sectors_written;
	KTEST_EXPECT(kernel_write(f, msg, sizeof(msg), &pos) == (ssize_t)sizeof(msg),
		     "write %zu bytes", sizeof(msg));
	page = find_get_page(f->inode->i_mapping, 5);
	if (!KTEST_EXPECT(page != NULL, "the page is cached"))
		goto out;
	KTEST_EXPECT(PageFlag(page, PG_dirty) && vm_stat[NR_FILE_DIRTY] == dirty + 1,
		     "PG_dirty, nr_dirty +1");
	KTEST_EXPECT(sda1->sectors_written == sectors, "nothing written yet");
	put_page(page);
	KTEST_EXPECT(remove_from_page_cache(page) == -EBUSY, "reclaim cannot drop it: EBUSY");
	drop_pagecache();
	KTEST_EXPECT(find_get_page(f->inode->i_mapping, 5) == page, "drop_caches keeps it");
	put_page(page);
	KTEST_EXPECT(vfs_fsync(f) == 0, "fsync: 0");
	KTEST_EXPECT(!PageFlag(page, PG_dirty) && !PageFlag(page, PG_writeback) &&
			     vm_stat[NR_FILE_DIRTY] == dirty && vm_stat[NR_WRITEBACK] == 0,
		     "clean after fsync, nr_dirty back, nr_writeback 0");
	KTEST_EXPECT(vm_stat[NR_WRITTEN] == written + 1 && sda1->sectors_written == sectors + 8,
		     "nr_written +1, 8 sectors written (%lu)", sda1->sectors_written - sectors);
	drop_pagecache();
	KTEST_EXPECT(find_get_page(f->inode->i_mapping, 5) == NULL, "dropped once clean");
	KTEST_EXPECT(vfs_pread(f, buf, sizeof(buf), 5 * PAGE_SIZE + 100) == (ssize_t)sizeof(buf) &&
			     !memcmp(buf, msg, sizeof(msg)),
		     "read back from the disk: the new bytes");
out:
	vfs_close(f);
}

/* A disk in memory: a copy of the start of sda1 that the tests corrupt. */
static u8 *ram_image;
static size_t ram_bytes;

static int ram_read(struct block_device *bdev, u64 sector, void *buf, u32 count)
{
	(void)bdev;
	if ((sector + count) * SECTOR_SIZE > ram_bytes)
		return -EIO;
	memcpy(buf, ram_image + sector * SECTOR_SIZE, (size_t)count * SECTOR_SIZE);
	return 0;
}

static const struct block_device_operations ram_ops = {.read = ram_read};

/* Mounts the image as ram0 of nr_sectors after edit() changed it; the
 * result of ext2_fill_super. */
static int mount_corrupt(u64 nr_sectors, const u8 *good, void (*edit)(u8 *image))
{
	struct block_device ram = {.name = "ram0", .nr_sectors = nr_sectors, .ops = &ram_ops};
	struct inode *root;

	ram.disk = &ram;
	memcpy(ram_image, good, ram_bytes);
	edit(ram_image);
	return ext2_fill_super(&ram, &root);
}

static struct ext2_super_block *sb(u8 *image)
{
	return (struct ext2_super_block *)(image + EXT2_SUPERBLOCK_OFFSET);
}

static void zero_all(u8 *image)
{
	memset(image, 0, ram_bytes);
}
static void bad_magic(u8 *image)
{
	sb(image)->s_magic = 0x1234;
}
static void bad_block_size(u8 *image)
{
	sb(image)->s_log_block_size = 9;
}
static void no_inodes_per_group(u8 *image)
{
	sb(image)->s_inodes_per_group = 0;
}
static void huge_block_count(u8 *image)
{
	sb(image)->s_blocks_count = 0xfffffff0u;
}
static void extents_feature(u8 *image)
{
	sb(image)->s_feature_incompat |= 0x40;
}
static void bad_inode_size(u8 *image)
{
	sb(image)->s_inode_size = 100;
}
/* Group 0's inode table far outside the file system. */
static void bad_inode_table(u8 *image)
{
	u32 block = 1024u << sb(image)->s_log_block_size;
	struct ext2_group_desc *gd =
		(void *)(image + (sb(image)->s_first_data_block + 1) * (size_t)block);

	gd->bg_inode_table = 0xfffffff0u;
}
static void unchanged(u8 *image)
{
	(void)image;
}
/* A read-only-compatible feature we do not know (ext4's metadata_csum). */
static void unknown_ro_compat(u8 *image)
{
	sb(image)->s_feature_ro_compat |= 0x400;
}
static void not_clean(u8 *image)
{
	sb(image)->s_state &= ~EXT2_VALID_FS;
}

/* A missing or corrupt superblock is refused with an error, never a
 * fault: each case edits one field of a good copy. */
KTEST(ext2_corrupt)
{
	struct block_device *sda1 = lookup_bdev("sda1");
	u8 *good;
	u64 n;

	ram_bytes = 256 * 1024;
	ram_image = kmalloc(ram_bytes, GFP_KERNEL);
	good = kmalloc(ram_bytes, GFP_KERNEL);
	if (!KTEST_EXPECT(sda1 && ram_image && good, "sda1 and buffers") ||
	    !KTEST_EXPECT(bdev_read(sda1, 0, good, (u32)(ram_bytes / SECTOR_SIZE)) == 0,
			  "copy the first 256 KiB of sda1"))
		goto out;
	n = sda1->nr_sectors;
	KTEST_EXPECT(mount_corrupt(n, good, zero_all) == -EINVAL, "no superblock: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, bad_magic) == -EINVAL, "bad magic: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, bad_block_size) == -EINVAL, "block size 2^19: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, no_inodes_per_group) == -EINVAL,
		     "0 inodes per group: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, huge_block_count) == -EINVAL,
		     "more blocks than the device: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, extents_feature) == -EINVAL,
		     "unknown incompatible feature: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, bad_inode_size) == -EINVAL, "inode size 100: EINVAL");
	KTEST_EXPECT(mount_corrupt(n, good, bad_inode_table) == -EINVAL,
		     "inode table outside the file system: EINVAL");
	KTEST_EXPECT(mount_corrupt(64, good, unchanged) == -EINVAL,
		     "a 32 KiB device is too small for the file system: EINVAL");
	KTEST_EXPECT(mount_corrupt(2, good, unchanged) != 0, "a 1 KiB device has no superblock");
	/* These mount, read-only, with a warning (scenarios.py checks it). */
	KTEST_EXPECT(mount_corrupt(n, good, unknown_ro_compat) == 0,
		     "unknown ro_compat feature: mounted (read-only)");
	KTEST_EXPECT(mount_corrupt(n, good, not_clean) == 0, "not clean: mounted (read-only)");
out:
	kfree(good);
	kfree(ram_image);
}

/* The inode at path, referenced, or NULL (with a failed check). */
static struct inode *lookup_checked(const char *path)
{
	struct inode *inode = NULL;
	int err = path_lookup(vfs_root, path, LOOKUP_FOLLOW, &inode);

	KTEST_EXPECT(!err, "lookup %s (error %d)", path, err);
	return err ? NULL : inode;
}

/* root=/dev/sda1 (the default): / is the disk's ext2 (its files have a
 * page cache), also on /mnt (the same inodes); /proc, /dev, /sys, /tmp
 * are crossed into the mounted file systems and ".." comes back; /tmp
 * takes new files; the initramfs is on /initramfs; /proc/mounts lists it
 * all; a mountpoint cannot be removed. */
KTEST(rootfs_disk)
{
	struct inode *a, *b, *c;
	struct file *f;
	char buf[512];
	ssize_t n;
	int err = 0;

	if (!mounted())
		return;
	a = lookup_checked("/bin/sh");
	b = lookup_checked("/mnt/bin/sh");
	c = lookup_checked("/initramfs/bin/sh");
	KTEST_EXPECT(a && a->i_mapping, "/bin/sh is on the disk (it has a page cache)");
	KTEST_EXPECT(a && a == b, "/mnt/bin/sh is the same inode as /bin/sh");
	KTEST_EXPECT(c && !c->i_mapping, "/initramfs/bin/sh is the initramfs's (no page cache)");
	iput(a);
	iput(b);
	iput(c);
	a = lookup_checked("/proc/../proc/meminfo");
	KTEST_EXPECT(a && a->proc_entry, "/proc/../proc/meminfo crosses into procfs and back");
	iput(a);
	a = lookup_checked("/dev/null");
	KTEST_EXPECT(a && S_ISCHR(a->mode), "/dev/null is a character device");
	iput(a);
	a = lookup_checked("/sys/..");
	KTEST_EXPECT(a == vfs_root, "/sys/.. is /");
	iput(a);
	a = lookup_checked("/tmp");
	KTEST_EXPECT(a && inode_path(a, buf, sizeof(buf)) > 0 && !strcmp(buf, "/tmp"),
		     "the mounted /tmp's path is /tmp ('%s')", buf);
	iput(a);
	f = vfs_open("/tmp/rootfs-test", O_WRONLY | O_CREAT, &err);
	KTEST_EXPECT(f != NULL, "a file can be made in /tmp (error %d)", err);
	if (f)
		vfs_close(f);
	f = open_checked("/proc/mounts", O_RDONLY);
	if (f) {
		n = vfs_pread(f, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		vfs_close(f);
		KTEST_EXPECT(!strcmp(buf, "/dev/sda1 / ext2 rw 0 0\n"
					  "rootfs /initramfs rootfs rw 0 0\n"
					  "devtmpfs /dev devtmpfs rw 0 0\n"
					  "proc /proc proc rw 0 0\n"
					  "sysfs /sys sysfs rw 0 0\n"
					  "ramfs /tmp ramfs rw 0 0\n"
					  "/dev/sda1 /mnt ext2 rw 0 0\n"),
			     "/proc/mounts in Linux's format:\n%s", buf);
	}
	a = lookup_checked("/initramfs/..");
	KTEST_EXPECT(a == vfs_root, "/initramfs/.. is /");
	iput(a);
}

/* root=initramfs: / stays the initramfs (no page cache), ext2 on /mnt. */
KTEST(rootfs_initramfs)
{
	struct inode *a, *b;
	struct file *f;
	char buf[512];
	ssize_t n;

	if (!mounted())
		return;
	a = lookup_checked("/bin/sh");
	b = lookup_checked("/mnt/bin/sh");
	KTEST_EXPECT(a && !a->i_mapping, "/bin/sh is the initramfs's");
	KTEST_EXPECT(b && b->i_mapping, "/mnt/bin/sh is the disk's");
	iput(a);
	iput(b);
	f = open_checked("/proc/mounts", O_RDONLY);
	if (f) {
		n = vfs_pread(f, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		vfs_close(f);
		KTEST_EXPECT(!strcmp(buf, "rootfs / rootfs rw 0 0\n"
					  "devtmpfs /dev devtmpfs rw 0 0\n"
					  "proc /proc proc rw 0 0\n"
					  "sysfs /sys sysfs rw 0 0\n"
					  "ramfs /tmp ramfs rw 0 0\n"
					  "/dev/sda1 /mnt ext2 rw 0 0\n"),
			     "/proc/mounts in Linux's format:\n%s", buf);
	}
}

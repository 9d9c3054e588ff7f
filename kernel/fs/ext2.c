/* An ext2 driver (concept C9: the disk behind the page cache): reads
 * everything, and writes file data into blocks the file already has
 * (no block or inode allocation: a file never grows past its last
 * allocated block, and nothing is created or removed).
 * The superblock gives the geometry, the group descriptors where each
 * group's inode table is, an inode its mode, size and i_block[] (12
 * direct block numbers, then single, double and triple indirect blocks).
 * File and directory data are read through the page cache
 * (mm/filemap.c): ext2_readpage maps a page's file blocks to disk blocks
 * and reads them with bdev_read; ext2_writepage writes a dirty page back
 * to the same blocks with bdev_write. Inodes, once read, stay in memory in
 * a small per-mount cache, with their cached pages.
 *
 * The mount is read-write when the superblock says the file system is
 * clean (EXT2_VALID_FS, no EXT2_ERROR_FS) and every read-only-compatible
 * feature is one we know; else read-only, with a message. Since only the
 * contents of allocated data blocks change, the on-disk metadata is
 * consistent at every moment, so the superblock's state is left as is
 * (Linux clears EXT2_VALID_FS while mounted because it also allocates).
 *
 * Nothing on the disk is trusted: every block number is checked against
 * the file system's size, every directory entry's rec_len against its
 * block, so a corrupt file system gives -EIO, never a fault. */
#include "kernel/fs/ext2.h"
#include "kernel/block.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/shmem.h"

/* One mounted file system (Linux's ext2_sb_info). */
struct ext2_sb_info {
	struct block_device *bdev;
	u32 block_size;
	u32 sectors_per_block;
	u32 blocks_count;
	u32 inodes_count;
	u32 inodes_per_group;
	u32 inode_size;
	u32 groups;
	u32 *inode_tables; /* each group's inode table block */
	bool filetype;	   /* directory entries carry the file type */
	bool rw;	   /* mounted read-write */
	/* The last indirect block read at each depth (single, double,
	 * triple): ext2_bmap allocates nothing (reclaim calls it) and a
	 * sequential walk reads each indirect block once. */
	u32 ind_nr[3]; /* block number held in ind_buf[i] (0: none) */
	u32 *ind_buf[3];
	struct list_head inodes; /* the inode cache: ext2_inode_info.cache */
};

/* An in-memory ext2 inode: the VFS inode and what it needs to find its
 * blocks. Never freed: the cache keeps it (nlink > 0 keeps iput away). */
struct ext2_inode_info {
	struct inode vfs_inode;
	struct address_space mapping;
	struct ext2_sb_info *sbi;
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_blocks;
	struct list_head cache;
};

static const struct inode_operations ext2_dir_iops, ext2_symlink_iops;
static const struct file_operations ext2_dir_fops, ext2_file_fops;
static const struct address_space_operations ext2_aops;

static struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/* Reads file system block nr into buf (block_size bytes). Returns 0, or
 * -EIO for a block outside the file system or an I/O error. */
static int ext2_read_block(struct ext2_sb_info *sbi, u32 nr, void *buf)
{
	if (nr == 0 || nr >= sbi->blocks_count) {
		pr_err("EXT2-fs (%s): error: block %u outside the file system\n", sbi->bdev->name,
		       nr);
		return -EIO;
	}
	return bdev_read(sbi->bdev, (u64)nr * sbi->sectors_per_block, buf, sbi->sectors_per_block)
		       ? -EIO
		       : 0;
}

/* Maps block number fblock of the file to a disk block in *out (0 for a
 * hole), through the indirect blocks for numbers past the first 12: each
 * level holds block_size / 4 numbers. Returns 0, or -EIO past the triple
 * indirect range or on a bad indirect block. */
static int ext2_bmap(struct ext2_inode_info *ei, u64 fblock, u32 *out)
{
	struct ext2_sb_info *sbi = ei->sbi;
	u64 per_block = sbi->block_size / 4, span = 1;
	u32 block;
	int depth, err = 0;

	if (fblock < EXT2_NDIR_BLOCKS) {
		*out = ei->i_block[fblock];
		return 0;
	}
	fblock -= EXT2_NDIR_BLOCKS;
	for (depth = 1; depth <= 3; depth++) {
		span *= per_block;
		if (fblock < span)
			break;
		fblock -= span;
	}
	if (depth > 3)
		return -EIO;
	block = ei->i_block[EXT2_IND_BLOCK + depth - 1];
	for (int level = 0; level < depth && block; level++) {
		span /= per_block;
		/* The indirect block of each level stays in memory (this driver
		 * never changes indirect blocks). */
		if (sbi->ind_nr[level] != block) {
			sbi->ind_nr[level] = 0;
			err = ext2_read_block(sbi, block, sbi->ind_buf[level]);
			if (err)
				break;
			sbi->ind_nr[level] = block;
		}
		block = sbi->ind_buf[level][fblock / span];
		fblock %= span;
	}
	*out = block;
	return err;
}

/* The address_space operation: fills page with its file blocks (holes
 * and bytes past the end of file read as zeros). 0, -EIO or -ENOMEM. */
static int ext2_readpage(struct address_space *mapping, struct page *page)
{
	struct ext2_inode_info *ei = container_of(mapping, struct ext2_inode_info, mapping);
	struct ext2_sb_info *sbi = ei->sbi;
	u32 per_page = PAGE_SIZE / sbi->block_size;
	u8 *kaddr = page_address(page);
	u64 pos = (u64)page->index * PAGE_SIZE;

	for (u32 i = 0; i < per_page; i++, pos += sbi->block_size) {
		u8 *dst = kaddr + i * sbi->block_size;
		u32 block = 0;
		int err;

		if (pos < ei->vfs_inode.size) {
			err = ext2_bmap(ei, pos / sbi->block_size, &block);
			if (!err && block)
				err = ext2_read_block(sbi, block, dst);
			if (err)
				return err;
		}
		if (!block)
			memset(dst, 0, sbi->block_size);
		else if (pos + sbi->block_size > ei->vfs_inode.size)
			memset(dst + (ei->vfs_inode.size - pos), 0,
			       (size_t)(pos + sbi->block_size - ei->vfs_inode.size));
	}
	return 0;
}

/* The address_space operation: writes page's blocks (those before the
 * end of file; the page's bytes past it are zeroed first, as Linux does,
 * so the disk never gets stale memory). Every block exists:
 * ext2_page_mkwrite let the page become dirty. 0 or -EIO. */
static int ext2_writepage(struct address_space *mapping, struct page *page)
{
	struct ext2_inode_info *ei = container_of(mapping, struct ext2_inode_info, mapping);
	struct ext2_sb_info *sbi = ei->sbi;
	u32 per_page = PAGE_SIZE / sbi->block_size;
	u8 *kaddr = page_address(page);
	u64 pos = (u64)page->index * PAGE_SIZE, size = ei->vfs_inode.size;

	if (pos < size && size - pos < PAGE_SIZE)
		memset(kaddr + (size - pos), 0, PAGE_SIZE - (size_t)(size - pos));
	for (u32 i = 0; i < per_page && pos < size; i++, pos += sbi->block_size) {
		u32 block = 0;
		int err = ext2_bmap(ei, pos / sbi->block_size, &block);

		if (!err && (block == 0 || block >= sbi->blocks_count))
			err = -EIO;
		if (!err && bdev_write(sbi->bdev, (u64)block * sbi->sectors_per_block,
				       kaddr + i * sbi->block_size, sbi->sectors_per_block))
			err = -EIO;
		if (err) {
			pr_err("EXT2-fs (%s): error: writing page %lu of inode %lu failed\n",
			       sbi->bdev->name, page->index, ei->vfs_inode.ino);
			return err;
		}
	}
	return 0;
}

/* The address_space operation: may file page index become dirty? Only on
 * a read-write mount and if every block of it before the end of file is
 * allocated (a hole would need a new block). 0, -EROFS, -ENOSPC, -EIO. */
static int ext2_page_mkwrite(struct address_space *mapping, unsigned long index)
{
	struct ext2_inode_info *ei = container_of(mapping, struct ext2_inode_info, mapping);
	struct ext2_sb_info *sbi = ei->sbi;
	u64 pos = (u64)index * PAGE_SIZE;

	if (!sbi->rw)
		return -EROFS;
	for (u32 i = 0; i < PAGE_SIZE / sbi->block_size && pos < ei->vfs_inode.size;
	     i++, pos += sbi->block_size) {
		u32 block = 0;
		int err = ext2_bmap(ei, pos / sbi->block_size, &block);

		if (err)
			return err;
		if (!block)
			return -ENOSPC;
	}
	return 0;
}

/* Reads inode ino's on-disk record into *raw. 0 or -EIO. */
static int ext2_read_inode(struct ext2_sb_info *sbi, u32 ino, struct ext2_inode *raw)
{
	u64 offset = (u64)((ino - 1) % sbi->inodes_per_group) * sbi->inode_size;
	u8 *buf;
	int err;

	if (ino == 0 || ino > sbi->inodes_count)
		return -EIO;
	buf = kmalloc(sbi->block_size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = ext2_read_block(sbi,
			      sbi->inode_tables[(ino - 1) / sbi->inodes_per_group] +
				      (u32)(offset / sbi->block_size),
			      buf);
	if (!err)
		memcpy(raw, buf + offset % sbi->block_size, sizeof(*raw));
	kfree(buf);
	return err;
}

/* Sets the VFS operations for the inode's type; false for a type this
 * driver does not serve (devices, fifos and sockets are not on our disk). */
static bool ext2_set_ops(struct ext2_inode_info *ei)
{
	struct inode *inode = &ei->vfs_inode;

	if (S_ISDIR(inode->mode)) {
		inode->i_op = &ext2_dir_iops;
		inode->i_fop = &ext2_dir_fops;
		return inode->size % ei->sbi->block_size == 0;
	}
	if (S_ISLNK(inode->mode)) {
		inode->i_op = &ext2_symlink_iops;
		return inode->size < PATH_MAX;
	}
	inode->i_fop = &ext2_file_fops;
	return S_ISREG(inode->mode);
}

/* The in-memory inode ino, referenced: from the cache, or read from the
 * inode table. NULL with *err = -EIO (bad number, unused or corrupt inode)
 * or -ENOMEM. */
static struct inode *ext2_iget(struct ext2_sb_info *sbi, u32 ino, int *err)
{
	struct ext2_inode_info *ei;
	struct ext2_inode raw;

	list_for_each_entry(ei, &sbi->inodes, cache)
	{
		if (ei->vfs_inode.ino == ino)
			return iget(&ei->vfs_inode);
	}
	*err = ext2_read_inode(sbi, ino, &raw);
	if (*err)
		return NULL;
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	if (!ei) {
		*err = -ENOMEM;
		return NULL;
	}
	ei->sbi = sbi;
	ei->vfs_inode.ino = ino;
	ei->vfs_inode.mode = raw.i_mode;
	ei->vfs_inode.nlink = raw.i_links_count;
	ei->vfs_inode.size = raw.i_size;
	if (S_ISREG(raw.i_mode))
		ei->vfs_inode.size |= (u64)raw.i_size_high << 32;
	ei->vfs_inode.mtime = raw.i_mtime;
	memcpy(ei->i_block, raw.i_block, sizeof(ei->i_block));
	ei->i_blocks = raw.i_blocks;
	if (!raw.i_links_count || !ext2_set_ops(ei)) {
		pr_err("EXT2-fs (%s): error: bad inode %u (mode 0%o, links %u)\n", sbi->bdev->name,
		       ino, raw.i_mode, raw.i_links_count);
		kfree(ei);
		*err = -EIO;
		return NULL;
	}
	ei->vfs_inode.count = 1;
	INIT_LIST_HEAD(&ei->vfs_inode.children);
	INIT_LIST_HEAD(&ei->vfs_inode.sibling);
	address_space_init(&ei->mapping, &ei->vfs_inode, &ext2_aops);
	ei->vfs_inode.i_mapping = &ei->mapping;
	list_add(&ei->cache, &sbi->inodes);
	return &ei->vfs_inode;
}

/* Checks the entry at off of a directory block: it must fit the block,
 * hold its name and name a possible inode. */
static bool ext2_dirent_ok(struct ext2_sb_info *sbi, const struct ext2_dir_entry_2 *de, u32 off)
{
	return off + 8 <= sbi->block_size && de->rec_len % 4 == 0 &&
	       de->rec_len >= EXT2_DIR_REC_LEN(de->name_len) &&
	       off + de->rec_len <= sbi->block_size && de->inode <= sbi->inodes_count;
}

/* Calls actor on each used entry of dir, in order, until it returns true.
 * Returns 0, or -EIO for a corrupt entry (with a message) or a read error. */
static int ext2_dir_walk(struct ext2_inode_info *dir,
			 bool (*actor)(void *arg, const struct ext2_dir_entry_2 *de), void *arg)
{
	struct ext2_sb_info *sbi = dir->sbi;
	bool stop = false;
	int err = 0;

	for (u64 pos = 0; pos < dir->vfs_inode.size && !stop && !err; pos += sbi->block_size) {
		struct page *page = read_cache_page(&dir->mapping, pos >> PAGE_SHIFT, &err);
		const u8 *block;

		if (!page)
			break;
		block = (const u8 *)page_address(page) + (pos & (PAGE_SIZE - 1));
		for (u32 off = 0; off < sbi->block_size && !stop;) {
			const struct ext2_dir_entry_2 *de = (const void *)(block + off);

			if (!ext2_dirent_ok(sbi, de, off)) {
				pr_err("EXT2-fs (%s): error: bad entry in directory #%lu at %lu\n",
				       sbi->bdev->name, dir->vfs_inode.ino, pos + off);
				err = -EIO;
				break;
			}
			stop = de->inode && actor(arg, de);
			off += de->rec_len;
		}
		put_page(page);
	}
	return err;
}

struct ext2_find {
	const char *name;
	size_t len;
	u32 ino;
};

static bool ext2_find_actor(void *arg, const struct ext2_dir_entry_2 *de)
{
	struct ext2_find *f = arg;

	if (de->name_len != f->len || memcmp(de->name, f->name, f->len))
		return false;
	f->ino = de->inode;
	return true;
}

/* inode_operations.lookup: the child name of dir, referenced, or NULL
 * (absent, or unreadable: path lookup then says ENOENT). */
static struct inode *ext2_lookup(struct inode *dir, const char *name)
{
	struct ext2_find f = {name, strlen(name), 0};
	struct inode *child;
	int err;

	if (ext2_dir_walk(EXT2_I(dir), ext2_find_actor, &f) || !f.ino)
		return NULL;
	child = ext2_iget(EXT2_I(dir)->sbi, f.ino, &err);
	if (child && !child->parent) { /* first lookup: its name for getcwd */
		strlcpy(child->name, name, sizeof(child->name));
		child->parent = dir;
	}
	return child;
}

/* getdents64's d_type for ext2's file_type byte (EXT2_FT_*). */
static const u8 ext2_ft_dtype[8] = {0,	     DT_REG,	       DT_DIR, DT_CHR, 6 /* DT_BLK */,
				    DT_FIFO, 12 /* DT_SOCK */, DT_LNK};

struct ext2_readdir {
	struct dir_context *ctx;
	bool filetype;
	u64 index; /* of the entry the walk is at */
};

/* Emits entries from index ctx->pos on; stops when the buffer is full. */
static bool ext2_readdir_actor(void *arg, const struct ext2_dir_entry_2 *de)
{
	struct ext2_readdir *r = arg;
	char name[NAME_MAX + 1];
	unsigned int type = r->filetype && de->file_type < 8 ? ext2_ft_dtype[de->file_type] : 0;

	if (r->index++ < r->ctx->pos)
		return false;
	memcpy(name, de->name, de->name_len);
	name[de->name_len] = '\0';
	if (!r->ctx->emit(r->ctx, name, de->inode, type))
		return true;
	r->ctx->pos++;
	return false;
}

/* file_operations.readdir: the directory's entries as stored, "." and
 * ".." included. 0, or -EIO on a corrupt directory. */
static int ext2_readdir(struct file *f, struct dir_context *ctx)
{
	struct ext2_inode_info *dir = EXT2_I(f->inode);
	struct ext2_readdir r = {ctx, dir->sbi->filetype, 0};

	return ext2_dir_walk(dir, ext2_readdir_actor, &r);
}

/* inode_operations.get_link: a fast symlink keeps its target in i_block
 * (no data block); a longer one in its data, read through the cache.
 * 0, -ENAMETOOLONG or -EIO. */
static int ext2_get_link(struct inode *inode, char *buf, size_t size)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	ssize_t n;

	if (inode->size >= size)
		return -ENAMETOOLONG;
	if (ei->i_blocks == 0 && inode->size < sizeof(ei->i_block)) {
		memcpy(buf, ei->i_block, inode->size);
	} else {
		n = filemap_read(inode, buf, inode->size, 0);
		if (n != (ssize_t)inode->size)
			return n < 0 ? (int)n : -EIO;
	}
	buf[inode->size] = '\0';
	return 0;
}

/* Opening for writing needs a read-write mount (-EROFS, as Linux).
 * (O_TRUNC of a non-empty file is refused by do_filp_open: this driver
 * frees no blocks.) */
static int ext2_open(struct inode *inode, struct file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY && !EXT2_I(inode)->sbi->rw)
		return -EROFS;
	return 0;
}

static ssize_t ext2_file_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	ssize_t ret = filemap_read(f->inode, buf, n, *pos);

	if (ret > 0)
		*pos += (u64)ret;
	return ret;
}

/* write(): into the file's existing blocks through the page cache (the
 * pages become dirty; fsync, sync or reclaim write them). The file never
 * grows: a write from the end of file on gives -ENOSPC (no block
 * allocation), one that crosses it is cut there; a hole stops it too.
 * With O_APPEND every write starts at the end, hence -ENOSPC. */
static ssize_t ext2_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	struct inode *inode = f->inode;
	u64 start = (f->flags & O_APPEND) ? inode->size : *pos, end;
	ssize_t ret;
	int err;

	if (!EXT2_I(inode)->sbi->rw)
		return -EROFS;
	if (n == 0)
		return 0;
	if (start >= inode->size)
		return -ENOSPC;
	end = start + MIN((u64)n, inode->size - start);
	for (u64 p = start & PAGE_MASK; p < end; p += PAGE_SIZE) {
		err = ext2_page_mkwrite(inode->i_mapping, p >> PAGE_SHIFT);
		if (err) {
			if (p <= start)
				return err;
			end = p;
			break;
		}
	}
	ret = filemap_write(inode, buf, (size_t)(end - start), start);
	if (ret > 0)
		*pos = start + (u64)ret;
	return ret;
}

static const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.writepage = ext2_writepage,
	.page_mkwrite = ext2_page_mkwrite,
};

/* Directories never change: no block or inode allocation here. */
static int ext2_dir_change_errno(struct inode *dir)
{
	return EXT2_I(dir)->sbi->rw ? -EOPNOTSUPP : -EROFS;
}

static const struct inode_operations ext2_dir_iops = {
	.lookup = ext2_lookup,
	.dir_change_errno = ext2_dir_change_errno,
};

static const struct inode_operations ext2_symlink_iops = {
	.get_link = ext2_get_link,
};

static const struct file_operations ext2_file_fops = {
	.open = ext2_open,
	.read = ext2_file_read,
	.write = ext2_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations ext2_dir_fops = {
	.open = ext2_open,
	.readdir = ext2_readdir,
};

/* Read-write or read-only (sbi->rw)? Linux refuses a read-write mount
 * with unknown read-only-compatible features and warns about an unclean
 * or erroneous file system; we mount those read-only, saying why. */
static void ext2_check_rw(struct ext2_sb_info *sbi, const struct ext2_super_block *es)
{
	const char *dev = sbi->bdev->name;
	u32 ro_compat = es->s_rev_level == EXT2_GOOD_OLD_REV ? 0 : es->s_feature_ro_compat;

	sbi->rw = false;
	if (ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP)
		pr_warn("EXT2-fs (%s): warning: couldn't mount RDWR because of unsupported "
			"optional features (%x): mounting read-only\n",
			dev, ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP);
	else if (!(es->s_state & EXT2_VALID_FS))
		pr_warn("EXT2-fs (%s): warning: mounting unchecked fs read-only, running e2fsck "
			"is recommended\n",
			dev);
	else if (es->s_state & EXT2_ERROR_FS)
		pr_warn("EXT2-fs (%s): warning: mounting fs with errors read-only, running e2fsck "
			"is recommended\n",
			dev);
	else
		sbi->rw = true;
}

/* Checks the superblock's geometry against the device; fills sbi. 0 or
 * -EINVAL with a message naming what is wrong. */
static int ext2_check_super(struct ext2_sb_info *sbi, const struct ext2_super_block *es)
{
	const char *dev = sbi->bdev->name;
	const char *why = NULL;

	if (es->s_magic != EXT2_SUPER_MAGIC) {
		pr_err("EXT2-fs (%s): error: can't find an ext2 filesystem on dev %s.\n", dev, dev);
		return -EINVAL;
	}
	if (es->s_log_block_size > EXT2_MAX_BLOCK_LOG) {
		pr_err("EXT2-fs (%s): error: unsupported blocksize %u\n", dev,
		       es->s_log_block_size);
		return -EINVAL;
	}
	sbi->block_size = 1024u << es->s_log_block_size;
	sbi->sectors_per_block = sbi->block_size / SECTOR_SIZE;
	sbi->blocks_count = es->s_blocks_count;
	sbi->inodes_count = es->s_inodes_count;
	sbi->inodes_per_group = es->s_inodes_per_group;
	sbi->inode_size =
		es->s_rev_level == EXT2_GOOD_OLD_REV ? EXT2_GOOD_OLD_INODE_SIZE : es->s_inode_size;
	sbi->filetype = es->s_rev_level != EXT2_GOOD_OLD_REV &&
			(es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
	if (es->s_rev_level != EXT2_GOOD_OLD_REV &&
	    (es->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE))
		pr_err("EXT2-fs (%s): error: couldn't mount because of unsupported optional "
		       "features (%x)\n",
		       dev, es->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE);
	else if (sbi->inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->inode_size > sbi->block_size ||
		 (sbi->inode_size & (sbi->inode_size - 1)))
		why = "unsupported inode size";
	else if (!es->s_blocks_per_group || es->s_blocks_per_group > sbi->block_size * 8 ||
		 !sbi->inodes_per_group || sbi->inodes_per_group > sbi->block_size * 8)
		why = "bad blocks or inodes per group";
	else if (es->s_first_data_block != (sbi->block_size == 1024 ? 1u : 0u) ||
		 sbi->blocks_count <= es->s_first_data_block + 2)
		why = "bad first data block or block count";
	else if ((u64)sbi->blocks_count * sbi->sectors_per_block > sbi->bdev->nr_sectors)
		why = "bigger than the device";
	else {
		sbi->groups = DIV_ROUND_UP(sbi->blocks_count - es->s_first_data_block,
					   es->s_blocks_per_group);
		if (!sbi->inodes_count ||
		    sbi->inodes_count > (u64)sbi->groups * sbi->inodes_per_group)
			why = "bad inode count";
		else {
			ext2_check_rw(sbi, es);
			return 0;
		}
	}
	if (why)
		pr_err("EXT2-fs (%s): error: %s\n", dev, why);
	return -EINVAL;
}

/* Reads the group descriptors (the blocks after the superblock's) and
 * keeps each group's inode table block. 0, -EINVAL, -EIO or -ENOMEM. */
static int ext2_read_groups(struct ext2_sb_info *sbi, u32 first_data_block)
{
	u32 per_block = sbi->block_size / sizeof(struct ext2_group_desc);
	u32 table_blocks = DIV_ROUND_UP(sbi->inodes_per_group * sbi->inode_size, sbi->block_size);
	struct ext2_group_desc *gd = kmalloc(sbi->block_size, GFP_KERNEL);
	int err = 0;

	sbi->inode_tables = kmalloc(sbi->groups * sizeof(u32), GFP_KERNEL);
	if (!gd || !sbi->inode_tables) {
		err = -ENOMEM;
		goto out;
	}
	for (u32 g = 0; g < sbi->groups && !err; g++) {
		u32 table;

		if (g % per_block == 0)
			err = ext2_read_block(sbi, first_data_block + 1 + g / per_block, gd);
		if (err)
			break;
		table = gd[g % per_block].bg_inode_table;
		if (!table || (u64)table + table_blocks > sbi->blocks_count) {
			pr_err("EXT2-fs (%s): error: group %u: inode table at block %u not in "
			       "the file system\n",
			       sbi->bdev->name, g, table);
			err = -EINVAL;
		}
		sbi->inode_tables[g] = table;
	}
out:
	kfree(gd);
	return err;
}

int ext2_fill_super(struct block_device *bdev, struct inode **root)
{
	struct ext2_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	struct ext2_super_block *es = kmalloc(1024, GFP_KERNEL);
	int err = -ENOMEM;

	if (!sbi || !es)
		goto fail;
	sbi->bdev = bdev;
	INIT_LIST_HEAD(&sbi->inodes);
	for (int i = 0; i < 3; i++) {
		sbi->ind_buf[i] = kmalloc(4096, GFP_KERNEL); /* the largest block size */
		if (!sbi->ind_buf[i])
			goto fail;
	}
	err = bdev_read(bdev, EXT2_SUPERBLOCK_OFFSET / SECTOR_SIZE, es, 1024 / SECTOR_SIZE);
	if (err) {
		pr_err("EXT2-fs (%s): error: unable to read superblock\n", bdev->name);
		goto fail;
	}
	err = ext2_check_super(sbi, es);
	if (!err)
		err = ext2_read_groups(sbi, es->s_first_data_block);
	if (!err)
		*root = ext2_iget(sbi, EXT2_ROOT_INO, &err);
	kfree(es);
	es = NULL;
	if (!err && !S_ISDIR((*root)->mode)) {
		/* The inode is cached (its pages registered): sbi stays. */
		pr_err("EXT2-fs (%s): error: corrupt root inode\n", bdev->name);
		return -EINVAL;
	}
	if (!err)
		return 0;
	kfree(sbi->inode_tables);
fail:
	for (int i = 0; sbi && i < 3; i++)
		kfree(sbi->ind_buf[i]);
	kfree(sbi);
	kfree(es);
	return err;
}

static struct inode *ext2_mnt_root;

/* Mounts root on /mnt of the current root: 0 or -errno with a message. */
static int ext2_mount_mnt(struct inode *root)
{
	struct inode *mnt = vfs_root->i_op->lookup(vfs_root, "mnt");
	int err;

	if (!mnt) {
		if (vfs_root->i_op != &ramfs_dir_iops ||
		    ramfs_create(vfs_root, "mnt", S_IFDIR | 0755, &mnt))
			mnt = NULL;
	}
	if (!mnt || !S_ISDIR(mnt->mode) ||
	    (mnt->i_op == &ramfs_dir_iops && !list_empty(&mnt->children))) {
		pr_err("EXT2-fs (sda1): /mnt is not an empty directory, not mounted\n");
		iput(mnt);
		return -EBUSY;
	}
	err = vfs_mount(mnt, root, "/dev/sda1", "ext2", !EXT2_I(root)->sbi->rw);
	iput(mnt);
	return err;
}

/* Mounts sda1's ext2 at boot (kernel/main.c; ktests call it to make sure
 * it is mounted). root= on the command line says where: "/dev/sda1" makes
 * it the root file system, also mounted on /mnt (the path the tests and
 * demos use), with the initramfs's /dev, /proc, /sys, /tmp moved onto it
 * and the initramfs on /initramfs (the default, as without root=);
 * "initramfs" keeps the initramfs as root and mounts ext2 on /mnt only. No
 * disk, no or a corrupt ext2, or a disk without the mountpoint directories:
 * a message, and the initramfs stays the root. */
int ext2_mount_root_disk(void)
{
	struct block_device *bdev = lookup_bdev("sda1");
	const char *missing = NULL;
	struct inode *root;
	char word[32];
	bool want_root = true;
	int err;

	if (ext2_mnt_root)
		return 0;
	if (cmdline_get(saved_command_line, "root", word, sizeof(word)) &&
	    strcmp(word, "/dev/sda1") && strcmp(word, "sda1")) {
		want_root = false;
		if (strcmp(word, "initramfs"))
			pr_err("VFS: Cannot open root device \"%s\": only /dev/sda1 or initramfs; "
			       "the initramfs stays the root\n",
			       word);
	}
	if (!bdev) {
		pr_info("EXT2-fs: no sda1, nothing mounted on /mnt\n");
		if (want_root)
			pr_err("VFS: no root device sda1: the initramfs stays the root\n");
		return -ENODEV;
	}
	err = ext2_fill_super(bdev, &root);
	if (err) {
		pr_err("EXT2-fs (sda1): not mounted on /mnt (error %d), running without it\n", err);
		if (want_root)
			pr_err("VFS: Cannot mount root on sda1 (error %d): the initramfs stays the "
			       "root\n",
			       err);
		return err;
	}
	/* "ro" on the kernel command line, as Linux's for its root. */
	if (cmdline_get(saved_command_line, "ro", word, sizeof(word)))
		EXT2_I(root)->sbi->rw = false;
	if (want_root) {
		err = vfs_switch_root(root, "/dev/sda1", "ext2", !EXT2_I(root)->sbi->rw, &missing);
		if (err)
			pr_err("VFS: sda1 has no /%s directory (tools/mkdisk.sh makes it): the "
			       "initramfs stays the root\n",
			       missing ? missing : "?");
		else
			pr_info("VFS: Mounted root (ext2 filesystem)%s on device 8:1.\n",
				EXT2_I(root)->sbi->rw ? "" : " readonly");
	}
	err = ext2_mount_mnt(root);
	if (err)
		return err;
	ext2_mnt_root = root;
	pr_info("EXT2-fs (sda1): mounted filesystem %s on %s, %u-byte blocks, %u groups\n",
		EXT2_I(root)->sbi->rw ? "read-write" : "read-only",
		vfs_root == root ? "/ and /mnt" : "/mnt", EXT2_I(root)->sbi->block_size,
		EXT2_I(root)->sbi->groups);
	return 0;
}

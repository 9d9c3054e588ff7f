/* In-kernel tests of the block layer and the ATA driver, on the disk
 * tools/mkdisk.sh makes (sda1 ext2 from 1 MiB, sda2 swap at the end) and
 * tools/qemu.sh attaches as the IDE primary master with snapshot=on, so
 * the writes here never reach build/disk.img. Run with ktest=block_NAME. */
#include "kernel/block.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

#define MIB_SECTORS (1024 * 1024 / SECTOR_SIZE)

/* The swap header mkswap writes (Linux's union swap_header, version 1):
 * fields at byte 1024 of the first page, the magic in its last 10 bytes. */
#define SWAP_INFO_OFFSET  1024
#define SWAP_MAGIC_OFFSET (4096 - 10)

/* sda, sda1 and sda2, or NULL (with a failed check) if one is missing. */
static bool get_disk(struct block_device **sda, struct block_device **root,
		     struct block_device **swap)
{
	*sda = lookup_bdev("sda");
	*root = lookup_bdev("sda1");
	*swap = lookup_bdev("sda2");
	return KTEST_EXPECT(*sda && *root && *swap, "sda, sda1 and sda2 are registered");
}

/* The driver found the disk: its size matches the partition table made
 * for it, and the partitions are where and what mkdisk.sh made. */
KTEST(block_disk)
{
	struct block_device *sda, *root, *swap;

	if (!get_disk(&sda, &root, &swap))
		return;
	KTEST_EXPECT(sda->disk == sda && sda->start_sector == 0 && sda->part_type == 0,
		     "sda is a whole disk");
	KTEST_EXPECT(sda->nr_sectors >= 16 * MIB_SECTORS && sda->nr_sectors % MIB_SECTORS == 0,
		     "sda has %lu sectors, a whole number of MiB", sda->nr_sectors);
	KTEST_EXPECT(root->part_type == 0x83 && swap->part_type == 0x82,
		     "sda1 type 0x%02x (Linux), sda2 type 0x%02x (swap)", root->part_type,
		     swap->part_type);
	KTEST_EXPECT(root->disk == sda && swap->disk == sda, "partitions point at sda");
	KTEST_EXPECT(root->start_sector == MIB_SECTORS, "sda1 starts at 1 MiB (sector %lu)",
		     root->start_sector);
	KTEST_EXPECT(swap->start_sector == root->start_sector + root->nr_sectors,
		     "sda2 follows sda1 (sector %lu)", swap->start_sector);
	KTEST_EXPECT(swap->start_sector + swap->nr_sectors == sda->nr_sectors,
		     "sda2 ends at the end of the disk");
	KTEST_EXPECT(!lookup_bdev("sda3") && !lookup_bdev("sda4") && !lookup_bdev("sdb"),
		     "no sda3, sda4 or sdb");
}

/* The swap partition starts with mkswap's header: version 1, last_page
 * one below the partition's size in pages, "SWAPSPACE2" at 4086. */
KTEST(block_swap_header)
{
	struct block_device *sda, *root, *swap;
	u8 *page = kmalloc(4096, GFP_KERNEL);
	u32 version, last_page;

	if (!get_disk(&sda, &root, &swap) || !KTEST_EXPECT(page != NULL, "page buffer"))
		goto out;
	if (!KTEST_EXPECT(bdev_read(swap, 0, page, SECTORS_PER_PAGE) == 0,
			  "read the first page of sda2"))
		goto out;
	KTEST_EXPECT(!memcmp(page + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10),
		     "SWAPSPACE2 at offset 4086");
	memcpy(&version, page + SWAP_INFO_OFFSET, 4);
	memcpy(&last_page, page + SWAP_INFO_OFFSET + 4, 4);
	KTEST_EXPECT(version == 1, "swap header version %u", version);
	KTEST_EXPECT(last_page == swap->nr_sectors / SECTORS_PER_PAGE - 1,
		     "last_page %u matches sda2's %lu pages", last_page,
		     swap->nr_sectors / SECTORS_PER_PAGE);
out:
	kfree(page);
}

/* Fills count sectors with a pattern that differs in every sector. */
static void fill_pattern(u8 *buf, u32 count, u8 seed)
{
	for (u32 i = 0; i < count * SECTOR_SIZE; i++)
		buf[i] = (u8)(seed + i / SECTOR_SIZE * 7 + i * 13);
}

/* Writes a pattern to the last sectors of sda1 and reads it back: a few
 * sectors, then more than one command's worth (256); the old contents
 * are put back. Also reads across the sda1/sda2 boundary through sda. */
KTEST(block_rw)
{
	const u32 sizes[] = {1, 3, 8, 300};
	const u32 max = 300;
	struct block_device *sda, *root, *swap;
	u8 *saved = kmalloc(max * SECTOR_SIZE, GFP_KERNEL);
	u8 *pattern = kmalloc(max * SECTOR_SIZE, GFP_KERNEL);
	u8 *back = kmalloc(max * SECTOR_SIZE, GFP_KERNEL);

	if (!get_disk(&sda, &root, &swap) ||
	    !KTEST_EXPECT(saved && pattern && back, "buffers of %u sectors", max))
		goto out;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 n = sizes[i];
		u64 at = root->nr_sectors - n;

		if (!KTEST_EXPECT(bdev_read(root, at, saved, n) == 0, "save %u sectors", n))
			break;
		fill_pattern(pattern, n, (u8)i);
		KTEST_EXPECT(bdev_write(root, at, pattern, n) == 0, "write %u sectors at %lu", n,
			     at);
		memset(back, 0, n * SECTOR_SIZE);
		KTEST_EXPECT(bdev_read(root, at, back, n) == 0 &&
				     !memcmp(back, pattern, n * SECTOR_SIZE),
			     "read back %u sectors: same bytes", n);
		/* The same sectors through the whole disk, at the partition's offset. */
		memset(back, 0, n * SECTOR_SIZE);
		KTEST_EXPECT(bdev_read(sda, root->start_sector + at, back, n) == 0 &&
				     !memcmp(back, pattern, n * SECTOR_SIZE),
			     "sda at sda1's offset reads the same");
		KTEST_EXPECT(bdev_write(root, at, saved, n) == 0 &&
				     bdev_read(root, at, back, n) == 0 &&
				     !memcmp(back, saved, n * SECTOR_SIZE),
			     "old contents restored");
	}
	/* Straddle the boundary: the last sector of sda1, the first of sda2. */
	if (KTEST_EXPECT(bdev_read(sda, swap->start_sector - 1, back, 2) == 0,
			 "read across sda1/sda2") &&
	    KTEST_EXPECT(bdev_read(swap, 0, pattern, 1) == 0, "read sda2's first sector"))
		KTEST_EXPECT(!memcmp(back + SECTOR_SIZE, pattern, SECTOR_SIZE),
			     "sda2 sector 0 is sda sector %lu", swap->start_sector);
out:
	kfree(saved);
	kfree(pattern);
	kfree(back);
}

/* Requests outside a device are -EINVAL and move nothing: past the end,
 * straddling the end, and a start so large that start + count wraps. */
KTEST(block_range)
{
	struct block_device *sda, *root, *swap;
	u8 *buf = kmalloc(2 * SECTOR_SIZE, GFP_KERNEL);
	unsigned long reads, writes;

	if (!get_disk(&sda, &root, &swap) || !KTEST_EXPECT(buf != NULL, "buffer"))
		goto out;
	reads = root->sectors_read;
	writes = root->sectors_written;
	KTEST_EXPECT(bdev_read(root, root->nr_sectors, buf, 1) == -EINVAL,
		     "read at sda1's end: -EINVAL");
	KTEST_EXPECT(bdev_read(root, root->nr_sectors - 1, buf, 2) == -EINVAL,
		     "read straddling sda1's end: -EINVAL");
	KTEST_EXPECT(bdev_read(root, ~0UL, buf, 2) == -EINVAL, "read at sector 2^64-1: -EINVAL");
	KTEST_EXPECT(bdev_write(root, root->nr_sectors, buf, 1) == -EINVAL,
		     "write at sda1's end: -EINVAL");
	KTEST_EXPECT(bdev_write(swap, swap->nr_sectors - 1, buf, 2) == -EINVAL,
		     "write straddling sda2's end (the disk's end): -EINVAL");
	KTEST_EXPECT(bdev_read(sda, sda->nr_sectors, buf, 1) == -EINVAL,
		     "read at sda's end: -EINVAL");
	KTEST_EXPECT(root->sectors_read == reads && root->sectors_written == writes,
		     "rejected requests are not counted");
	KTEST_EXPECT(bdev_read(root, root->nr_sectors - 1, buf, 1) == 0,
		     "the last sector of sda1 reads");
	KTEST_EXPECT(bdev_read(sda, sda->nr_sectors - 1, buf, 1) == 0,
		     "the last sector of sda reads");
out:
	kfree(buf);
}

/* sectors_read/sectors_written count what a device moved; a partition's
 * traffic also counts for its disk (/proc/diskstats does the same). */
KTEST(block_counters)
{
	struct block_device *sda, *root, *swap;
	u8 *buf = kmalloc(16 * SECTOR_SIZE, GFP_KERNEL);
	unsigned long disk_r, disk_w, swap_r, swap_w, root_r;

	if (!get_disk(&sda, &root, &swap) || !KTEST_EXPECT(buf != NULL, "buffer"))
		goto out;
	KTEST_EXPECT(sda->sectors_read >= 1, "the partition scan read sector 0 (%lu read)",
		     sda->sectors_read);
	disk_r = sda->sectors_read;
	disk_w = sda->sectors_written;
	swap_r = swap->sectors_read;
	swap_w = swap->sectors_written;
	root_r = root->sectors_read;
	KTEST_EXPECT(bdev_read(swap, 8, buf, 16) == 0, "read 16 sectors of sda2");
	KTEST_EXPECT(swap->sectors_read == swap_r + 16, "sda2 read +16 (%lu)", swap->sectors_read);
	KTEST_EXPECT(sda->sectors_read == disk_r + 16, "sda read +16 (%lu)", sda->sectors_read);
	KTEST_EXPECT(root->sectors_read == root_r, "sda1 unchanged");
	KTEST_EXPECT(bdev_write(swap, 8, buf, 16) == 0, "write them back");
	KTEST_EXPECT(swap->sectors_written == swap_w + 16 && sda->sectors_written == disk_w + 16,
		     "sda2 and sda written +16");
	KTEST_EXPECT(bdev_read(sda, 0, buf, 4) == 0 && sda->sectors_read == disk_r + 20 &&
			     swap->sectors_read == swap_r + 16,
		     "a read of sda counts for sda only");
out:
	kfree(buf);
}

/* A disk that fails: the scenario attaches sdb through QEMU's blkdebug
 * driver, which fails every read of sector 8 with EIO. The driver must
 * retry (with a channel reset), give up with -EIO and a log line, and
 * keep working for the other sectors. */
KTEST(block_ioerror)
{
	struct block_device *sdb = lookup_bdev("sdb");
	u8 *buf = kmalloc(16 * SECTOR_SIZE, GFP_KERNEL);
	unsigned long reads;

	if (!KTEST_EXPECT(sdb != NULL, "sdb (blkdebug) is registered") ||
	    !KTEST_EXPECT(buf != NULL, "buffer"))
		goto out;
	reads = sdb->sectors_read;
	KTEST_EXPECT(bdev_read(sdb, 8, buf, 1) == -EIO, "read of the bad sector 8: -EIO");
	KTEST_EXPECT(bdev_read(sdb, 4, buf, 8) == -EIO, "read of sectors 4-11: -EIO");
	KTEST_EXPECT(sdb->sectors_read == reads, "failed reads are not counted");
	KTEST_EXPECT(bdev_read(sdb, 9, buf, 16) == 0, "sectors 9-24 still read");
	KTEST_EXPECT(bdev_read(sdb, 0, buf, 8) == 0, "sectors 0-7 still read");
	KTEST_EXPECT(sdb->sectors_read == reads + 24, "good reads counted (%lu)",
		     sdb->sectors_read - reads);
out:
	kfree(buf);
}

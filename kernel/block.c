/* The block layer: the list of disks and partitions, sector I/O with
 * range checks and statistics, and the MBR partition table. Swap (C13)
 * and file systems address a partition in 512-byte sectors from its
 * start; this file adds the partition's offset and hands the request to
 * the disk's driver (kernel/drivers/ata.c). See docs/block.md. */
#include "kernel/block.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"
#include "mm/vmstat.h"

/* The classic MBR (sector 0): boot code, four 16-byte partition entries
 * at byte 446, and the signature 0x55 0xAA in bytes 510-511. */
#define MBR_PART_TABLE	  446
#define MBR_NR_PRIMARY	  4
#define MBR_SIGNATURE_OFF 510

/* Partition types that are containers, not partitions: DOS extended,
 * Windows LBA extended, Linux extended; and GPT's protective entry. */
#define MBR_TYPE_EMPTY	     0x00
#define MBR_TYPE_DOS_EXT     0x05
#define MBR_TYPE_WIN98_EXT   0x0f
#define MBR_TYPE_LINUX_EXT   0x85
#define MBR_TYPE_GPT_PROTECT 0xee

struct mbr_entry {
	u8 status; /* 0x80: bootable */
	u8 chs_first[3];
	u8 type;
	u8 chs_last[3];
	u32 lba_start; /* little endian, as x86 */
	u32 nr_sectors;
} __packed;

struct list_head block_devices = LIST_HEAD_INIT(block_devices);

struct block_device *lookup_bdev(const char *name)
{
	struct block_device *bdev;

	list_for_each_entry(bdev, &block_devices, list) if (!strcmp(bdev->name, name)) return bdev;
	return NULL;
}

/* Checks that [sector, sector + count) lies inside bdev: 0 or -EINVAL. */
static int bdev_check_range(const struct block_device *bdev, u64 sector, u32 count)
{
	if (sector > bdev->nr_sectors || count > bdev->nr_sectors - sector)
		return -EINVAL;
	return 0;
}

/* Linux's message for a failed request (block/blk-core.c). */
static void bdev_io_error(const struct block_device *bdev, u64 sector, bool write)
{
	pr_err("I/O error, dev %s, sector %lu op 0x%x:(%s)\n", bdev->name,
	       bdev->start_sector + sector, write ? 1 : 0, write ? "WRITE" : "READ");
}

int bdev_read(struct block_device *bdev, u64 sector, void *buf, u32 count)
{
	int err = bdev_check_range(bdev, sector, count);

	if (err || !count)
		return err;
	err = bdev->disk->ops->read(bdev->disk, bdev->start_sector + sector, buf, count);
	if (err) {
		bdev_io_error(bdev, sector, false);
		return err;
	}
	/* A partition's traffic counts for the disk too, as in /proc/diskstats. */
	bdev->sectors_read += count;
	count_vm_events(PGPGIN, count);
	if (bdev->disk != bdev)
		bdev->disk->sectors_read += count;
	return 0;
}

int bdev_write(struct block_device *bdev, u64 sector, const void *buf, u32 count)
{
	int err = bdev_check_range(bdev, sector, count);

	if (err || !count)
		return err;
	err = bdev->disk->ops->write(bdev->disk, bdev->start_sector + sector, buf, count);
	if (err) {
		bdev_io_error(bdev, sector, true);
		return err;
	}
	bdev->sectors_written += count;
	count_vm_events(PGPGOUT, count);
	if (bdev->disk != bdev)
		bdev->disk->sectors_written += count;
	return 0;
}

/* Registers partition number n of disk from its MBR entry, truncating
 * one that runs past the end of the disk as Linux does. Returns the
 * device, or NULL (logged) if it cannot exist. */
static struct block_device *add_partition(struct block_device *disk, int n,
					  const struct mbr_entry *e)
{
	struct block_device *part;
	u64 start = e->lba_start, size = e->nr_sectors;

	if (start >= disk->nr_sectors) {
		pr_warn("%s: p%d start %lu is beyond EOD, skipping\n", disk->name, n, start);
		return NULL;
	}
	if (size > disk->nr_sectors - start) {
		pr_warn("%s: p%d size %lu extends beyond EOD, truncated\n", disk->name, n, size);
		size = disk->nr_sectors - start;
	}
	part = kzalloc(sizeof(*part), GFP_KERNEL);
	if (!part) {
		pr_err("%s: p%d: out of memory\n", disk->name, n);
		return NULL;
	}
	snprintf(part->name, sizeof(part->name), "%s%d", disk->name, n);
	part->start_sector = start;
	part->nr_sectors = size;
	part->part_type = e->type;
	part->disk = disk;
	part->ops = disk->ops;
	part->driver_data = disk->driver_data;
	list_add_tail(&part->list, &block_devices);
	return part;
}

/* Reads sector 0 and registers the primary partitions it lists, then
 * logs them on one line (" sda: sda1 sda2"). A disk without a valid
 * signature simply has no partitions; extended partitions are skipped. */
static void scan_mbr(struct block_device *disk)
{
	u8 *mbr = kmalloc(SECTOR_SIZE, GFP_KERNEL);
	char line[128];
	size_t len;

	if (!mbr || bdev_read(disk, 0, mbr, 1)) {
		pr_err("%s: cannot read the partition table\n", disk->name);
		kfree(mbr);
		return;
	}
	len = (size_t)snprintf(line, sizeof(line), " %s:", disk->name);
	if (mbr[MBR_SIGNATURE_OFF] != 0x55 || mbr[MBR_SIGNATURE_OFF + 1] != 0xaa)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " unknown partition table");
	else
		for (int i = 0; i < MBR_NR_PRIMARY; i++) {
			struct mbr_entry e;
			struct block_device *part;

			/* Entries are not 4-byte aligned in the sector: copy out. */
			memcpy(&e, mbr + MBR_PART_TABLE + i * sizeof(e), sizeof(e));
			if (e.type == MBR_TYPE_EMPTY || !e.nr_sectors)
				continue;
			if (e.type == MBR_TYPE_DOS_EXT || e.type == MBR_TYPE_WIN98_EXT ||
			    e.type == MBR_TYPE_LINUX_EXT) {
				pr_info("%s: extended partition p%d ignored\n", disk->name, i + 1);
				continue;
			}
			if (e.type == MBR_TYPE_GPT_PROTECT)
				pr_info("%s: GPT protective MBR: GPT is not supported\n",
					disk->name);
			part = add_partition(disk, i + 1, &e);
			if (part && len < sizeof(line))
				len += (size_t)snprintf(line + len, sizeof(line) - len, " %s",
							part->name);
		}
	pr_info("%s\n", line);
	kfree(mbr);
}

void register_disk(struct block_device *disk)
{
	disk->start_sector = 0;
	disk->part_type = 0;
	disk->disk = disk;
	disk->sectors_read = 0;
	disk->sectors_written = 0;
	list_add_tail(&disk->list, &block_devices);
	scan_mbr(disk);
}

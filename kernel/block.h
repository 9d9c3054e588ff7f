/* Block devices: disks and their partitions, addressed in 512-byte
 * sectors. A driver (kernel/drivers/ata.c) registers a whole disk; the
 * partition table code registers one device per MBR partition. Swap and
 * file systems only ever see this interface, so a faster driver can sit
 * behind it later. */
#ifndef KERNEL_BLOCK_H
#define KERNEL_BLOCK_H

#include "kernel/list.h"
#include "kernel/types.h"

#define SECTOR_SIZE	 512
#define SECTORS_PER_PAGE 8

struct block_device;

struct block_device_operations {
	/* Transfer count sectors at sector (relative to the whole disk)
	 * to/from buf; 0 or -EIO (after the driver's bounded retries). */
	int (*read)(struct block_device *bdev, u64 sector, void *buf, u32 count);
	int (*write)(struct block_device *bdev, u64 sector, const void *buf, u32 count);
};

struct block_device {
	char name[16];	  /* "sda", "sda2", as Linux names them */
	u64 start_sector; /* first sector on the disk (0 for a disk) */
	u64 nr_sectors;
	u8 part_type;		   /* MBR partition type (0x82 = Linux swap), 0 for a disk */
	struct block_device *disk; /* the whole disk (itself for a disk) */
	const struct block_device_operations *ops;
	void *driver_data;
	struct list_head list; /* all block devices */
	/* I/O statistics, as /proc/diskstats and vmstat's bi/bo count them. */
	unsigned long sectors_read, sectors_written;
};

extern struct list_head block_devices;

/* Registers a disk and scans its MBR partition table, registering one
 * device per partition ("sda1".."sda4"). */
void register_disk(struct block_device *disk);
struct block_device *lookup_bdev(const char *name);

/* Reads/writes count sectors at sector (relative to bdev); checks the
 * range. 0, -EINVAL (outside the device) or -EIO. */
int bdev_read(struct block_device *bdev, u64 sector, void *buf, u32 count);
int bdev_write(struct block_device *bdev, u64 sector, const void *buf, u32 count);

/* kernel/blkbench.c: the raw-throughput benchmark behind blkbench=DEV[:MiB]
 * on the command line; run before swapon_all. */
void blkbench_run(const char *cmdline);

#endif

/* Legacy IDE/ATA disks (QEMU's PIIX IDE on -machine pc), driven by PIO.
 * ata_init() probes the four positions (primary/secondary channel,
 * master/slave) and registers each ATA hard disk as a block device
 * ("sda", "sdb", ... in probe order); ATAPI devices (the CD-ROM) are
 * named in the log and skipped. See docs/block.md. */
#ifndef KERNEL_DRIVERS_ATA_H
#define KERNEL_DRIVERS_ATA_H

#include "kernel/block.h"

/* One drive: its channel's ports, its position and what IDENTIFY said. */
struct ata_device {
	u16 io_base;	  /* command block: 0x1F0 primary, 0x170 secondary */
	u16 ctrl_base;	  /* device control / alternate status: 0x3F6, 0x376 */
	u8 port;	  /* Linux's ataN: 1 primary, 2 secondary */
	u8 slave;	  /* 0 master, 1 slave (Linux's ataN.00/.01) */
	bool lba48;	  /* 48-bit addressing (READ/WRITE SECTORS EXT) */
	u64 nr_sectors;	  /* capacity in 512-byte sectors */
	char model[41];	  /* IDENTIFY words 27-46, trimmed */
	char firmware[9]; /* words 23-26 */
	struct block_device bdev;
};

/* Probes every position and registers the disks found (with their MBR
 * partitions). A missing device is one log line, never an error. */
void ata_init(void);

#endif

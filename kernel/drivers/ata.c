/* Legacy IDE/ATA driver: the swap partition's (and later the root file
 * system's) disk, for issue 5's block layer (concept C13 needs a disk).
 *
 * QEMU's -machine pc has a PIIX IDE controller in legacy mode: two
 * channels at fixed I/O ports, each with a master and a slave drive. We
 * talk to them by PIO with interrupts off at the device (nIEN): write the
 * address and count into the task-file registers, write the command, then
 * for each 512-byte sector poll the status register until the drive sets
 * DRQ and move 256 words through the data port. Every wait is bounded by
 * a timeout, and a failed command is retried after a channel reset.
 * References: ATA/ATAPI-7 (T13/1532D) vol. 1, sections 6 (status and
 * error registers), 7.16 (IDENTIFY DEVICE), 7.36 (READ SECTORS EXT),
 * 7.64 (WRITE SECTORS EXT); OSDev's "ATA PIO Mode". */
#include "kernel/drivers/ata.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/kmalloc.h"

/* Task-file registers, offsets from the command block base. */
#define ATA_REG_DATA	0
#define ATA_REG_ERROR	1
#define ATA_REG_NSECT	2
#define ATA_REG_LBAL	3
#define ATA_REG_LBAM	4
#define ATA_REG_LBAH	5
#define ATA_REG_DEVICE	6
#define ATA_REG_STATUS	7 /* read: status (acknowledges the interrupt) */
#define ATA_REG_COMMAND 7 /* write: command */

/* Control block: alternate status (read, no side effect) / device control. */
#define ATA_CTL_NIEN 0x02 /* no interrupts from the device: we poll */
#define ATA_CTL_SRST 0x04 /* software reset of both drives of the channel */

/* Device register: bit 6 selects LBA addressing, bit 4 the slave. */
#define ATA_DEV_LBA   0x40
#define ATA_DEV_OBS   0xa0 /* bits 7 and 5, set by convention (obsolete) */
#define ATA_DEV_SLAVE 0x10

/* Status register bits (ATA-7 6.2). */
#define ATA_BSY	 0x80 /* the device owns the registers */
#define ATA_DRDY 0x40 /* ready for a command */
#define ATA_DF	 0x20 /* device fault */
#define ATA_DSC	 0x10
#define ATA_DRQ	 0x08 /* a sector waits in the data port */
#define ATA_CORR 0x04
#define ATA_IDX	 0x02
#define ATA_ERR	 0x01 /* the error register says why */

/* Commands. */
#define ATA_CMD_READ	  0x20 /* READ SECTORS (28-bit LBA) */
#define ATA_CMD_READ_EXT  0x24 /* READ SECTORS EXT (48-bit LBA) */
#define ATA_CMD_WRITE	  0x30
#define ATA_CMD_WRITE_EXT 0x34
#define ATA_CMD_ID_ATAPI  0xa1 /* IDENTIFY PACKET DEVICE */
#define ATA_CMD_ID_ATA	  0xec /* IDENTIFY DEVICE */

/* The signature a packet (ATAPI) device leaves in LBA mid/high when it
 * aborts IDENTIFY DEVICE (ATA-7 9.12); SATA bridges leave 0x3c/0xc3. */
#define ATAPI_SIG_LBAM 0x14
#define ATAPI_SIG_LBAH 0xeb

/* IDENTIFY DEVICE words (ATA-7 table 16). */
#define ATA_ID_FW_REV	    23 /* 4 words, 8 characters */
#define ATA_ID_PROD	    27 /* 20 words, 40 characters */
#define ATA_ID_MAX_MULTSECT 47
#define ATA_ID_FIELD_VALID  53	/* bit 2: word 88 is valid */
#define ATA_ID_LBA_CAPACITY 60	/* 2 words: 28-bit capacity */
#define ATA_ID_MAJOR_VER    80	/* bit n: supports ATA-n */
#define ATA_ID_CMDSET_2	    83	/* bit 10: 48-bit address feature set */
#define ATA_ID_CFSSE	    86	/* bit 10: ... and it is enabled */
#define ATA_ID_UDMA_MODES   88	/* low byte: UDMA modes supported */
#define ATA_ID_LBA48_CAP    100 /* 4 words: 48-bit capacity */

#define ATA_MAX_SECTORS_PER_CMD 256 /* one command moves at most 128 KiB */
#define ATA_LBA28_LIMIT		(1UL << 28)
#define ATA_TIMEOUT_NS		(5 * NSEC_PER_SEC) /* ATA-7 allows 30 s; QEMU answers at once */
#define ATA_RETRIES		3		   /* attempts per command, as libata's EH */

/* The two legacy channels of a PC (Linux's ata1 and ata2). */
static const struct {
	u16 io_base, ctrl_base;
} ata_channels[] = {
	{0x1f0, 0x3f6},
	{0x170, 0x376},
};

/* Disks registered so far: the next one is sd('a' + nr_disks). */
static int nr_disks;

static inline void insw(u16 port, void *buf, unsigned long count)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline void outsw(u16 port, const void *buf, unsigned long count)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

static u8 ata_altstatus(const struct ata_device *dev)
{
	return inb(dev->ctrl_base);
}

/* After selecting a drive or writing a command the status is stale for
 * 400 ns: four reads of the alternate status take at least that long. */
static void ata_delay400(const struct ata_device *dev)
{
	for (int i = 0; i < 4; i++)
		ata_altstatus(dev);
}

/* Polls until BSY clears; stores the status. 0, or -EBUSY on timeout. */
static int ata_wait_not_busy(const struct ata_device *dev, u8 *status)
{
	u64 deadline = ktime_get_ns() + ATA_TIMEOUT_NS;

	while ((*status = ata_altstatus(dev)) & ATA_BSY) {
		if (ktime_get_ns() > deadline)
			return -EBUSY;
		cpu_relax();
	}
	return 0;
}

/* Waits for the drive to offer (or accept) one sector: BSY clear and DRQ
 * set. 0, -EBUSY on timeout, -EIO if the drive reports ERR or DF or has
 * no data to move. */
static int ata_wait_drq(const struct ata_device *dev, u8 *status)
{
	int err = ata_wait_not_busy(dev, status);

	if (err)
		return err;
	if (*status & (ATA_ERR | ATA_DF))
		return -EIO;
	return (*status & ATA_DRQ) ? 0 : -EIO;
}

static void ata_select(const struct ata_device *dev, u8 bits)
{
	outb(dev->io_base + ATA_REG_DEVICE, ATA_DEV_OBS | bits | (dev->slave ? ATA_DEV_SLAVE : 0));
	ata_delay400(dev);
}

/* Loads the task file and writes the command. 48-bit commands take the
 * high bytes first: each register is a two-deep FIFO (ATA-7 6.1). */
static void ata_issue(const struct ata_device *dev, u8 cmd, u64 lba, u32 count)
{
	u16 io = dev->io_base;

	if (dev->lba48) {
		ata_select(dev, ATA_DEV_LBA);
		outb(io + ATA_REG_NSECT, (u8)(count >> 8));
		outb(io + ATA_REG_LBAL, (u8)(lba >> 24));
		outb(io + ATA_REG_LBAM, (u8)(lba >> 32));
		outb(io + ATA_REG_LBAH, (u8)(lba >> 40));
	} else {
		ata_select(dev, ATA_DEV_LBA | ((lba >> 24) & 0x0f));
	}
	outb(io + ATA_REG_NSECT, (u8)count); /* 0 means 256 (65536 for EXT) */
	outb(io + ATA_REG_LBAL, (u8)lba);
	outb(io + ATA_REG_LBAM, (u8)(lba >> 8));
	outb(io + ATA_REG_LBAH, (u8)(lba >> 16));
	outb(io + ATA_REG_COMMAND, cmd);
	ata_delay400(dev);
}

static const char *const ata_status_names[8] = {"ERR",	 "IDX", "CORR", "DRQ",
						"SENSE", "DF",	"DRDY", "BUSY"};
static const char *const ata_error_names[8] = {"AMNF", "TK0NF", "ABRT", "MCR",
					       "IDNF", "MC",	"UNC",	"ICRC"};

/* Formats the set bits of v as Linux's libata does: "{ DRDY ERR }". */
static void ata_bits(char *buf, size_t size, u8 v, const char *const names[8])
{
	size_t len = (size_t)snprintf(buf, size, "{ ");

	for (int bit = 7; bit >= 0; bit--)
		if (v & (1u << bit) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s ", names[bit]);
	if (len < size)
		snprintf(buf + len, size - len, "}");
}

/* Logs a failed command the way libata's error handler does. */
static void ata_report_failure(const struct ata_device *dev, bool write, u64 lba, u32 count,
			       int err, u8 status)
{
	char bits[64];

	pr_err("ata%u.%02u: failed command: %s SECTORS%s, sector %lu count %u\n", dev->port,
	       dev->slave, write ? "WRITE" : "READ", dev->lba48 ? " EXT" : "", lba, count);
	if (err == -EBUSY) {
		pr_err("ata%u.%02u: timeout, status 0x%02x\n", dev->port, dev->slave, status);
		return;
	}
	ata_bits(bits, sizeof(bits), status, ata_status_names);
	pr_err("ata%u.%02u: status: %s\n", dev->port, dev->slave, bits);
	if (status & ATA_ERR) {
		ata_bits(bits, sizeof(bits), inb(dev->io_base + ATA_REG_ERROR), ata_error_names);
		pr_err("ata%u.%02u: error: %s\n", dev->port, dev->slave, bits);
	}
}

/* Software reset of the channel (both drives), the recovery step before
 * a retry. Leaves nIEN set. */
static void ata_soft_reset(const struct ata_device *dev)
{
	u8 status;

	pr_warn("ata%u: soft resetting link\n", dev->port);
	outb(dev->ctrl_base, ATA_CTL_NIEN | ATA_CTL_SRST);
	ndelay(5000);
	outb(dev->ctrl_base, ATA_CTL_NIEN);
	ndelay(2 * NSEC_PER_MSEC);
	if (ata_wait_not_busy(dev, &status))
		pr_err("ata%u: still busy after reset, status 0x%02x\n", dev->port, status);
}

/* One PIO command of count (1..256) sectors. Interrupts are off for its
 * duration: the registers belong to one command at a time, and this is
 * the only CPU. 0, -EBUSY (timeout) or -EIO; *status is the last status. */
static int ata_pio_once(struct ata_device *dev, bool write, u64 lba, void *buf, u32 count,
			u8 *status)
{
	u8 cmd = write ? (dev->lba48 ? ATA_CMD_WRITE_EXT : ATA_CMD_WRITE)
		       : (dev->lba48 ? ATA_CMD_READ_EXT : ATA_CMD_READ);
	u64 flags = irq_save();
	int err = ata_wait_not_busy(dev, status);

	if (!err)
		ata_issue(dev, cmd, lba, count);
	for (u32 i = 0; !err && i < count; i++) {
		err = ata_wait_drq(dev, status);
		if (err)
			break;
		if (write)
			outsw(dev->io_base + ATA_REG_DATA, (const u8 *)buf + i * SECTOR_SIZE,
			      SECTOR_SIZE / 2);
		else
			insw(dev->io_base + ATA_REG_DATA, (u8 *)buf + i * SECTOR_SIZE,
			     SECTOR_SIZE / 2);
	}
	/* A write completes when the drive drops BSY after the last sector;
	 * reading STATUS (not ALTSTATUS) also acknowledges the command. */
	if (!err)
		err = ata_wait_not_busy(dev, status);
	if (!err) {
		*status = inb(dev->io_base + ATA_REG_STATUS);
		if (*status & (ATA_ERR | ATA_DF | ATA_DRQ))
			err = -EIO;
	}
	irq_restore(flags);
	return err;
}

/* Moves count sectors in commands of at most 256, each tried up to
 * ATA_RETRIES times with a channel reset in between. 0 or -EIO. */
static int ata_rw(struct block_device *bdev, u64 sector, void *buf, u32 count, bool write)
{
	struct ata_device *dev = bdev->driver_data;
	u8 status = 0;

	if (!dev->lba48 && sector + count > ATA_LBA28_LIMIT)
		return -EIO;
	while (count) {
		u32 n = MIN(count, (u32)ATA_MAX_SECTORS_PER_CMD);
		int err = -EIO;

		for (int attempt = 0; attempt < ATA_RETRIES && err; attempt++) {
			if (attempt)
				ata_soft_reset(dev);
			err = ata_pio_once(dev, write, sector, buf, n, &status);
			if (err)
				ata_report_failure(dev, write, sector, n, err, status);
		}
		if (err)
			return -EIO;
		sector += n;
		buf = (u8 *)buf + (size_t)n * SECTOR_SIZE;
		count -= n;
	}
	return 0;
}

static int ata_read(struct block_device *bdev, u64 sector, void *buf, u32 count)
{
	return ata_rw(bdev, sector, buf, count, false);
}

static int ata_write(struct block_device *bdev, u64 sector, const void *buf, u32 count)
{
	/* The transfer only reads buf; ata_rw shares one path for both. */
	return ata_rw(bdev, sector, (void *)buf, count, true);
}

static const struct block_device_operations ata_ops = {
	.read = ata_read,
	.write = ata_write,
};

/* IDENTIFY strings are big-endian pairs of characters, space padded. */
static void ata_id_string(const u16 *id, int word, int nwords, char *out)
{
	int len = 0;

	for (int i = 0; i < nwords; i++) {
		out[len++] = (char)(id[word + i] >> 8);
		out[len++] = (char)(id[word + i] & 0xff);
	}
	while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\0'))
		len--;
	out[len] = '\0';
}

/* The highest set bit of v below limit, or -1. */
static int highest_bit(u16 v, int limit)
{
	for (int bit = limit - 1; bit >= 0; bit--)
		if (v & (1u << bit))
			return bit;
	return -1;
}

/* "UDMA/100" from word 88, as libata's ata_mode_string. */
static const char *ata_max_mode(const u16 *id)
{
	static const char *const udma[] = {"UDMA/16", "UDMA/25",  "UDMA/33", "UDMA/44",
					   "UDMA/66", "UDMA/100", "UDMA/133"};
	int mode = -1;

	if (id[ATA_ID_FIELD_VALID] & (1u << 2))
		mode = highest_bit(id[ATA_ID_UDMA_MODES] & 0x7f, 7);
	return mode < 0 ? "PIO" : udma[mode];
}

/* Writes "67.1 MB" (base 1000) or "64.0 MiB" (base 1024): three
 * significant digits in integer arithmetic, as Linux's string_get_size. */
static void format_size(char *buf, size_t size, u64 bytes, unsigned int base)
{
	static const char *const units10[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	static const char *const units2[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	const char *unit_name;
	u64 unit = 1, milli, v;
	int i = 0;

	while (bytes / unit >= base && i < 5) {
		unit *= base;
		i++;
	}
	unit_name = base == 1000 ? units10[i] : units2[i];
	milli = bytes / unit * 1000 + bytes % unit * 1000 / unit; /* thousandths of a unit */
	if (milli >= 100000) {
		snprintf(buf, size, "%lu %s", (milli + 500) / 1000, unit_name);
	} else if (milli >= 10000) {
		v = (milli + 50) / 100;
		snprintf(buf, size, "%lu.%lu %s", v / 10, v % 10, unit_name);
	} else {
		v = (milli + 5) / 10;
		snprintf(buf, size, "%lu.%02lu %s", v / 100, v % 100, unit_name);
	}
}

/* Sends IDENTIFY (cmd) and reads its 256 words. 0; -ENODEV when nothing
 * answers; -EIO when the device aborts (an ATAPI device aborts IDENTIFY
 * DEVICE and leaves its signature); -EBUSY on timeout. */
static int ata_identify(struct ata_device *dev, u8 cmd, u16 *id)
{
	u16 io = dev->io_base;
	u8 status;
	int err;

	ata_select(dev, 0);
	status = inb(io + ATA_REG_STATUS);
	if (status == 0 || status == 0xff) /* 0: QEMU, no drive; 0xff: floating bus */
		return -ENODEV;
	for (int reg = ATA_REG_NSECT; reg <= ATA_REG_LBAH; reg++)
		outb(io + reg, 0);
	outb(io + ATA_REG_COMMAND, cmd);
	ata_delay400(dev);
	if (ata_altstatus(dev) == 0)
		return -ENODEV;
	err = ata_wait_drq(dev, &status);
	if (err)
		return err;
	insw(io + ATA_REG_DATA, id, 256);
	inb(io + ATA_REG_STATUS);
	return 0;
}

/* Registers an identified ATA disk as the next sdX and logs it as Linux
 * does (libata's IDENTIFY summary, then sd's capacity line). */
static void ata_attach_disk(struct ata_device *dev, const u16 *id)
{
	char mb[16], mib[16];
	unsigned int host = dev->port - 1u, target = dev->slave;
	int ata_version = highest_bit(id[ATA_ID_MAJOR_VER], 15);

	dev->lba48 = (id[ATA_ID_CMDSET_2] & (1u << 10)) && (id[ATA_ID_CFSSE] & (1u << 10));
	if (dev->lba48)
		dev->nr_sectors = (u64)id[ATA_ID_LBA48_CAP] | (u64)id[ATA_ID_LBA48_CAP + 1] << 16 |
				  (u64)id[ATA_ID_LBA48_CAP + 2] << 32 |
				  (u64)id[ATA_ID_LBA48_CAP + 3] << 48;
	else
		dev->nr_sectors = (u64)id[ATA_ID_LBA_CAPACITY] | (u64)id[ATA_ID_LBA_CAPACITY + 1]
									 << 16;
	pr_info("ata%u.%02u: ATA-%d: %s, %s, max %s\n", dev->port, dev->slave,
		ata_version < 0 ? 0 : ata_version, dev->model, dev->firmware, ata_max_mode(id));
	pr_info("ata%u.%02u: %lu sectors, multi %u: %s\n", dev->port, dev->slave, dev->nr_sectors,
		id[ATA_ID_MAX_MULTSECT] & 0xff, dev->lba48 ? "LBA48" : "LBA");

	snprintf(dev->bdev.name, sizeof(dev->bdev.name), "sd%c", 'a' + nr_disks++);
	dev->bdev.nr_sectors = dev->nr_sectors;
	dev->bdev.ops = &ata_ops;
	dev->bdev.driver_data = dev;
	format_size(mb, sizeof(mb), dev->nr_sectors * SECTOR_SIZE, 1000);
	format_size(mib, sizeof(mib), dev->nr_sectors * SECTOR_SIZE, 1024);
	pr_info("sd %u:0:%u:0: [%s] %lu 512-byte logical blocks: (%s/%s)\n", host, target,
		dev->bdev.name, dev->nr_sectors, mb, mib);
	register_disk(&dev->bdev);
}

/* Probes one position: registers a disk, names and skips an ATAPI
 * device, or logs that nothing is there. */
static void ata_probe(int channel, int slave)
{
	struct ata_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	u16 *id = kmalloc(512, GFP_KERNEL);
	int err;

	if (!dev || !id) {
		pr_err("ata%d.%02d: out of memory\n", channel + 1, slave);
		goto out_free;
	}
	dev->io_base = ata_channels[channel].io_base;
	dev->ctrl_base = ata_channels[channel].ctrl_base;
	dev->port = (u8)(channel + 1);
	dev->slave = (u8)slave;

	err = ata_identify(dev, ATA_CMD_ID_ATA, id);
	if (err == -EIO && inb(dev->io_base + ATA_REG_LBAM) == ATAPI_SIG_LBAM &&
	    inb(dev->io_base + ATA_REG_LBAH) == ATAPI_SIG_LBAH) {
		if (!ata_identify(dev, ATA_CMD_ID_ATAPI, id)) {
			ata_id_string(id, ATA_ID_PROD, 20, dev->model);
			ata_id_string(id, ATA_ID_FW_REV, 4, dev->firmware);
			pr_info("ata%u.%02u: ATAPI: %s, %s, max %s\n", dev->port, dev->slave,
				dev->model, dev->firmware, ata_max_mode(id));
		}
		pr_info("ata%u.%02u: ATAPI device skipped (no packet driver)\n", dev->port,
			dev->slave);
		goto out_free;
	}
	if (err == -ENODEV) {
		pr_info("ata%u.%02u: no device\n", dev->port, dev->slave);
		goto out_free;
	}
	if (err) {
		pr_warn("ata%u.%02u: IDENTIFY failed (%s), device ignored\n", dev->port, dev->slave,
			err == -EBUSY ? "timeout" : "aborted");
		goto out_free;
	}
	ata_id_string(id, ATA_ID_PROD, 20, dev->model);
	ata_id_string(id, ATA_ID_FW_REV, 4, dev->firmware);
	ata_attach_disk(dev, id);
	kfree(id);
	return;

out_free:
	kfree(id);
	kfree(dev);
}

void ata_init(void)
{
	for (size_t ch = 0; ch < ARRAY_SIZE(ata_channels); ch++) {
		/* Polled driver: keep the channel's interrupt line quiet. */
		outb(ata_channels[ch].ctrl_base, ATA_CTL_NIEN);
		pr_info("ata%zu: PATA cmd 0x%x ctl 0x%x, PIO polled\n", ch + 1,
			ata_channels[ch].io_base, ata_channels[ch].ctrl_base);
		for (int slave = 0; slave < 2; slave++)
			ata_probe((int)ch, slave);
	}
}

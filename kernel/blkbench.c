/* blkbench=DEV[:MiB[:REPEAT]] on the kernel command line (e.g.
 * ARGS="blkbench=sda2:32:3"):
 * before swap is enabled, measure raw sequential writes then reads of the
 * block device DEV through the block layer and its driver, the same path
 * swap I/O takes, as the reference for the swap throughput benchmark
 * (tools/bench/swap_bench.py). Two request sizes: 4 KiB, one page per
 * request as swap issues it, and 128 KiB (256 sectors, the largest ATA
 * command the driver sends). The first page of the device is never
 * touched: on a swap partition it holds the header; the rest holds no
 * data before swapon, so overwriting it is harmless. Prints one line per
 * run:
 *   blkbench: sda2 write 4k 32768 KiB 2510 ms 13.05 MiB/s */
#include "kernel/block.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"

#define BENCH_ORDER 5 /* a 128 KiB buffer */

static void blkbench_one(struct block_device *bdev, void *buf, unsigned long pages,
			 unsigned int per_req, bool write)
{
	u64 t0 = ktime_get_ns(), ns;
	unsigned long done = 0, mibps_x100;
	int err = 0;

	while (done < pages && !err) {
		unsigned int n = (unsigned int)MIN((unsigned long)per_req, pages - done);
		u64 sector = (1 + done) * SECTORS_PER_PAGE; /* page 0: the header */

		err = write ? bdev_write(bdev, sector, buf, n * SECTORS_PER_PAGE)
			    : bdev_read(bdev, sector, buf, n * SECTORS_PER_PAGE);
		done += n;
	}
	ns = ktime_get_ns() - t0;
	if (err) {
		pr_err("blkbench: %s %s failed: %d\n", bdev->name, write ? "write" : "read", err);
		return;
	}
	/* KiB * 1e11 / 1024 / ns = MiB/s x 100, without overflow below 100 GiB */
	mibps_x100 = ns ? (unsigned long)(done * (PAGE_SIZE / 1024) * 97656250UL / ns) : 0;
	pr_info("blkbench: %s %s %luk %lu KiB %lu ms %lu.%02lu MiB/s\n", bdev->name,
		write ? "write" : "read", per_req * PAGE_SIZE / 1024, done * PAGE_SIZE / 1024,
		(unsigned long)(ns / NSEC_PER_MSEC), mibps_x100 / 100, mibps_x100 % 100);
}

void blkbench_run(const char *cmdline)
{
	char arg[32], *colon;
	unsigned long mib = 32, repeat = 1, pages;
	struct block_device *bdev;
	void *buf;

	if (!cmdline_get(cmdline, "blkbench", arg, sizeof(arg)))
		return;
	colon = strchr(arg, ':');
	if (colon) {
		*colon = '\0';
		mib = 0;
		for (colon++; *colon >= '0' && *colon <= '9'; colon++)
			mib = mib * 10 + (unsigned long)(*colon - '0');
		if (*colon == ':') {
			repeat = 0;
			for (colon++; *colon >= '0' && *colon <= '9'; colon++)
				repeat = repeat * 10 + (unsigned long)(*colon - '0');
		}
	}
	bdev = lookup_bdev(arg);
	if (!bdev || !mib) {
		pr_err("blkbench: no block device '%s' (or size 0)\n", arg);
		return;
	}
	pages = MIN(mib * (MiB / PAGE_SIZE), bdev->nr_sectors / SECTORS_PER_PAGE - 1);
	buf = get_free_pages(GFP_KERNEL, BENCH_ORDER);
	if (!buf) {
		pr_err("blkbench: no memory for the buffer\n");
		return;
	}
	for (unsigned long i = 0; i < (PAGE_SIZE << BENCH_ORDER) / sizeof(u64); i++)
		((u64 *)buf)[i] = i * 0x9e3779b97f4a7c15UL;
	for (unsigned long r = 0; r < MIN(repeat, 10UL); r++) {
		blkbench_one(bdev, buf, pages, 1, true);
		blkbench_one(bdev, buf, pages, 1, false);
		blkbench_one(bdev, buf, pages, 1U << BENCH_ORDER, true);
		blkbench_one(bdev, buf, pages, 1U << BENCH_ORDER, false);
	}
	free_pages(buf, BENCH_ORDER);
}

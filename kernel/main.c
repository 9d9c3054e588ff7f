/* kmain: the C entry point, called by boot/entry.asm in 64-bit mode on the
 * boot stack. Brings the machine up layer by layer, then either runs the
 * in-kernel test named by ktest= or reports and idles. */
#include "kernel/cmdline.h"
#include "kernel/drivers/ata.h"
#include "kernel/drivers/fw_cfg.h"
#include "kernel/drivers/rtc.h"
#include "kernel/fs.h"
#include "kernel/fs/ext2.h"
#include "kernel/gdt.h"
#include "kernel/block.h"
#include "kernel/ktest.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "kernel/x86.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/init.h"
#include "mm/kmalloc.h"
#include "mm/swap.h"

#define MEMOS_VERSION "0.1"

/* The full command line: GRUB's, plus QEMU fw_cfg extras (tests). */
char saved_command_line[COMMAND_LINE_SIZE];
/* init=PATH: the first user program (empty: Linux's search order). */
char init_path[256];

static void setup_command_line(void)
{
	char extra[512];
	size_t len;

	strlcpy(saved_command_line, boot_info.cmdline, sizeof(saved_command_line));
	if (fw_cfg_read_file("opt/memos/cmdline", extra, sizeof(extra)) > 0) {
		len = strlen(saved_command_line);
		snprintf(saved_command_line + len, sizeof(saved_command_line) - len, "%s%s",
			 len ? " " : "", extra);
	}
}

/* loglevel=N: messages with a level below N reach the console (Linux).
 * init=PATH: must be an absolute path, as Linux requires. */
static void parse_early_params(void)
{
	char val[sizeof(init_path)];
	unsigned long level;

	if (cmdline_get(saved_command_line, "loglevel", val, sizeof(val))) {
		if (!parse_ulong(val, &level) && level <= 8)
			console_loglevel = (int)level;
		else
			pr_warn("loglevel: bad value '%s', keeping %d\n", val, console_loglevel);
	}
	if (cmdline_get(saved_command_line, "init", val, sizeof(val))) {
		if (val[0] == '/')
			strlcpy(init_path, val, sizeof(init_path));
		else
			pr_warn("init: '%s' is not an absolute path, ignored\n", val);
	}
}

static void report_uptime_and_free(void)
{
	u64 ns = ktime_get_ns();

	pr_info("Free memory: %lu kB of %lu kB (boot took %lu.%03lu s)\n",
		nr_free_pages() * (PAGE_SIZE / 1024), totalram_pages() * (PAGE_SIZE / 1024),
		ns / NSEC_PER_SEC, (ns / NSEC_PER_MSEC) % 1000);
}

void kmain(u32 magic, u32 mbi_phys)
{
	char test[64];

	time_early_init();
	console_init();
	multiboot2_parse(magic, mbi_phys);
	setup_command_line();
	parse_early_params();
	pr_notice("memos version " MEMOS_VERSION " (gcc " __VERSION__ ") x86_64\n");
	pr_notice("Command line: %s\n", saved_command_line);
	e820_print();
	gdt_init();
	idt_init();
	mm_init();
	kmalloc_init();
	time_init();
	rtc_init();
	sched_init();
	syscall_init();
	local_irq_enable();
	vfs_init();
	ata_init();
	ext2_mount_root_disk();
	blkbench_run(saved_command_line); /* before swap owns the partition */
	swapon_all();
	report_uptime_and_free();

	if (cmdline_get(saved_command_line, "ktest", test, sizeof(test)))
		ktest_run(test);
	start_init(init_path[0] ? init_path : NULL); /* PID 1 */
	kswapd_init();
	flusher_init();
	cpu_idle();
}

/* The files at the top of /proc, one table line each: memory (meminfo,
 * vmstat), time and load (uptime, loadavg, stat) and version. Formats are
 * Linux's (fs/proc/meminfo.c, mm/vmstat.c, fs/proc/stat.c, ...), so procps
 * free, vmstat and uptime parse them unchanged. */
#include "kernel/fs/procfs.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/drivers/rtc.h"
#include "mm/kmalloc.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mmzone.h"
#include "mm/overcommit.h"
#include "mm/swap.h"
#include "mm/filemap.h"
#include "mm/vmstat.h"

#define K(pages) ((pages) * (PAGE_SIZE / 1024))

/* One meminfo line: the name padded to 16 columns, kB right-aligned in 8. */
static void show_val_kb(struct seq_buf *s, const char *name, unsigned long pages)
{
	seq_printf(s, "%-16s%8lu kB\n", name, K(pages));
}

/* MemAvailable as si_mem_available() computes it: free pages minus the
 * reserve, plus the page cache that reclaim could drop, less what it would
 * leave (half of it, at most the low watermarks); no reclaimable slab. */
static unsigned long mem_available(void)
{
	unsigned long free = nr_free_pages(), reserve = totalreserve_pages(), low = 0;
	unsigned long pagecache =
		global_lru_pages(LRU_ACTIVE_FILE) + global_lru_pages(LRU_INACTIVE_FILE);
	long avail = (long)free - (long)reserve;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		low += NODE_DATA(nid)->node_zone._watermark[WMARK_LOW];
	avail += (long)(pagecache - MIN(pagecache / 2, low));
	return avail > 0 ? (unsigned long)avail : 0;
}

static int meminfo_show(struct seq_buf *s, struct task_struct *unused)
{
	unsigned long pgtables = 0, tasks = 0;
	struct task_struct *t;

	(void)unused;
	for_each_process(t)
	{
		tasks++;
		if (t->mm)
			pgtables += t->mm->pgtables_pages;
	}
	show_val_kb(s, "MemTotal:", totalram_pages());
	show_val_kb(s, "MemFree:", nr_free_pages());
	show_val_kb(s, "MemAvailable:", mem_available());
	/* No block-device buffer cache (ext2's metadata is read into kernel
	 * buffers, not cached pages): file data is all in Cached. */
	show_val_kb(s, "Buffers:", 0);
	show_val_kb(s, "Cached:", vm_stat[NR_FILE_PAGES]);
	show_val_kb(s, "SwapCached:", vm_stat[NR_SWAPCACHE]);
	show_val_kb(s, "Active:",
		    global_lru_pages(LRU_ACTIVE_ANON) + global_lru_pages(LRU_ACTIVE_FILE));
	show_val_kb(s, "Inactive:",
		    global_lru_pages(LRU_INACTIVE_ANON) + global_lru_pages(LRU_INACTIVE_FILE));
	show_val_kb(s, "Active(anon):", global_lru_pages(LRU_ACTIVE_ANON));
	show_val_kb(s, "Inactive(anon):", global_lru_pages(LRU_INACTIVE_ANON));
	show_val_kb(s, "Active(file):", global_lru_pages(LRU_ACTIVE_FILE));
	show_val_kb(s, "Inactive(file):", global_lru_pages(LRU_INACTIVE_FILE));
	show_val_kb(s, "SwapTotal:", total_swap_pages);
	show_val_kb(s, "SwapFree:", nr_swap_pages);
	show_val_kb(s, "Dirty:", vm_stat[NR_FILE_DIRTY]);
	show_val_kb(s, "Writeback:", vm_stat[NR_WRITEBACK]);
	/* Pages, not mappings: a page shared copy-on-write counts once. */
	show_val_kb(s, "AnonPages:", vm_stat[NR_ANON_MAPPED]);
	show_val_kb(s, "Mapped:", vm_stat[NR_FILE_MAPPED]);
	show_val_kb(s, "Shmem:", vm_stat[NR_SHMEM]);
	/* The kernel heap (mm/kmalloc.c): nothing of it is reclaimable. */
	show_val_kb(s, "Slab:", kmalloc_pages());
	show_val_kb(s, "SReclaimable:", 0);
	show_val_kb(s, "SUnreclaim:", kmalloc_pages());
	seq_printf(s, "%-16s%8lu kB\n", "KernelStack:", tasks * (KERNEL_STACK_SIZE / 1024));
	show_val_kb(s, "PageTables:", pgtables);
	show_val_kb(s, "CommitLimit:", vm_commit_limit());
	show_val_kb(s, "Committed_AS:", vm_committed_pages);
	return 0;
}

static int vmstat_show(struct seq_buf *s, struct task_struct *unused)
{
	unsigned long bg, thresh;

	(void)unused;
	seq_printf(s, "nr_free_pages %lu\n", nr_free_pages());
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", vm_stat_names[i], vm_stat[i]);
	/* Linux's order: the NUMA events between the states and the events. */
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		unsigned long sum = 0;

		for (int nid = 0; nid < nr_online_nodes; nid++)
			sum += NODE_DATA(nid)->numa_events[i];
		seq_printf(s, "%s %lu\n", numa_stat_names[i], sum);
	}
	global_dirty_limits(&bg, &thresh);
	seq_printf(s, "nr_dirty_threshold %lu\nnr_dirty_background_threshold %lu\n", thresh, bg);
	/* pgpgin/pgpgout are counted in sectors and shown in KiB, as Linux. */
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", vm_event_names[i],
			   i == PGPGIN || i == PGPGOUT ? vm_events[i] / 2 : vm_events[i]);
	return 0;
}

/* Seconds since boot and seconds the idle task ran, to 1/100 s. */
static int uptime_show(struct seq_buf *s, struct task_struct *unused)
{
	u64 up = ktime_get_ns() / (NSEC_PER_SEC / 100), idle = cpustat[CPUTIME_IDLE];

	(void)unused;
	seq_printf(s, "%lu.%02lu %lu.%02lu\n", up / 100, up % 100, idle / HZ, idle % HZ * 100 / HZ);
	return 0;
}

/* Load averages, runnable/total tasks, and the highest pid (Linux: the
 * last pid allocated; ours are allocated in increasing order). */
static int loadavg_show(struct seq_buf *s, struct task_struct *unused)
{
	int total = 0, last_pid = 0;
	struct task_struct *t;

	(void)unused;
	for_each_process(t)
	{
		total++;
		last_pid = MAX(last_pid, t->pid);
	}
	for (int i = 0; i < 3; i++)
		seq_printf(s, "%lu.%02lu ", LOAD_INT(avenrun[i]), LOAD_FRAC(avenrun[i]));
	seq_printf(s, "%d/%d %d\n", nr_running(), total, last_pid);
	return 0;
}

/* The cpu lines in USER_HZ (= HZ) ticks: user, nice, system, idle, iowait,
 * irq, softirq, steal, guest, guest_nice; then the system-wide counts. */
static int stat_show(struct seq_buf *s, struct task_struct *unused)
{
	unsigned long blocked = 0;
	struct task_struct *t;

	(void)unused;
	for_each_process(t) blocked += t->state == TASK_UNINTERRUPTIBLE;
	for (int line = 0; line < 2; line++)
		seq_printf(s, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", line ? "cpu0" : "cpu ",
			   cpustat[CPUTIME_USER], cpustat[CPUTIME_SYSTEM], cpustat[CPUTIME_IDLE]);
	seq_printf(s, "ctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %d\nprocs_blocked %lu\n",
		   nr_context_switches, boot_time_sec, total_forks, nr_running(), blocked);
	return 0;
}

static int version_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "memos version 0.1 (gcc version " __VERSION__ ") #1\n");
	return 0;
}

static int swaps_file_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	swaps_show(s);
	return 0;
}

static int mounts_file_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	mounts_show(s);
	return 0;
}

const struct proc_entry proc_root_entries[] = {
	PROC_FILE("mounts", mounts_file_show), PROC_FILE("swaps", swaps_file_show),
	PROC_FILE("meminfo", meminfo_show),    PROC_FILE("vmstat", vmstat_show),
	PROC_FILE("uptime", uptime_show),      PROC_FILE("loadavg", loadavg_show),
	PROC_FILE("stat", stat_show),	       PROC_FILE("version", version_show),
	PROC_DIR("sys", proc_sys_entries),     {NULL},
};

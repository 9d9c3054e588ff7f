/* /proc/sys/vm: the memory-management knobs, parsed strictly as Linux's
 * proc_dointvec_minmax does (digits only, within the range, else EINVAL).
 * Concept C11: raising min_free_kbytes raises every zone's watermarks,
 * so kswapd wakes earlier. */
#include "kernel/errno.h"
#include "kernel/fs/procfs.h"
#include "kernel/sched.h"
#include "mm/filemap.h"
#include "mm/idle.h"
#include "mm/oom_kill.h"
#include "mm/swap.h"
#include "mm/overcommit.h"
#include "kernel/printk.h"
#include "mm/gfp.h"

static int min_free_kbytes_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%lu\n", min_free_kbytes);
	return 0;
}

/* Linux allows 0..INT_MAX; here at most half of RAM, because every
 * program runs as root and a larger reserve would starve the kernel
 * itself. The watermarks follow at once (setup_per_zone_wmarks). */
static int min_free_kbytes_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	unsigned long kb, max = totalram_pages() * (PAGE_SIZE / 1024) / 2;
	int err = proc_parse_ulong(buf, 0, max, &kb);

	if (err)
		return err;
	min_free_kbytes = kb;
	setup_per_zone_wmarks();
	return 0;
}

static int watermark_scale_factor_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%u\n", watermark_scale_factor);
	return 0;
}

/* 1..3000 as Linux: the low-high gaps in 1/10000 of memory. */
static int watermark_scale_factor_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	unsigned long v;
	int err = proc_parse_ulong(buf, 1, 3000, &v);

	if (err)
		return err;
	watermark_scale_factor = (unsigned int)v;
	setup_per_zone_wmarks();
	return 0;
}

static int overcommit_memory_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", sysctl_overcommit_memory);
	return 0;
}

/* 0 heuristic, 1 always, 2 never (mm/overcommit.c). */
static int overcommit_memory_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 2, &v);

	if (!err)
		sysctl_overcommit_memory = (int)v;
	return err;
}

static int overcommit_ratio_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%lu\n", sysctl_overcommit_ratio);
	return 0;
}

/* Percent of RAM in CommitLimit; Linux accepts any value, even > 100. */
static int overcommit_ratio_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 1000000, &v);

	if (!err)
		sysctl_overcommit_ratio = v;
	return err;
}

static int panic_on_oom_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", sysctl_panic_on_oom);
	return 0;
}

static int panic_on_oom_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 2, &v);

	(void)unused;
	if (!err)
		sysctl_panic_on_oom = (int)v;
	return err;
}

static int oom_kill_allocating_task_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", sysctl_oom_kill_allocating_task);
	return 0;
}

static int oom_kill_allocating_task_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 1, &v);

	(void)unused;
	if (!err)
		sysctl_oom_kill_allocating_task = (int)v;
	return err;
}

static int drop_caches_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "0\n");
	return 0;
}

/* 1 (page cache) or 3 (and slab, which has nothing to drop here) frees
 * every clean unmapped file page; 2 alone drops nothing. Linux's values. */
static int drop_caches_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 1, 4, &v);

	(void)unused;
	if (!err && (v & 1))
		pr_info("%s (%d): drop_caches: %lu (%lu pages freed)\n", current->comm,
			current->pid, v, drop_pagecache());
	return err;
}

static int swappiness_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", vm_swappiness);
	return 0;
}

/* 0..200 (Linux's range): the weight of anon against file in reclaim. */
static int swappiness_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 200, &v);

	(void)unused;
	if (!err)
		vm_swappiness = (int)v;
	return err;
}

static int dirty_writeback_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", dirty_writeback_centisecs);
	return 0;
}

/* 0 (no periodic write-back) .. INT_MAX centiseconds, as Linux. */
static int dirty_writeback_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 0x7fffffff, &v);

	(void)unused;
	if (!err)
		dirty_writeback_centisecs = (int)v;
	return err;
}

static int dirty_expire_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", dirty_expire_centisecs);
	return 0;
}

static int dirty_expire_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 0x7fffffff, &v);

	(void)unused;
	if (!err)
		dirty_expire_centisecs = (int)v;
	return err;
}

/* The dirty limits (mm/page_writeback.c), Linux's pairs: a ratio (percent
 * of the dirtyable memory) or a byte count rules, and writing one clears
 * the other. dirty_bytes is at least two pages, dirty_background_bytes at
 * least 1, as Linux's bounds. */
static int write_dirty_ratio(const char *buf, int *ratio, unsigned long *bytes)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 100, &v);

	if (!err) {
		*ratio = (int)v;
		*bytes = 0;
	}
	return err;
}

static int write_dirty_bytes(const char *buf, unsigned long min, unsigned long *bytes, int *ratio)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, min, ~0UL, &v);

	if (!err) {
		*bytes = v;
		*ratio = 0;
	}
	return err;
}

static int dirty_ratio_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", vm_dirty_ratio);
	return 0;
}

static int dirty_ratio_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	return write_dirty_ratio(buf, &vm_dirty_ratio, &vm_dirty_bytes);
}

static int dirty_bytes_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%lu\n", vm_dirty_bytes);
	return 0;
}

static int dirty_bytes_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	return write_dirty_bytes(buf, 2 * PAGE_SIZE, &vm_dirty_bytes, &vm_dirty_ratio);
}

static int dirty_background_ratio_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", dirty_background_ratio);
	return 0;
}

static int dirty_background_ratio_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	return write_dirty_ratio(buf, &dirty_background_ratio, &dirty_background_bytes);
}

static int dirty_background_bytes_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%lu\n", dirty_background_bytes);
	return 0;
}

static int dirty_background_bytes_write(const char *buf, struct task_struct *unused)
{
	(void)unused;
	return write_dirty_bytes(buf, 1, &dirty_background_bytes, &dirty_background_ratio);
}

static int zone_reclaim_mode_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", node_reclaim_mode);
	return 0;
}

/* Bits RECLAIM_ZONE 1, RECLAIM_WRITE 2, RECLAIM_UNMAP 4 (mm/vmscan.c,
 * node_reclaim); Linux accepts any non-negative int, we the 3 bits. */
static int zone_reclaim_mode_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, RECLAIM_ZONE | RECLAIM_WRITE | RECLAIM_UNMAP, &v);

	(void)unused;
	if (!err)
		node_reclaim_mode = (int)v;
	return err;
}

static int min_unmapped_ratio_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%u\n", sysctl_min_unmapped_ratio);
	return 0;
}

/* 0..100 percent of each node: node_reclaim leaves that much page cache. */
static int min_unmapped_ratio_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 100, &v);

	(void)unused;
	if (!err) {
		sysctl_min_unmapped_ratio = (unsigned int)v;
		setup_per_zone_wmarks();
	}
	return err;
}

static int idle_reclaim_secs_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%u\n", sysctl_idle_reclaim_secs);
	return 0;
}

/* 0 (off) .. 86400 s: the age at which kidled reclaims an idle page. */
static int idle_reclaim_secs_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 86400, &v);

	(void)unused;
	return err ? err : idle_reclaim_set_secs(v);
}

static int page_cluster_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%d\n", page_cluster);
	return 0;
}

/* 0 (no readahead) .. 31 as Linux; the window stops at the page table. */
static int page_cluster_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 0, 31, &v);

	(void)unused;
	if (!err)
		page_cluster = (int)v;
	return err;
}

static int idle_reclaim_scan_ms_show(struct seq_buf *s, struct task_struct *unused)
{
	(void)unused;
	seq_printf(s, "%u\n", sysctl_idle_reclaim_scan_ms);
	return 0;
}

/* 10 ms .. 60 s between two looks at every page. */
static int idle_reclaim_scan_ms_write(const char *buf, struct task_struct *unused)
{
	unsigned long v;
	int err = proc_parse_ulong(buf, 10, 60000, &v);

	(void)unused;
	return err ? err : idle_reclaim_set_scan_ms(v);
}

static const struct proc_entry proc_vm_entries[] = {
	PROC_RW("min_free_kbytes", min_free_kbytes_show, min_free_kbytes_write),
	PROC_RW("watermark_scale_factor", watermark_scale_factor_show,
		watermark_scale_factor_write),
	PROC_RW("overcommit_memory", overcommit_memory_show, overcommit_memory_write),
	PROC_RW("overcommit_ratio", overcommit_ratio_show, overcommit_ratio_write),
	PROC_RW("panic_on_oom", panic_on_oom_show, panic_on_oom_write),
	PROC_RW("drop_caches", drop_caches_show, drop_caches_write),
	PROC_RW("swappiness", swappiness_show, swappiness_write),
	PROC_RW("dirty_writeback_centisecs", dirty_writeback_show, dirty_writeback_write),
	PROC_RW("dirty_expire_centisecs", dirty_expire_show, dirty_expire_write),
	PROC_RW("dirty_ratio", dirty_ratio_show, dirty_ratio_write),
	PROC_RW("dirty_bytes", dirty_bytes_show, dirty_bytes_write),
	PROC_RW("dirty_background_ratio", dirty_background_ratio_show,
		dirty_background_ratio_write),
	PROC_RW("dirty_background_bytes", dirty_background_bytes_show,
		dirty_background_bytes_write),
	PROC_RW("idle_reclaim_secs", idle_reclaim_secs_show, idle_reclaim_secs_write),
	PROC_RW("page-cluster", page_cluster_show, page_cluster_write),
	PROC_RW("idle_reclaim_scan_ms", idle_reclaim_scan_ms_show, idle_reclaim_scan_ms_write),
	PROC_RW("oom_kill_allocating_task", oom_kill_allocating_task_show,
		oom_kill_allocating_task_write),
	PROC_RW("zone_reclaim_mode", zone_reclaim_mode_show, zone_reclaim_mode_write),
	PROC_RW("min_unmapped_ratio", min_unmapped_ratio_show, min_unmapped_ratio_write),
	{NULL},
};

const struct proc_entry proc_sys_entries[] = {
	PROC_DIR("vm", proc_vm_entries),
	{NULL},
};

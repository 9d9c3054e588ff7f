/* Idle-page reclaim (concept C13: "swap happens both when memory is short
 * and when memory sits idle"). Off by default. Writing N > 0 to
 * /proc/sys/vm/idle_reclaim_secs starts kidled, a kernel thread that
 * every idle_reclaim_scan_ms looks at every page on the LRU lists, in
 * frame order:
 *
 *   - it harvests the page's accessed bits through the reverse map
 *     (page_idle_harvest), as Linux's idle page tracking does through
 *     /sys/kernel/mm/page_idle/bitmap: PG_idle is set at each look and
 *     cleared by any access seen since (an accessed bit in a PTE, or a
 *     read() or fault that finds a cached file page: mark_page_accessed);
 *     a harvested bit is kept in PG_young
 *     so that kswapd's second chance still sees the reference;
 *   - a page accessed since the last look has its idle age restarted:
 *     idle_slot(pfn) = jiffies (a side table, like Linux's page_ext);
 *   - a page idle for at least idle_reclaim_secs is reclaimed through the
 *     ordinary path: an anonymous page goes through the swap cache to a
 *     swap slot and every PTE gets the swap entry (reclaim_page, the same
 *     function kswapd uses); a clean file page is unmapped from every
 *     process and dropped (a dirty one is left to write-back).
 *
 * This is what Linux's DAMON_RECLAIM module does (min_age: pages not
 * accessed for that long are paged out; its monitoring samples accessed
 * bits over address regions instead of looking at every page). kidled
 * stays out of kswapd's way: it skips a period while kswapd is working
 * or free memory is below the low watermark (pressure reclaim is kswapd's
 * job, and the LRU order is its), and it never reorders the LRU lists.
 *
 * Counters in /proc/vmstat (Linux has no exact equivalent; DAMON reports
 * through its sysfs "stats" files): pgscan_idle (LRU pages looked at),
 * pgsteal_idle (pages reclaimed because idle), kidled_scans (complete
 * scans), kidled_skip_kswapd (periods skipped for kswapd). Reclaimed
 * pages also count in pswpout and pgsteal_anon / pgsteal_file, and show
 * per process as VmSwap in /proc/PID/status.
 *
 * GDB: `break kidled_reclaim`, then
 * `print idle_since[(page - mem_map) >> 19][(page - mem_map) & 0x7ffff]`. */
#include "mm/idle.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

unsigned int sysctl_idle_reclaim_secs;		 /* 0: off */
unsigned int sysctl_idle_reclaim_scan_ms = 1000; /* a look per second */

static struct task_struct *kidled_task;
static struct wait_queue_head kidled_wait;
/* Per frame: jiffies when the page was last seen accessed (or first
 * seen); 0 = not seen yet. Allocated on the first enable, in chunks of
 * 512 Ki frames (2 MiB each, under kmalloc's largest block of 4 MiB with
 * its header; one chunk covers 2 GiB of RAM). */
#define IDLE_CHUNK_SHIFT 19
#define IDLE_CHUNKS	 512 /* 1 TiB of frames */
static u32 *idle_since[IDLE_CHUNKS];

static u32 *idle_slot(unsigned long pfn)
{
	return &idle_since[pfn >> IDLE_CHUNK_SHIFT][pfn & ((1UL << IDLE_CHUNK_SHIFT) - 1)];
}

static void idle_table_free(void)
{
	for (int i = 0; i < IDLE_CHUNKS; i++) {
		kfree(idle_since[i]);
		idle_since[i] = NULL;
	}
}

/* The table for frames 0..max_pfn-1; 0 or -ENOMEM. */
static int idle_table_alloc(void)
{
	unsigned long chunks = (max_pfn + (1UL << IDLE_CHUNK_SHIFT) - 1) >> IDLE_CHUNK_SHIFT;

	if (chunks > IDLE_CHUNKS)
		return -ENOMEM;
	for (unsigned long i = 0; i < chunks; i++) {
		unsigned long frames =
			MIN(max_pfn - (i << IDLE_CHUNK_SHIFT), 1UL << IDLE_CHUNK_SHIFT);

		idle_since[i] = kzalloc(frames * sizeof(u32), GFP_KERNEL);
		if (!idle_since[i]) {
			idle_table_free();
			return -ENOMEM;
		}
	}
	return 0;
}

void page_idle_reset(struct page *page)
{
	ClearPageFlag(page, PG_idle);
	ClearPageFlag(page, PG_young);
	if (idle_since[0])
		*idle_slot(page_to_pfn(page)) = 0;
}

static u32 now_stamp(void)
{
	return (u32)jiffies | 1; /* never 0, which means "not seen" */
}

/* Reclaims one idle page; true if it was freed. Not inlined: a GDB
 * breakpoint (docs/reclaim.md). */
static __attribute__((noinline)) bool kidled_reclaim(struct page *page)
{
	bool file = PageFlag(page, PG_pagecache);

	if (file) {
		/* Dirty pages are write-back's business; a clean one is unmapped
		 * from every process and dropped. */
		if (PageFlag(page, PG_dirty) || PageFlag(page, PG_writeback) ||
		    (page->_mapcount >= 0 && !try_to_unmap_file(page)) ||
		    remove_from_page_cache(page))
			return false;
	} else if ((!PageFlag(page, PG_anon) && !PageFlag(page, PG_shmem)) || !nr_swap_pages ||
		   !reclaim_page(page)) { /* anonymous, private or shared: to swap */
		return false;
	}
	count_vm_events(PGSTEAL_IDLE, 1);
	count_vm_events(file ? PGSTEAL_FILE : PGSTEAL_ANON, 1);
	return true;
}

/* One look at one frame. */
static void kidled_scan_page(unsigned long pfn, u32 now, u32 min_age)
{
	struct page *page = pfn_to_page(pfn);
	u32 *since = idle_slot(pfn);

	if (!PageFlag(page, PG_lru)) {
		*since = 0;
		return;
	}
	count_vm_events(PGSCAN_IDLE, 1);
	count_vm_events(PageFlag(page, PG_pagecache) ? PGSCAN_FILE : PGSCAN_ANON, 1);
	if (page_idle_harvest(page) || !*since) {
		*since = now; /* accessed since the last look, or new to us */
	} else if (now - *since >= min_age) {
		if (kidled_reclaim(page)) {
			*since = 0;
			return;
		}
	}
	SetPageFlag(page, PG_idle);
}

/* Pressure reclaim is kswapd's: stay away while it is needed. */
static bool kswapd_busy(struct pglist_data *pgdat)
{
	const struct zone *z = &pgdat->node_zone;

	return pgdat->kswapd_wanted || z->free_pages <= z->_watermark[WMARK_LOW];
}

static void kidled_scan(void)
{
	u32 min_age = sysctl_idle_reclaim_secs * HZ;

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		unsigned long end = pgdat->node_start_pfn + pgdat->node_spanned_pages;

		if (kswapd_busy(pgdat)) {
			count_vm_events(KIDLED_SKIP_KSWAPD, 1);
			continue;
		}
		for (unsigned long pfn = pgdat->node_start_pfn; pfn < end; pfn++) {
			kidled_scan_page(pfn, now_stamp(), min_age);
			if ((pfn & 255) == 0) {
				preempt_if_needed(); /* a long scan must not starve users */
				if (!sysctl_idle_reclaim_secs || kswapd_busy(pgdat))
					break;
			}
		}
	}
	count_vm_events(KIDLED_SCANS, 1);
}

static int kidled(void *unused)
{
	(void)unused;
	current->flags |= PF_MEMALLOC; /* reclaim must not recurse into reclaim */
	for (;;) {
		wait_event_interruptible(kidled_wait, sysctl_idle_reclaim_secs != 0);
		schedule_timeout_until(jiffies + MAX(1UL, sysctl_idle_reclaim_scan_ms * HZ / 1000));
		if (sysctl_idle_reclaim_secs)
			kidled_scan();
	}
	return 0;
}

int idle_reclaim_set_secs(unsigned long secs)
{
	if (secs && !kidled_task) {
		if (idle_table_alloc())
			return -ENOMEM;
		init_waitqueue_head(&kidled_wait);
		kidled_task = kthread_create(kidled, NULL, "kidled");
		if (!kidled_task) {
			idle_table_free();
			return -ENOMEM;
		}
		pr_info("kidled: idle-page reclaim on: pages idle for %lu s go to swap\n", secs);
	}
	sysctl_idle_reclaim_secs = (unsigned int)secs;
	if (kidled_task)
		wake_up(&kidled_wait);
	return 0;
}

int idle_reclaim_set_scan_ms(unsigned long ms)
{
	sysctl_idle_reclaim_scan_ms = (unsigned int)ms;
	return 0;
}

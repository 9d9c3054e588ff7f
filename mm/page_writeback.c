/* Dirty page limits and the flusher (Linux's mm/page-writeback.c and its
 * per-device writeback thread, "flush-8:0" in the 2.6.32-3.x kernels).
 *
 * Limits: dirty + write-back pages may not exceed vm.dirty_ratio (20) per
 * cent of the dirtyable memory (free pages above the reserves plus the
 * file LRU, Linux's global_dirtyable_memory), or vm.dirty_bytes if that is
 * set. A task that dirties pages checks every few pages
 * (balance_dirty_pages_ratelimited) and, over the limit, writes pages back
 * itself until it is under it again: Linux's balance_dirty_pages as it was
 * until 3.2, when writers did their own I/O (later Linux makes them sleep
 * while the flusher writes; with synchronous disk I/O here, writing is the
 * same wait). Above vm.dirty_background_ratio (10) the flusher is woken to
 * write in the background, until the dirty pages are under that limit.
 *
 * Age: every vm.dirty_writeback_centisecs (default 500, 5 s; 0 turns the
 * periodic write-back off) the flusher also writes back the pages that
 * have been dirty for longer than vm.dirty_expire_centisecs (default 3000,
 * 30 s), as Linux's wb_writeback for old data does. Each page keeps the
 * jiffies it became dirty at in page->private (set_page_dirty). */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/vmstat.h"

int dirty_writeback_centisecs = 500;
int dirty_expire_centisecs = 3000;
int vm_dirty_ratio = 20;
int dirty_background_ratio = 10;
unsigned long vm_dirty_bytes, dirty_background_bytes;

/* Pages a background pass writes between two looks at the limit. */
#define BACKGROUND_CHUNK 64
/* Linux's ratelimit_pages: a task looks at the limits after dirtying
 * this many pages, or after DIRTY_EXCEEDED_RATELIMIT while some task is
 * over the hard limit. */
#define RATELIMIT_PAGES		 32
#define DIRTY_EXCEEDED_RATELIMIT 8
/* A throttled task writes this many pages before it may go on dirtying
 * (Linux's sync_writeback_pages: 1.5 x the ratelimit). */
#define WRITE_CHUNK (RATELIMIT_PAGES * 3 / 2)

static struct task_struct *flusher_task;
static bool dirty_exceeded; /* some task was over the hard limit */

/* Free pages above the reserves, plus the file LRU: what may be dirty. */
static unsigned long global_dirtyable_memory(void)
{
	unsigned long x = nr_free_pages();

	x -= MIN(x, totalreserve_pages());
	x += global_lru_pages(LRU_INACTIVE_FILE) + global_lru_pages(LRU_ACTIVE_FILE);
	return x + 1; /* never 0 */
}

void global_dirty_limits(unsigned long *background, unsigned long *dirty)
{
	unsigned long avail = global_dirtyable_memory();
	unsigned long thresh = vm_dirty_bytes ? DIV_ROUND_UP(vm_dirty_bytes, PAGE_SIZE)
					      : avail * (unsigned long)vm_dirty_ratio / 100;
	unsigned long bg = dirty_background_bytes
				   ? DIV_ROUND_UP(dirty_background_bytes, PAGE_SIZE)
				   : avail * (unsigned long)dirty_background_ratio / 100;

	if (bg >= thresh)
		bg = thresh / 2;
	*background = bg;
	*dirty = thresh;
}

static unsigned long nr_dirty_and_writeback(void)
{
	return vm_stat[NR_FILE_DIRTY] + vm_stat[NR_WRITEBACK];
}

static bool over_background_limit(void)
{
	unsigned long bg, thresh;

	global_dirty_limits(&bg, &thresh);
	return vm_stat[NR_FILE_DIRTY] > bg;
}

static void balance_dirty_pages(void)
{
	unsigned long written = 0, bg, thresh;

	for (;;) {
		global_dirty_limits(&bg, &thresh);
		if (nr_dirty_and_writeback() <= thresh) {
			dirty_exceeded = false;
			break;
		}
		dirty_exceeded = true;
		written += writeback_pages(WRITE_CHUNK - written);
		if (written >= WRITE_CHUNK)
			break;
		/* Nothing left to write but pages others are writing: wait
		 * a little for them (Linux's congestion_wait, HZ/10). */
		if (schedule_timeout_until(jiffies + HZ / 10))
			break; /* killed: let it die */
	}
	if (flusher_task && vm_stat[NR_FILE_DIRTY] > bg)
		wake_up_process(flusher_task);
}

void balance_dirty_pages_ratelimited(void)
{
	unsigned long ratelimit = dirty_exceeded ? DIRTY_EXCEEDED_RATELIMIT : RATELIMIT_PAGES;

	if (!current->mm || current->nr_dirtied < ratelimit)
		return;
	current->nr_dirtied = 0;
	balance_dirty_pages();
}

static int flusher(void *unused)
{
	u64 last = jiffies;

	(void)unused;
	for (;;) {
		u64 period = (u64)dirty_writeback_centisecs * HZ / 100;

		/* Background write-back first: down to the background limit,
		 * a chunk at a time (Linux's wb_check_background_flush). */
		while (over_background_limit() &&
		       writeback_pages(BACKGROUND_CHUNK) == BACKGROUND_CHUNK)
			preempt_if_needed();
		/* Wake at least every second, so a new setting takes effect
		 * soon (Linux wakes the thread when the sysctl is written);
		 * a writer crossing the background limit wakes it at once. */
		schedule_timeout(jiffies + (period && period < HZ ? period : HZ));
		if (!dirty_writeback_centisecs || jiffies - last < period)
			continue;
		last = jiffies;
		writeback_expired_pages((u64)dirty_expire_centisecs * HZ / 100);
	}
	return 0;
}

void flusher_init(void)
{
	flusher_task = kthread_create(flusher, NULL, "flush-8:0");
	if (!flusher_task)
		pr_err("writeback: cannot start the flusher thread\n");
}

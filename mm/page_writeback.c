/* The flusher (Linux's per-device writeback thread, "flush-8:0" in the
 * 2.6.32-3.x kernels): dirty file pages do not wait for fsync or for
 * reclaim forever. Every vm.dirty_writeback_centisecs (default 500, 5 s;
 * 0 turns the periodic write-back off) the thread writes back the pages
 * that have been dirty for longer than vm.dirty_expire_centisecs (default
 * 3000, 30 s), as Linux's wb_writeback for old data does. Each page keeps
 * the jiffies it became dirty at in page->private (set_page_dirty). */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/filemap.h"

int dirty_writeback_centisecs = 500;
int dirty_expire_centisecs = 3000;

static int flusher(void *unused)
{
	u64 last = jiffies;

	(void)unused;
	for (;;) {
		u64 period = (u64)dirty_writeback_centisecs * HZ / 100;

		/* Wake at least every second, so a new setting takes effect
		 * soon (Linux wakes the thread when the sysctl is written). */
		schedule_timeout_until(jiffies + (period && period < HZ ? period : HZ));
		if (!dirty_writeback_centisecs || jiffies - last < period)
			continue;
		last = jiffies;
		writeback_expired_pages((u64)dirty_expire_centisecs * HZ / 100);
	}
	return 0;
}

void flusher_init(void)
{
	if (!kthread_create(flusher, NULL, "flush-8:0"))
		pr_err("writeback: cannot start the flusher thread\n");
}

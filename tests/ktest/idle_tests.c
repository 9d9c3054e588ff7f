/* In-kernel test of the idle-page reclaimer's side table (mm/idle.c): on a
 * machine with more than 4 GiB of RAM (more frames than kmalloc's largest
 * block has room for, so the table is in chunks) kidled starts and
 * completes scans of every frame. Runs in the boot thread, the idle task: it halts while kidled
 * works. */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/idle.h"
#include "mm/page.h"
#include "mm/vmstat.h"

KTEST(idle_table)
{
	unsigned long scans = vm_events[KIDLED_SCANS];
	u64 deadline;

	KTEST_EXPECT(max_pfn > (4UL << 30) / PAGE_SIZE, "more than 4 GiB of frames (%lu)", max_pfn);
	/* An age no page reaches: kidled looks at every frame, takes none. */
	idle_reclaim_set_scan_ms(100);
	if (!KTEST_EXPECT(idle_reclaim_set_secs(86400) == 0, "kidled starts"))
		return;
	deadline = jiffies + 60 * HZ;
	while (vm_events[KIDLED_SCANS] < scans + 2 && jiffies < deadline) {
		schedule();
		halt();
	}
	KTEST_EXPECT(vm_events[KIDLED_SCANS] >= scans + 2, "two complete scans of %lu frames",
		     max_pfn);
	KTEST_EXPECT(vm_events[PGSTEAL_IDLE] == 0, "no page taken (none is a day old)");
	idle_reclaim_set_secs(0);
	idle_reclaim_set_scan_ms(1000);
}

/* Storage and names of the vm event counters (mm/vmstat.h). */
#include "mm/vmstat.h"
#include "mm/mmzone.h"

unsigned long vm_events[NR_VM_EVENT_ITEMS];
unsigned long vm_stat[NR_VM_STAT_ITEMS];

const char *const vm_stat_names[NR_VM_STAT_ITEMS] = {
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_SHMEM] = "nr_shmem",
	[NR_SWAPCACHE] = "nr_swapcached",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC_NORMAL] = "pgalloc_normal",
	[PGFREE] = "pgfree",
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSCAN_ANON] = "pgscan_anon",
	[PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon",
	[PGSTEAL_FILE] = "pgsteal_file",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGREFILL] = "pgrefill",
	[ALLOCSTALL] = "allocstall",
	[PAGEOUTRUN] = "pageoutrun",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[OOM_KILL] = "oom_kill",
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[ZONE_RECLAIM_FAILED] = "zone_reclaim_failed",
	[PGSCAN_IDLE] = "pgscan_idle",
	[PGSTEAL_IDLE] = "pgsteal_idle",
	[KIDLED_SCANS] = "kidled_scans",
	[KIDLED_SKIP_KSWAPD] = "kidled_skip_kswapd",
	[SWAP_RA] = "swap_ra",
	[SWAP_RA_HIT] = "swap_ra_hit",
};

const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	[NUMA_HIT] = "numa_hit",	 [NUMA_MISS] = "numa_miss",
	[NUMA_FOREIGN] = "numa_foreign", [NUMA_INTERLEAVE_HIT] = "interleave_hit",
	[NUMA_LOCAL] = "local_node",	 [NUMA_OTHER] = "other_node",
};

void mod_node_page_state(const struct page *page, enum vm_stat_item item, long delta)
{
	vm_stat[item] += (unsigned long)delta;
	NODE_DATA(page_to_nid(page))->vm_stat[item] += (unsigned long)delta;
}

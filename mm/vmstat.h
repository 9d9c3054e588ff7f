/* Event counters with Linux's /proc/vmstat names. Each is bumped by the
 * code path it names, nowhere else. */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

enum vm_event_item {
	PGALLOC_NORMAL, /* pages allocated from a Normal zone */
	PGFREE,		/* pages freed */
	PGFAULT,	/* page faults handled (mm/fault.c) */
	PGMAJFAULT,	/* faults that had to read from disk (swap-in) */
	PSWPIN,		/* pages read from swap */
	PSWPOUT,	/* pages written to swap */
	PGSCAN_KSWAPD,	/* pages scanned by kswapd */
	PGSCAN_DIRECT,	/* pages scanned by direct reclaim */
	PGSTEAL_KSWAPD, /* pages reclaimed by kswapd */
	PGSTEAL_DIRECT, /* pages reclaimed by direct reclaim */
	PGSCAN_ANON,
	PGSCAN_FILE,
	PGSTEAL_ANON,
	PGSTEAL_FILE,
	PGACTIVATE,   /* inactive -> active (referenced) */
	PGDEACTIVATE, /* active -> inactive */
	PGREFILL,     /* active pages scanned to refill the inactive list */
	ALLOCSTALL,   /* allocations that had to reclaim directly */
	PAGEOUTRUN,   /* kswapd balancing runs */
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	OOM_KILL,	     /* processes killed by the OOM killer */
	PGPGIN,		     /* sectors read from block devices (shown in KiB, as Linux) */
	PGPGOUT,	     /* sectors written to block devices (shown in KiB) */
	ZONE_RECLAIM_FAILED, /* node_reclaim scanned but freed too little */
	/* Idle-page reclaim (mm/idle.c); no Linux equivalent by these names. */
	PGSCAN_IDLE,	    /* LRU pages kidled looked at */
	PGSTEAL_IDLE,	    /* pages kidled reclaimed because they sat idle */
	KIDLED_SCANS,	    /* kidled's complete looks at memory */
	KIDLED_SKIP_KSWAPD, /* looks skipped because kswapd was working */
	SWAP_RA,	    /* pages read by swap readahead (mm/fault.c) */
	SWAP_RA_HIT,	    /* of those, pages a fault then found in the swap cache */
	NR_VM_EVENT_ITEMS,
};

/* Counts of pages in a state (Linux's node_stat_item), same names. */
enum vm_stat_item {
	NR_ANON_MAPPED, /* "nr_anon_pages": AnonPages in meminfo */
	NR_SHMEM,	/* "nr_shmem": Shmem in meminfo */
	NR_SWAPCACHE,	/* "nr_swapcached": SwapCached in meminfo */
	NR_FILE_PAGES,	/* "nr_file_pages": the page cache, Cached in meminfo */
	NR_FILE_DIRTY,	/* "nr_dirty": page cache pages newer than the disk (Dirty) */
	NR_WRITEBACK,	/* "nr_writeback": pages being written back (Writeback) */
	NR_FILE_MAPPED, /* "nr_mapped": page cache pages mapped by a process (Mapped) */
	NR_DIRTIED,	/* "nr_dirtied": pages that became dirty, since boot */
	NR_WRITTEN,	/* "nr_written": pages written back, since boot */
	/* Refault detection (mm/workingset.c); events, kept per node as Linux. */
	WORKINGSET_REFAULT_ANON,  /* swap-ins of pages that left a shadow entry */
	WORKINGSET_ACTIVATE_ANON, /* of those, activated by their refault distance */
	WORKINGSET_RESTORE_ANON,  /* of those, pages that were active before eviction */
	NR_VM_STAT_ITEMS,
};

extern unsigned long vm_stat[NR_VM_STAT_ITEMS];
extern const char *const vm_stat_names[NR_VM_STAT_ITEMS];
extern unsigned long vm_events[NR_VM_EVENT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	vm_events[item] += delta;
}

/* Adds delta to a page-state count, globally and for the page's node
 * (mm/vmstat.c; Linux's mod_node_page_state). */
struct page;
void mod_node_page_state(const struct page *page, enum vm_stat_item item, long delta);

#endif

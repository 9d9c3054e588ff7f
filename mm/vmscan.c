/* Reclaim (concepts C6, C9, C10, C11): when free memory runs low, take
 * pages back from processes. Pages live on per-node LRU lists: new pages
 * start on the inactive list; reclaim scans the inactive list from its
 * tail, looks at the accessed bits (harvested through the reverse map):
 * an anon page referenced on two looks in a row moves to the active list,
 * one referenced once gets another trip round the inactive list, the
 * others are written to swap and freed, leaving a shadow entry for
 * refault detection (mm/workingset.c). The active list is aged into the
 * inactive one when the inactive list gets too small.
 *
 * Two callers: kswapd, a kernel thread per node woken when free memory
 * falls below the low watermark, which reclaims in the background until it
 * is above high; and direct reclaim, when an allocation finds free memory
 * below min: the allocating task reclaims itself and is stalled
 * (allocstall). File pages (the page cache) are on their own pair of lists:
 * clean ones are dropped, dirty ones written back first (shrink_file_list);
 * swappiness weighs anon against file scanning. */
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/filemap.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/idle.h"
#include "mm/mmzone.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define SWAP_CLUSTER_MAX 32 /* pages reclaimed per round, as Linux */

int vm_swappiness = 60;

/* What one reclaim pass may do (the part of Linux's struct scan_control
 * we need): node_reclaim may be told not to unmap or not to write. */
struct scan_control {
	bool kswapd;	    /* counts as kswapd's work (pgscan_kswapd, ...) */
	bool may_unmap;	    /* take mapped pages: anonymous (swap) and mapped files */
	bool may_writepage; /* write dirty file pages back */
};

static const struct scan_control sc_kswapd = {true, true, true};
static const struct scan_control sc_direct = {false, true, true};

static struct pglist_data *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

/* The list a page belongs on: page cache pages on the file lists, every
 * other LRU page on the anon ones. */
static enum lru_list page_lru(const struct page *page)
{
	enum lru_list base = PageFlag(page, PG_pagecache) ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;

	return base + (PageFlag(page, PG_active) ? 1 : 0);
}

/* A new anonymous page goes on the inactive list, unless refault
 * detection activated it already (mm/workingset.c). */
void lru_cache_add(struct page *page)
{
	struct pglist_data *pgdat = page_pgdat(page);

	page_idle_reset(page);
	SetPageFlag(page, PG_lru);
	list_add(&page->lru, &pgdat->lru[page_lru(page)]);
	pgdat->nr_lru[page_lru(page)]++;
}

void lru_cache_add_file(struct page *page)
{
	struct pglist_data *pgdat = page_pgdat(page);

	page_idle_reset(page);
	SetPageFlag(page, PG_lru);
	list_add(&page->lru, &pgdat->lru[LRU_INACTIVE_FILE]);
	pgdat->nr_lru[LRU_INACTIVE_FILE]++;
}

void lru_del(struct page *page)
{
	struct pglist_data *pgdat = page_pgdat(page);

	if (!PageFlag(page, PG_lru))
		return;
	list_del(&page->lru);
	pgdat->nr_lru[page_lru(page)]--;
	ClearPageFlag(page, PG_lru);
	ClearPageFlag(page, PG_active);
}

/* To the head of the page's active or inactive list. An activation moves
 * every inactive page behind it one slot towards the tail, as an
 * eviction does: both tick the workingset clock (mm/workingset.c). */
static void move_to_lru(struct page *page, bool active)
{
	lru_del(page);
	if (active) {
		SetPageFlag(page, PG_active);
		workingset_age_nonresident(page_pgdat(page), 1);
	}
	SetPageFlag(page, PG_lru);
	list_add(&page->lru, &page_pgdat(page)->lru[page_lru(page)]);
	page_pgdat(page)->nr_lru[page_lru(page)]++;
}

void activate_page(struct page *page)
{
	if (PageFlag(page, PG_lru) && !PageFlag(page, PG_active))
		move_to_lru(page, true);
}

/* Linux's inactive_is_low: the inactive list should hold about
 * 1/(1+ratio) of the pages, ratio = sqrt(10 * GiB of the lists), min 1. */
static bool inactive_is_low(struct pglist_data *pgdat, bool file)
{
	enum lru_list base = file ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
	unsigned long inactive = pgdat->nr_lru[base];
	unsigned long active = pgdat->nr_lru[base + 1];
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

/* Moves up to nr pages from the tail of the (anon or file) active list to
 * the inactive one, clearing their accessed bits on the way (Linux's
 * shrink_active_list). They are marked PG_workingset: if one is evicted
 * and refaults, it was part of the workingset (workingset_restore_anon). */
static void shrink_active_list(struct pglist_data *pgdat, unsigned long nr, bool file)
{
	struct list_head *list = &pgdat->lru[file ? LRU_ACTIVE_FILE : LRU_ACTIVE_ANON];

	while (nr-- && !list_empty(list)) {
		struct page *page = list_entry(list->prev, struct page, lru);

		count_vm_events(PGREFILL, 1);
		page_referenced(page);
		move_to_lru(page, false);
		SetPageFlag(page, PG_workingset);
		count_vm_events(PGDEACTIVATE, 1);
	}
}

/* Tries to free one inactive page: swap it out and unmap it everywhere.
 * An anonymous page's PTEs get its swap entry; a shmem page's PTEs are
 * cleared and the entry goes into its object (mm/shmem.c). Returns true
 * if the page was freed. */
bool reclaim_page(struct page *page)
{
	swp_entry_t e = {PageFlag(page, PG_swapcache) ? page->private : 0};
	bool shmem = PageFlag(page, PG_shmem);
	void *shadow;

	if (!e.val) {
		e = get_swap_page();
		if (!e.val)
			return false;		  /* no swap, or swap full */
		add_to_swap_cache(page, e, NULL); /* the slot's first reference is the cache's */
		if (swap_writepage(page, e)) {
			delete_from_swap_cache(page);
			return false;
		}
	}
	if (shmem ? !shmem_writeout(page, e) : !try_to_unmap(page, e)) {
		/* Mapped somewhere we cannot see: keep it. A shmem page is
		 * still its object's, so it leaves the swap cache and frees
		 * the slot; an anonymous one stays there for the PTEs that
		 * hold its entry already. */
		if (shmem)
			delete_from_swap_cache(page);
		return false;
	}
	shadow = workingset_eviction(page);
	lru_del(page);
	__delete_from_swap_cache(page, shadow); /* the last reference: the page is freed */
	return true;
}

/* What reclaim does with an inactive anon page, from its accessed bits
 * (Linux's folio_check_references): every page comes in with one, set
 * by the fault that brought it, so one reference proves nothing. A page
 * referenced since the last look gets PG_referenced and another trip
 * round the inactive list; referenced again there (or mapped and used
 * by several processes at once), it is activated. Not referenced: it
 * goes. A page used once in a long while thus never reaches the active
 * list, whose pages stay protected. */
enum page_references {
	PAGEREF_RECLAIM,
	PAGEREF_KEEP,
	PAGEREF_ACTIVATE
};

static enum page_references page_check_references(struct page *page)
{
	int referenced_ptes = page_referenced(page);
	bool referenced_page = PageFlag(page, PG_referenced);

	ClearPageFlag(page, PG_referenced);
	if (!referenced_ptes)
		return PAGEREF_RECLAIM;
	SetPageFlag(page, PG_referenced);
	return referenced_page || referenced_ptes > 1 ? PAGEREF_ACTIVATE : PAGEREF_KEEP;
}

/* Scans up to nr pages from the inactive tail, stopping once `want` are
 * freed (Linux's nr_to_reclaim); returns pages freed. */
static unsigned long shrink_inactive_list(struct pglist_data *pgdat, unsigned long nr,
					  unsigned long want, bool kswapd)
{
	struct list_head *list = &pgdat->lru[LRU_INACTIVE_ANON];
	unsigned long freed = 0;

	while (nr-- && freed < want && !list_empty(list)) {
		struct page *page = list_entry(list->prev, struct page, lru);

		count_vm_events(kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, 1);
		count_vm_events(PGSCAN_ANON, 1);
		switch (page_check_references(page)) {
		case PAGEREF_ACTIVATE:
			move_to_lru(page, true);
			count_vm_events(PGACTIVATE, 1);
			continue;
		case PAGEREF_KEEP:
			move_to_lru(page, false); /* to the head: another trip */
			continue;
		case PAGEREF_RECLAIM:
			break;
		}
		if (reclaim_page(page)) {
			freed++;
		} else {
			move_to_lru(page, true); /* could not: keep it away for a while */
			count_vm_events(PGACTIVATE, 1);
		}
	}
	count_vm_events(kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, freed);
	count_vm_events(PGSTEAL_ANON, freed);
	return freed;
}

/* Page cache pages from the inactive file tail (concept C9): a page a
 * process touched since the last look (accessed bit, through the reverse
 * map) gets a second chance on the active list; a mapped one is unmapped
 * from every process; a dirty one is written back first (pageout: the
 * disk must have the bytes before the memory goes; nr_written); then the
 * clean page is dropped. A clean page costs no I/O at all. Returns pages
 * freed. */
static unsigned long shrink_file_list(struct pglist_data *pgdat, unsigned long nr,
				      unsigned long want, const struct scan_control *sc)
{
	struct list_head *list = &pgdat->lru[LRU_INACTIVE_FILE];
	unsigned long freed = 0;

	while (nr-- && freed < want && !list_empty(list)) {
		struct page *page = list_entry(list->prev, struct page, lru);
		bool mapped = page->_mapcount >= 0;

		count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, 1);
		count_vm_events(PGSCAN_FILE, 1);
		if ((mapped && !sc->may_unmap) ||
		    (PageFlag(page, PG_dirty) && !sc->may_writepage)) {
			move_to_lru(page, false); /* not ours to take: to the list head */
			continue;
		}
		if (mapped && page_referenced(page)) {
			move_to_lru(page, true); /* second chance */
			count_vm_events(PGACTIVATE, 1);
			continue;
		}
		if ((!mapped || try_to_unmap_file(page)) &&
		    (!PageFlag(page, PG_dirty) || write_one_page(page) == 0) &&
		    remove_from_page_cache(page) == 0) {
			freed++;
			continue;
		}
		move_to_lru(page, true); /* in use, or its write failed: keep it for now */
	}
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, freed);
	count_vm_events(PGSTEAL_FILE, freed);
	return freed;
}

/* Linux's file_is_tiny: the page cache and free memory together are
 * below the high watermark. Scanning the file pages then would thrash
 * them: each one dropped (the text of the very programs running) is read
 * back at once and goes to the head of a list that keeps getting shorter,
 * "the cache trap". Reclaim takes anon pages only, if there are enough
 * inactive ones. */
static bool file_is_tiny(struct pglist_data *pgdat, unsigned long file)
{
	const struct zone *z = &pgdat->node_zone;

	return file + z->free_pages <= z->_watermark[WMARK_HIGH] &&
	       pgdat->nr_lru[LRU_INACTIVE_ANON] && !inactive_is_low(pgdat, false);
}

/* How to split a scan of nr pages between anon and file (the equal-cost
 * case of Linux's get_scan_count): anon gets swappiness/200 of it, file
 * the rest. Without swap, anon cannot be reclaimed; with swappiness 0,
 * anon is scanned only once the file pages are gone, or are so few that
 * scanning them would thrash them (file_is_tiny). */
static unsigned long anon_share(struct pglist_data *pgdat, unsigned long nr)
{
	unsigned long file = pgdat->nr_lru[LRU_INACTIVE_FILE] + pgdat->nr_lru[LRU_ACTIVE_FILE];

	if (!nr_swap_pages)
		return 0;
	if (!file || file_is_tiny(pgdat, file))
		return nr;
	return nr * (unsigned long)vm_swappiness / 200;
}

static unsigned long shrink_node(struct pglist_data *pgdat, unsigned long nr,
				 const struct scan_control *sc)
{
	unsigned long anon = sc->may_unmap ? anon_share(pgdat, nr) : 0, freed;

	if (anon && inactive_is_low(pgdat, false))
		shrink_active_list(pgdat, anon, false);
	if (nr > anon && inactive_is_low(pgdat, true))
		shrink_active_list(pgdat, nr - anon, true);
	freed = anon ? shrink_inactive_list(pgdat, anon, SWAP_CLUSTER_MAX, sc->kswapd) : 0;
	if (freed < SWAP_CLUSTER_MAX)
		freed += shrink_file_list(pgdat, MAX(nr - anon, 1UL), SWAP_CLUSTER_MAX - freed, sc);
	return freed;
}

/* Direct reclaim on the nodes in nodemask (the short ones the allocation
 * may use, mm/page_alloc.c). Like Linux's scan priority: look at 1/64 of
 * each node's LRU, then 1/32, ... up to all of it, until nr pages are
 * free. */
unsigned long try_to_free_pages(unsigned long nodemask, unsigned long nr)
{
	unsigned long freed = 0;

	count_vm_events(ALLOCSTALL, 1);
	nr = MAX(nr, SWAP_CLUSTER_MAX); /* a cluster for ourselves, not everyone's */
	for (int priority = 6; priority >= 0 && freed < nr; priority--)
		for (int nid = 0; nid < nr_online_nodes && freed < nr; nid++) {
			struct pglist_data *pgdat = NODE_DATA(nid);
			unsigned long lru =
				pgdat->nr_lru[LRU_INACTIVE_ANON] + pgdat->nr_lru[LRU_ACTIVE_ANON];

			if ((nodemask >> nid) & 1)
				freed += shrink_node(pgdat, MAX(SWAP_CLUSTER_MAX, lru >> priority),
						     &sc_direct);
		}
	return freed;
}

/* Linux's node_pagecache_reclaimable: the page cache node_reclaim may
 * take: without RECLAIM_UNMAP only unmapped pages, without RECLAIM_WRITE
 * not the dirty ones. */
static unsigned long node_pagecache_reclaimable(struct pglist_data *pgdat)
{
	const unsigned long *st = pgdat->vm_stat;
	unsigned long file = st[NR_FILE_PAGES];
	unsigned long nr = file - MIN(st[NR_FILE_MAPPED], file), skip = 0;

	if (node_reclaim_mode & RECLAIM_UNMAP)
		nr = file;
	if (!(node_reclaim_mode & RECLAIM_WRITE))
		skip = st[NR_FILE_DIRTY];
	return nr > skip ? nr - skip : 0;
}

/* zone_reclaim_mode != 0 (Linux's node_reclaim): before an allocation
 * leaves this node, free at least 2^order of its pages. RECLAIM_ZONE
 * drops clean unmapped page cache; RECLAIM_WRITE also writes dirty file
 * pages back so they can go; RECLAIM_UNMAP also unmaps: mapped file pages
 * and anonymous pages (swapped out) become fair game. As in Linux,
 * nothing is done unless the node holds more than min_unmapped_pages (1%
 * of it) of such page cache, the caller may sleep and is not reclaiming
 * already, and the node has no CPU other than ours. Returns true if
 * enough was freed. */
bool node_reclaim(struct pglist_data *pgdat, gfp_t gfp, unsigned int order)
{
	struct scan_control sc = {false, node_reclaim_mode & RECLAIM_UNMAP,
				  node_reclaim_mode & RECLAIM_WRITE};
	unsigned long nr = 1UL << order, freed = 0;

	if (node_pagecache_reclaimable(pgdat) <= pgdat->min_unmapped_pages)
		return false;
	if (!(gfp & __GFP_RECLAIM) || !current || (current->flags & PF_MEMALLOC))
		return false;
	if (node_has_cpu(pgdat->node_id) && pgdat->node_id != numa_node_id())
		return false;
	current->flags |= PF_MEMALLOC;
	for (int priority = 4; priority >= 0 && freed < nr; priority--) {
		unsigned long lru =
			pgdat->nr_lru[LRU_INACTIVE_FILE] + pgdat->nr_lru[LRU_ACTIVE_FILE];

		if (sc.may_unmap)
			lru += pgdat->nr_lru[LRU_INACTIVE_ANON] + pgdat->nr_lru[LRU_ACTIVE_ANON];
		freed += shrink_node(pgdat, MAX(SWAP_CLUSTER_MAX, lru >> priority), &sc);
	}
	current->flags &= ~PF_MEMALLOC;
	if (freed < nr)
		count_vm_events(ZONE_RECLAIM_FAILED, 1);
	return freed >= nr;
}

static bool node_balanced(struct pglist_data *pgdat, int mark)
{
	const struct zone *z = &pgdat->node_zone;

	return z->free_pages > z->_watermark[mark];
}

void wakeup_kswapd(int nid)
{
	struct pglist_data *pgdat = NODE_DATA(nid);

	if (!pgdat->kswapd || pgdat->kswapd_wanted)
		return;
	pgdat->kswapd_wanted = true;
	wake_up(&pgdat->kswapd_wait);
}

/* kswapd's loop: sleep until the allocator asks, reclaim until free
 * memory is above the high watermark, nap 100 ms to see whether memory
 * runs low again at once (the *_hit_quickly counters), then sleep. */
static int kswapd(void *arg)
{
	struct pglist_data *pgdat = arg;

	current->flags |= PF_MEMALLOC; /* its own allocations never reclaim */
	for (;;) {
		wait_event_interruptible(pgdat->kswapd_wait, pgdat->kswapd_wanted);
		count_vm_events(PAGEOUTRUN, 1);
		for (int round = 0; round < 64 && !node_balanced(pgdat, WMARK_HIGH); round++)
			if (!shrink_node(pgdat, SWAP_CLUSTER_MAX, &sc_kswapd) && round > 8)
				break; /* nothing reclaimable: give up until woken again */
		pgdat->kswapd_wanted = false;
		if (schedule_timeout_until(jiffies + HZ / 10) == 0 && !pgdat->kswapd_wanted)
			count_vm_events(KSWAPD_HIGH_WMARK_HIT_QUICKLY, 1);
		else
			count_vm_events(KSWAPD_LOW_WMARK_HIT_QUICKLY, 1);
	}
	return 0;
}

void kswapd_init(void)
{
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		char name[16];

		snprintf(name, sizeof(name), "kswapd%d", nid);
		init_waitqueue_head(&pgdat->kswapd_wait);
		pgdat->kswapd = kthread_create(kswapd, pgdat, name);
	}
}

/* Workingset refault detection for anonymous pages (concepts C9, C13;
 * Linux's mm/workingset.c ideas, in our words).
 *
 * The inactive list is where a page proves it is used more than once.
 * When it is too short for that, pages are evicted just before their
 * next use and come back at once from swap: a refault. To tell such a
 * page from one that is truly cold, every node counts its "nonresident
 * age": one tick per eviction and per activation, the two events that
 * move an inactive page one slot towards the tail. At eviction the
 * page leaves a shadow entry in its swap-cache slot holding the age at
 * that moment. At refault, the age that passed since is the refault
 * distance: the number of extra inactive slots the page would have needed
 * to stay resident. If that is no more than the workingset the page
 * competes with (the active anon list and the file lists), the page is
 * activated at once instead of starting over on the inactive list:
 * it would have been in memory had the active list been that much smaller.
 * A larger distance means the page's reuse does not fit in memory at all;
 * it stays inactive, and the active list stays protected.
 *
 * Shadow entries live in the swap cache's slot array itself, tagged with
 * bit 0 as Linux's xarray "value entries" are; they go when the swap slot
 * is freed. Linux keeps them in radix-tree nodes that a shrinker reclaims
 * (workingset_nodereclaim); ours take no memory of their own, so there is
 * nothing to reclaim and no such counter.
 *
 * Counters (/proc/vmstat, Linux's names): workingset_refault_anon (swap-ins
 * that found a shadow), workingset_activate_anon (of those, pages
 * activated by their distance), workingset_restore_anon (activated pages
 * that had been active before eviction: the workingset itself thrashing).
 *
 * GDB (docs/reclaim.md, tests/scripts/gdb_workingset.sh): `break
 * workingset_refault`, print the distance from `shadow` and the node's
 * nonresident_age, `finish`, and see whether PG_active was set. */
#include "mm/mmzone.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* A shadow entry: bit 0 tags it as no page pointer, bit 1 is
 * PG_workingset at eviction, the node id comes next, the age above. */
#define SHADOW_WORKINGSET (1UL << 1)
#define SHADOW_NODE_SHIFT 2
#define SHADOW_NODE_BITS  3 /* MAX_NUMNODES = 8 */
#define SHADOW_AGE_SHIFT  (SHADOW_NODE_SHIFT + SHADOW_NODE_BITS)
#define SHADOW_AGE_MASK	  (~0UL >> SHADOW_AGE_SHIFT)

bool is_shadow_entry(const void *entry)
{
	return (unsigned long)entry & 1;
}

void workingset_age_nonresident(struct pglist_data *pgdat, unsigned long nr)
{
	pgdat->nonresident_age += nr;
}

void *workingset_eviction(struct page *page)
{
	int nid = page_to_nid(page);
	struct pglist_data *pgdat = NODE_DATA(nid);
	unsigned long age = pgdat->nonresident_age & SHADOW_AGE_MASK;

	workingset_age_nonresident(pgdat, 1);
	return (void *)((age << SHADOW_AGE_SHIFT) | ((unsigned long)nid << SHADOW_NODE_SHIFT) |
			(PageFlag(page, PG_workingset) ? SHADOW_WORKINGSET : 0) | 1);
}

/* Called for a page just read back from swap, before it goes on an LRU
 * list: sets PG_active if its refault distance says it belongs to the
 * workingset. */
void workingset_refault(struct page *page, void *shadow)
{
	unsigned long entry = (unsigned long)shadow;
	struct pglist_data *pgdat =
		NODE_DATA((entry >> SHADOW_NODE_SHIFT) & ((1UL << SHADOW_NODE_BITS) - 1));
	unsigned long eviction = entry >> SHADOW_AGE_SHIFT;
	unsigned long distance = (pgdat->nonresident_age - eviction) & SHADOW_AGE_MASK;
	/* What an anon page competes with: the active anon pages (the
	 * inactive ones are its own list, which the distance measures), and
	 * both file lists, since reclaim can take file pages instead. */
	unsigned long workingset = pgdat->nr_lru[LRU_ACTIVE_ANON] + pgdat->nr_lru[LRU_ACTIVE_FILE] +
				   pgdat->nr_lru[LRU_INACTIVE_FILE];

	mod_node_page_state(page, WORKINGSET_REFAULT_ANON, 1);
	if (distance > workingset)
		return;
	SetPageFlag(page, PG_active);
	workingset_age_nonresident(pgdat, 1);
	mod_node_page_state(page, WORKINGSET_ACTIVATE_ANON, 1);
	if (entry & SHADOW_WORKINGSET) {
		SetPageFlag(page, PG_workingset);
		mod_node_page_state(page, WORKINGSET_RESTORE_ANON, 1);
	}
}

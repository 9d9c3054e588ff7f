/* The page allocator: the buddy free lists of every node's zone, guarded by
 * watermarks. An allocation takes pages from the first zone in its node's
 * fallback list that stays above the low watermark (the fast path); failing
 * that, it may go down to the min watermark (the slow path, where kswapd
 * and direct reclaim will hook in: concepts C6, C11). */
#include "mm/gfp.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/mmzone.h"
#include "mm/oom_kill.h"
#include "mm/swap.h"
#include "kernel/signal.h"
#include "kernel/time.h"
#include "mm/vmstat.h"
#include "kernel/sched.h"

#define MAX_RECLAIM_RETRIES 16	     /* Linux's */
#define MAX_OOM_WAIT_TICKS  (5 * HZ) /* then give up: -ENOMEM */

struct pglist_data node_data[MAX_NUMNODES];
int nr_online_nodes;
unsigned long min_free_kbytes;
unsigned int watermark_scale_factor = 10;

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->_refcount = 1;
	page->_mapcount = -1;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

static struct page *rmqueue(struct zone *z, unsigned int order)
{
	u64 flags = irq_save();
	struct page *page = buddy_alloc(z, order);

	irq_restore(flags);
	return page;
}

/* Tries every online node starting with the preferred one, taking from the
 * first whose zone passes the watermark check. */
static struct page *get_page_from_freelist(int preferred, unsigned int order, int wmark,
					   bool high_priority)
{
	for (int i = 0; i < nr_online_nodes; i++) {
		struct zone *z = &NODE_DATA((preferred + i) % nr_online_nodes)->node_zone;
		struct page *page;

		if (!zone_watermark_ok(z, order, z->_watermark[wmark], high_priority))
			continue;
		page = rmqueue(z, order);
		if (page)
			return page;
	}
	return NULL;
}

static void warn_alloc(gfp_t gfp, unsigned int order)
{
	if (gfp & __GFP_NOWARN)
		return;
	pr_warn("page allocation failure: order:%u, mode:%#x, free:%lu pages\n", order, gfp,
		nr_free_pages());
}

/* Direct reclaim needs a task that may sleep and is not reclaiming
 * already (kswapd, or a task inside try_to_free_pages). */
static bool can_direct_reclaim(gfp_t gfp)
{
	return (gfp & __GFP_RECLAIM) && current && !(current->flags & PF_MEMALLOC);
}

/* The OOM killer serves process context only: not the boot thread
 * (idle), and not callers that would rather fail (__GFP_NORETRY). */
static bool may_oom_kill(gfp_t gfp)
{
	return can_direct_reclaim(gfp) && !(gfp & __GFP_NORETRY) && current->pid != 0;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (order > MAX_ORDER)
		return NULL;
	if (nid == NUMA_NO_NODE)
		nid = 0;
	page = get_page_from_freelist(nid, order, WMARK_LOW, false);
	if (!page) {
		/* Below low: background reclaim starts; we may still go to min. */
		wakeup_kswapd(nid);
		page = get_page_from_freelist(nid, order, WMARK_MIN, gfp & __GFP_HIGH);
	}
	/* Below min: the caller reclaims for itself (direct reclaim). */
	for (int retry = 0; !page && can_direct_reclaim(gfp) && retry < MAX_RECLAIM_RETRIES;
	     retry++) {
		current->flags |= PF_MEMALLOC; /* reclaim must not recurse into itself */
		unsigned long freed = try_to_free_pages(nid, 1UL << order);
		current->flags &= ~PF_MEMALLOC;
		page = get_page_from_freelist(nid, order, WMARK_MIN, gfp & __GFP_HIGH);
		if (!page && !freed)
			break;
	}
	/* Reclaim found nothing: the OOM killer frees memory by killing. */
	for (int round = 0; !page && may_oom_kill(gfp) && round < MAX_OOM_WAIT_TICKS; round++) {
		out_of_memory(gfp, order);
		if (current->pending_signals & (1UL << (SIGKILL - 1)))
			break; /* we are the victim: fail, and die on the way out */
		schedule_timeout_until(jiffies + 1); /* let a dying victim exit */
		page = get_page_from_freelist(nid, order, WMARK_MIN, gfp & __GFP_HIGH);
	}
	if (!page) {
		warn_alloc(gfp, order);
		return NULL;
	}
	count_vm_events(PGALLOC_NORMAL, 1UL << order);
	prep_new_page(page, order, gfp);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	struct zone *z = &NODE_DATA(page_to_nid(page))->node_zone;
	u64 flags;

	BUG_ON(PageReserved(page) || PageBuddy(page));
	page->_refcount = 0;
	page->mapping = NULL;
	count_vm_events(PGFREE, 1UL << order);
	flags = irq_save();
	buddy_free(z, page, order);
	irq_restore(flags);
}

void *get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? page_address(page) : NULL;
}

void free_pages(void *addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page(addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		n += NODE_DATA(nid)->node_zone.free_pages;
	return n;
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		n += NODE_DATA(nid)->node_zone.managed_pages;
	return n;
}

/* Recomputes every zone's watermarks from min_free_kbytes; called at boot
 * and (later) when /proc/sys/vm/min_free_kbytes is written. */
void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem = totalram_pages();

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct zone *z = &NODE_DATA(nid)->node_zone;

		calc_zone_watermarks(pages_min, lowmem, z->managed_pages, watermark_scale_factor,
				     z->_watermark);
	}
}

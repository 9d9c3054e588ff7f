/* The page allocator: the buddy free lists of every node's zone, guarded by
 * watermarks. An allocation takes pages from the first zone in its node's
 * fallback list (nearest node first, mm/numa.c) that stays above the low
 * watermark (the fast path); failing that, kswapd is woken on the short
 * nodes and it may go down to the min watermark; below that it reclaims
 * directly, and at last the OOM killer runs (concepts C6, C11, C12). Each
 * allocation is counted per node as numa_hit/miss/foreign/local/other. */
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
int node_reclaim_mode;			    /* /proc/sys/vm/zone_reclaim_mode: RECLAIM_* bits */
unsigned int sysctl_min_unmapped_ratio = 1; /* percent of a node, Linux's default */
unsigned long min_free_kbytes;
unsigned int watermark_scale_factor = 10;

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->_refcount = 1;
	page->_mapcount = -1;
	if (gfp & __GFP_ZERO)
		for (unsigned long i = 0; i < (1UL << order); i++)
			clear_page(page_address(page + i));
}

static struct page *rmqueue(struct zone *z, unsigned int order)
{
	u64 flags = irq_save();
	struct page *page = buddy_alloc(z, order);

	irq_restore(flags);
	return page;
}

/* What one allocation may use: the fallback list of node nid, minus
 * the nodes outside nodemask (a policy's MPOL_BIND); the first node left
 * is the preferred one, for the statistics (Linux's alloc_context). */
struct alloc_context {
	const int *zonelist;
	unsigned long nodemask;
	int preferred_nid;
};

static bool node_allowed(const struct alloc_context *ac, int nid)
{
	return (ac->nodemask >> nid) & 1;
}

void zone_statistics(int preferred, int nid, unsigned long nr)
{
	unsigned long *ev = NODE_DATA(nid)->numa_events;

	if (nid == preferred) {
		ev[NUMA_HIT] += nr;
	} else {
		ev[NUMA_MISS] += nr;
		NODE_DATA(preferred)->numa_events[NUMA_FOREIGN] += nr;
	}
	ev[nid == numa_node_id() ? NUMA_LOCAL : NUMA_OTHER] += nr;
}

/* Linux's zone_allows_reclaim: node_reclaim only on nodes within
 * RECLAIM_DISTANCE of the preferred one; farther nodes are taken as they
 * are, reclaiming them would not pay. */
static bool zone_allows_reclaim(int preferred, int nid)
{
	return node_distance(preferred, nid) <= RECLAIM_DISTANCE;
}

/* Walks the fallback list, taking from the first allowed node whose zone
 * passes the watermark check. With zone_reclaim_mode set, a node that
 * fails it first reclaims its own pages (node_reclaim) and is checked
 * again; with 0 the walk moves to the next node at once. */
static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order, int wmark,
					   const struct alloc_context *ac)
{
	bool high_priority = gfp & __GFP_HIGH;

	for (int i = 0; i < nr_online_nodes; i++) {
		int nid = ac->zonelist[i];
		struct zone *z = &NODE_DATA(nid)->node_zone;
		struct page *page;

		if (!node_allowed(ac, nid))
			continue;
		if (!zone_watermark_ok(z, order, z->_watermark[wmark], high_priority)) {
			if (!node_reclaim_mode || !zone_allows_reclaim(ac->preferred_nid, nid))
				continue;
			if (!node_reclaim(NODE_DATA(nid), gfp, order) ||
			    !zone_watermark_ok(z, order, z->_watermark[wmark], high_priority))
				continue;
		}
		page = rmqueue(z, order);
		if (page) {
			zone_statistics(ac->preferred_nid, nid, 1UL << order);
			return page;
		}
	}
	return NULL;
}

/* Linux's wake_all_kswapds: every allowed node below its low watermark
 * starts background reclaim. */
static void wake_all_kswapds(unsigned int order, const struct alloc_context *ac)
{
	for (int i = 0; i < nr_online_nodes; i++) {
		int nid = ac->zonelist[i];
		const struct zone *z = &NODE_DATA(nid)->node_zone;

		if (node_allowed(ac, nid) &&
		    !zone_watermark_ok(z, order, z->_watermark[WMARK_LOW], false))
			wakeup_kswapd(nid);
	}
}

/* The allowed nodes that are short (below high): direct reclaim works on
 * these, not on a node that has plenty. All allowed nodes if none is. */
static unsigned long nodes_to_reclaim(const struct alloc_context *ac)
{
	unsigned long mask = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		const struct zone *z = &NODE_DATA(nid)->node_zone;

		if (node_allowed(ac, nid) && z->free_pages <= z->_watermark[WMARK_HIGH])
			mask |= 1UL << nid;
	}
	return mask ? mask : ac->nodemask & node_online_map();
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

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int nid, unsigned long nodemask)
{
	struct alloc_context ac;
	struct page *page;

	if (order > MAX_ORDER)
		return NULL;
	if (nid < 0 || nid >= nr_online_nodes)
		nid = numa_node_id();
	ac.zonelist = NODE_DATA(nid)->zonelist;
	ac.nodemask = nodemask & node_online_map();
	ac.preferred_nid = -1;
	for (int i = 0; i < nr_online_nodes && ac.preferred_nid < 0; i++)
		if (node_allowed(&ac, ac.zonelist[i]))
			ac.preferred_nid = ac.zonelist[i];
	if (ac.preferred_nid < 0)
		return NULL; /* no node allowed: the caller's policy is empty */
	page = get_page_from_freelist(gfp, order, WMARK_LOW, &ac);
	if (!page) {
		/* Below low everywhere: background reclaim starts; we may still go to min. */
		wake_all_kswapds(order, &ac);
		page = get_page_from_freelist(gfp, order, WMARK_MIN, &ac);
	}
	/* Below min: the caller reclaims for itself (direct reclaim). */
	for (int retry = 0; !page && can_direct_reclaim(gfp) && retry < MAX_RECLAIM_RETRIES;
	     retry++) {
		current->flags |= PF_MEMALLOC; /* reclaim must not recurse into itself */
		unsigned long freed = try_to_free_pages(nodes_to_reclaim(&ac), 1UL << order);
		current->flags &= ~PF_MEMALLOC;
		page = get_page_from_freelist(gfp, order, WMARK_MIN, &ac);
		if (!page && !freed)
			break;
	}
	/* Reclaim found nothing: the OOM killer frees memory by killing. */
	for (int round = 0; !page && may_oom_kill(gfp) && round < MAX_OOM_WAIT_TICKS; round++) {
		if (!out_of_memory(gfp, order, ac.nodemask))
			break;
		if (current->pending_signals & (1UL << (SIGKILL - 1)))
			break; /* we are the victim: fail, and die on the way out */
		schedule_timeout_until(jiffies + 1); /* let a dying victim exit */
		page = get_page_from_freelist(gfp, order, WMARK_MIN, &ac);
	}
	if (!page) {
		warn_alloc(gfp, order);
		return NULL;
	}
	count_vm_events(PGALLOC_NORMAL, 1UL << order);
	prep_new_page(page, order, gfp);
	return page;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, nid, NODE_MASK_ALL);
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

unsigned long totalreserve_pages(void)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		sum += NODE_DATA(nid)->node_zone._watermark[WMARK_HIGH];
	return sum;
}

unsigned long global_lru_pages(enum lru_list l)
{
	unsigned long n = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		n += NODE_DATA(nid)->nr_lru[l];
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
 * and when /proc/sys/vm/min_free_kbytes is written. Each node's zone gets
 * a share of min_free_kbytes proportional to its size, as in Linux. */
void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem = totalram_pages();

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct zone *z = &NODE_DATA(nid)->node_zone;

		calc_zone_watermarks(pages_min, lowmem, z->managed_pages, watermark_scale_factor,
				     z->_watermark);
		NODE_DATA(nid)->min_unmapped_pages =
			z->managed_pages * sysctl_min_unmapped_ratio / 100;
	}
}

/* Nodes and zones. Each NUMA node (struct pglist_data) owns its memory; its
 * zone holds the buddy free lists and the min/low/high watermarks that
 * decide when an allocation may proceed, wakes kswapd, or must reclaim
 * (concepts C6, C11, C12). One zone per node: we need no DMA zones. */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include "kernel/list.h"
#include "kernel/wait.h"
#include "mm/page.h"
#include "mm/vmstat.h"

#define MAX_ORDER      10 /* largest block: 2^10 pages = 4 MiB */
#define NR_PAGE_ORDERS (MAX_ORDER + 1)
#define MAX_NUMNODES   8

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK,
};

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks of this order */
};

struct zone {
	const char *name;
	int node;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* pfn range, holes included */
	unsigned long present_pages; /* RAM pages in the range */
	unsigned long managed_pages; /* pages handed to the buddy allocator */
	unsigned long free_pages;    /* NR_FREE_PAGES */
	unsigned long _watermark[NR_WMARK];
	struct free_area free_area[NR_PAGE_ORDERS];
};

/* The LRU lists of reclaim (concept C9), Linux's order. */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	NR_LRU_LISTS,
};

/* Per-node allocation events (Linux's numa_stat_item, shown in
 * /sys/devices/system/node/nodeN/numastat and summed in /proc/vmstat).
 * The "intended" node is the first node the allocation's fallback list
 * allows (the preferred zone in Linux's words):
 *   numa_hit       allocated on this node, which was the intended one
 *   numa_miss      allocated on this node, though another was intended
 *   numa_foreign   intended for this node, but allocated elsewhere
 *   interleave_hit an interleave policy's chosen node got the page
 *   local_node     allocated here by a task running on this node
 *   other_node     allocated here by a task running on another node */
enum numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS,
};

extern const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS];

struct task_struct;

struct pglist_data {
	struct zone node_zone;
	int node_id;
	unsigned long node_start_pfn, node_spanned_pages;
	/* Reclaim (mm/vmscan.c): pages on the LRU lists, oldest at the tail. */
	struct list_head lru[NR_LRU_LISTS];
	unsigned long nr_lru[NR_LRU_LISTS];
	struct task_struct *kswapd;
	struct wait_queue_head kswapd_wait;
	bool kswapd_wanted; /* set by the allocator below the low watermark */
	/* Fallback order (Linux's node_zonelists): every online node, nearest
	 * first by SLIT distance, ties by node id; [0] is this node. */
	int zonelist[MAX_NUMNODES];
	unsigned long numa_events[NR_VM_NUMA_EVENT_ITEMS];
	unsigned long vm_stat[NR_VM_STAT_ITEMS]; /* this node's share of vm_stat */
	unsigned long min_unmapped_pages;	 /* node_reclaim's threshold */
	/* Evictions + activations so far (mm/workingset.c's clock). */
	unsigned long nonresident_age;
};

extern struct pglist_data node_data[MAX_NUMNODES];
extern int nr_online_nodes;

#define NODE_DATA(nid) (&node_data[nid])

/* mm/page_alloc.c: Linux's totalreserve_pages, the high watermark of every
 * zone (there is no lowmem_reserve with one zone per node): memory the
 * allocator keeps back, so neither "available" nor dirtyable. */
unsigned long totalreserve_pages(void);
/* The pages on LRU list l, all nodes together. */
unsigned long global_lru_pages(enum lru_list l);

/* mm/numa.c: the topology (concept C12). */
extern u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES];
static inline int node_distance(int from, int to)
{
	return numa_distance[from][to];
}
/* The node of the CPU we run on (one CPU: the boot CPU's node). */
int numa_node_id(void);
/* Whether an online CPU sits on node nid (Linux's N_CPU state). */
static inline bool node_has_cpu(int nid)
{
	return nid == numa_node_id();
}
/* Bitmap of online nodes: nodes 0 .. nr_online_nodes-1. */
static inline unsigned long node_online_map(void)
{
	return (1UL << nr_online_nodes) - 1;
}
/* The pages' node for the allocation statistics of a page just taken
 * from node nid when preferred was intended (Linux's zone_statistics). */
void zone_statistics(int preferred, int nid, unsigned long nr);

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}

/* mm/buddy.c: the buddy algorithm on one zone (no locking, no policy). */
void buddy_init_zone(struct zone *z);
void buddy_free(struct zone *z, struct page *page, unsigned int order);
struct page *buddy_alloc(struct zone *z, unsigned int order);

/* mm/watermark.c: Linux's watermark arithmetic. */
unsigned long int_sqrt(unsigned long x);
unsigned long calc_min_free_kbytes(unsigned long lowmem_kbytes);
void calc_zone_watermarks(unsigned long pages_min, unsigned long lowmem_pages,
			  unsigned long zone_managed, unsigned int scale_factor,
			  unsigned long wmark[NR_WMARK]);
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       bool high_priority);

#endif

/* Page allocation interface (mm/page_alloc.c), with Linux's names. */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "mm/page.h"

typedef unsigned int gfp_t;

#define __GFP_ZERO   0x1u /* return zeroed memory */
#define __GFP_HIGH   0x2u /* may dip below the min watermark (atomic context) */
#define __GFP_NOWARN 0x4u

#define __GFP_RECLAIM 0x8u  /* may reclaim (and so sleep) to succeed */
#define __GFP_NORETRY 0x10u /* fail rather than call the OOM killer */
#define __GFP_ACCOUNT 0x20u /* charged to the process (Linux: its memory cgroup) */

#define GFP_KERNEL	   __GFP_RECLAIM
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_ATOMIC	   __GFP_HIGH
/* A user page table, as Linux allocates it: the OOM report names it. */
#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)

#define NUMA_NO_NODE (-1)

#define NODE_MASK_ALL (~0UL)

/* 2^order pages from node nid's fallback list, restricted to the nodes
 * in nodemask (a bitmap); nid NUMA_NO_NODE means the CPU's node. */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int nid, unsigned long nodemask);
/* From nid's fallback list, whatever the task's policy says. */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
/* Where the current task's memory policy says (mm/mempolicy.c; Linux's
 * alloc_pages_current): kernel memory a task allocates follows it too. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

/* Direct-map address of 2^order new pages, or NULL. */
void *get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(void *addr, unsigned int order);

unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);

/* zone_reclaim_mode bits, Linux's values (mm/vmscan.c node_reclaim). */
#define RECLAIM_ZONE	 0x1 /* reclaim the local node before going remote */
#define RECLAIM_WRITE	 0x2 /* ... and write dirty pages out */
#define RECLAIM_UNMAP	 0x4 /* ... and unmap (swap out) mapped pages */
#define RECLAIM_DISTANCE 30  /* farther nodes are never reclaimed for us */
extern int node_reclaim_mode;
extern unsigned int sysctl_min_unmapped_ratio;

extern unsigned long min_free_kbytes;
extern unsigned int watermark_scale_factor;
void setup_per_zone_wmarks(void);

#endif

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

#define GFP_KERNEL __GFP_RECLAIM
#define GFP_ATOMIC __GFP_HIGH

#define NUMA_NO_NODE (-1)

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(NUMA_NO_NODE, gfp, order);
}

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

extern unsigned long min_free_kbytes;
extern unsigned int watermark_scale_factor;
void setup_per_zone_wmarks(void);

#endif

/* The binary buddy allocator (Knuth, TAOCP 2.5): free memory is kept in
 * blocks of 2^order pages, one free list per order. Allocating splits a
 * larger block in halves until the order fits; freeing merges a block with
 * its "buddy" (the other half of its parent, at pfn ^ 2^order) while that
 * buddy is free too. Pure algorithm: no locks, no watermarks (mm/page_alloc.c
 * adds those), so tests/unit/test_buddy.c runs it on the host. */
#include "mm/mmzone.h"

void buddy_init_zone(struct zone *z)
{
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		INIT_LIST_HEAD(&z->free_area[o].free_list);
		z->free_area[o].nr_free = 0;
	}
	z->free_pages = 0;
}

static void add_to_free_area(struct zone *z, struct page *page, unsigned int order)
{
	SetPageFlag(page, PG_buddy);
	page->private = order;
	list_add(&page->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
}

static void del_from_free_area(struct zone *z, struct page *page, unsigned int order)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
	z->free_area[order].nr_free--;
}

/* A buddy can merge only if it heads a free block of exactly this order. */
static bool page_is_buddy(const struct zone *z, const struct page *buddy, unsigned long buddy_pfn,
			  unsigned int order)
{
	return zone_spans_pfn(z, buddy_pfn) && PageBuddy(buddy) && buddy->private == order;
}

void buddy_free(struct zone *z, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	z->free_pages += 1UL << order;
	while (order < MAX_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);

		if (!page_is_buddy(z, buddy, buddy_pfn, order))
			break;
		del_from_free_area(z, buddy, order);
		pfn &= buddy_pfn; /* the merged block starts at the lower half */
		order++;
	}
	add_to_free_area(z, pfn_to_page(pfn), order);
}

struct page *buddy_alloc(struct zone *z, unsigned int order)
{
	unsigned int o = order;
	struct page *page;

	while (o < NR_PAGE_ORDERS && list_empty(&z->free_area[o].free_list))
		o++;
	if (o >= NR_PAGE_ORDERS)
		return NULL;
	page = list_first_entry(&z->free_area[o].free_list, struct page, lru);
	del_from_free_area(z, page, o);
	/* Split: give back the upper half at each step down ("expand"). */
	while (o > order) {
		o--;
		add_to_free_area(z, page + (1UL << o), o);
	}
	z->free_pages -= 1UL << order;
	return page;
}

/* Host tests of the buddy allocator (mm/buddy.c) on a fake mem_map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mm/mmzone.h"

struct page *mem_map;
unsigned long max_pfn;

static struct zone zone;

/* A zone of n pages starting at pfn start, all initially allocated. */
static void make_zone(unsigned long start, unsigned long n)
{
	free(mem_map);
	max_pfn = start + n;
	mem_map = calloc(max_pfn, sizeof(struct page));
	zone.zone_start_pfn = start;
	zone.spanned_pages = n;
	buddy_init_zone(&zone);
}

static void free_all_one_by_one(void)
{
	for (unsigned long pfn = zone.zone_start_pfn; pfn < zone_end_pfn(&zone); pfn++)
		buddy_free(&zone, pfn_to_page(pfn), 0);
}

static void test_single_pages_coalesce_to_top_order(void **state)
{
	(void)state;
	make_zone(0, 4 << MAX_ORDER);
	free_all_one_by_one();
	assert_int_equal(zone.free_pages, 4 << MAX_ORDER);
	assert_int_equal(zone.free_area[MAX_ORDER].nr_free, 4);
	for (int o = 0; o < MAX_ORDER; o++)
		assert_int_equal(zone.free_area[o].nr_free, 0);
}

static void test_unaligned_zone_edges(void **state)
{
	(void)state;
	/* pfns 3..(3+1024+5): edges cannot form a full order-10 block. */
	make_zone(3, 1024 + 5);
	free_all_one_by_one();
	assert_int_equal(zone.free_pages, 1029);
	assert_int_equal(zone.free_area[MAX_ORDER].nr_free, 0);
	/* 3 (order 0), 4-7 (2), 8-15 (3), ... the sizes must add up. */
	unsigned long total = 0;
	for (int o = 0; o <= MAX_ORDER; o++)
		total += zone.free_area[o].nr_free << o;
	assert_int_equal(total, 1029);
}

static void test_alloc_is_aligned_and_splits(void **state)
{
	(void)state;
	make_zone(0, 1 << MAX_ORDER);
	free_all_one_by_one();
	struct page *p = buddy_alloc(&zone, 0);
	assert_non_null(p);
	/* Splitting one order-10 block for one page leaves one block of each
	 * order 0..9. */
	for (int o = 0; o < MAX_ORDER; o++)
		assert_int_equal(zone.free_area[o].nr_free, 1);
	struct page *q = buddy_alloc(&zone, 3);
	assert_non_null(q);
	assert_int_equal(page_to_pfn(q) % 8, 0);
	buddy_free(&zone, q, 3);
	buddy_free(&zone, p, 0);
	assert_int_equal(zone.free_area[MAX_ORDER].nr_free, 1);
}

static void test_exhaustion_returns_null(void **state)
{
	(void)state;
	make_zone(0, 16);
	free_all_one_by_one();
	assert_null(buddy_alloc(&zone, 5));
	for (int i = 0; i < 16; i++)
		assert_non_null(buddy_alloc(&zone, 0));
	assert_null(buddy_alloc(&zone, 0));
	assert_int_equal(zone.free_pages, 0);
}

/* Random allocations and frees checked against an ownership map: no page
 * handed out twice, and everything coalesces back at the end. */
static void test_random_against_model(void **state)
{
	enum {
		PAGES = 1 << 12,
		SLOTS = 400
	};
	unsigned char *owner = calloc(PAGES, 1);
	struct {
		struct page *p;
		unsigned order;
	} live[SLOTS] = {{0}};
	unsigned long seed = 42;

	(void)state;
	make_zone(0, PAGES);
	free_all_one_by_one();
	for (int step = 0; step < 20000; step++) {
		seed = seed * 6364136223846793005UL + 1;
		int s = (int)((seed >> 33) % SLOTS);
		if (live[s].p) {
			unsigned long pfn = page_to_pfn(live[s].p);
			for (unsigned long i = 0; i < (1UL << live[s].order); i++)
				owner[pfn + i] = 0;
			buddy_free(&zone, live[s].p, live[s].order);
			live[s].p = NULL;
		} else {
			unsigned order = (unsigned)((seed >> 20) % 6);
			struct page *p = buddy_alloc(&zone, order);
			if (!p)
				continue;
			unsigned long pfn = page_to_pfn(p);
			assert_int_equal(pfn % (1UL << order), 0);
			for (unsigned long i = 0; i < (1UL << order); i++) {
				assert_int_equal(owner[pfn + i], 0);
				owner[pfn + i] = 1;
			}
			live[s].p = p;
			live[s].order = order;
		}
	}
	for (int s = 0; s < SLOTS; s++)
		if (live[s].p)
			buddy_free(&zone, live[s].p, live[s].order);
	assert_int_equal(zone.free_pages, PAGES);
	assert_int_equal(zone.free_area[MAX_ORDER].nr_free, PAGES >> MAX_ORDER);
	free(owner);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_pages_coalesce_to_top_order),
		cmocka_unit_test(test_unaligned_zone_edges),
		cmocka_unit_test(test_alloc_is_aligned_and_splits),
		cmocka_unit_test(test_exhaustion_returns_null),
		cmocka_unit_test(test_random_against_model),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(mem_map);
	return rc;
}

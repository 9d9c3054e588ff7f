/* Watermark arithmetic, as in Linux's mm/page_alloc.c (concepts C6, C11):
 *   min_free_kbytes = sqrt(16 * lowmem_kbytes), clamped to [128, 262144];
 *   each zone gets min = its share of min_free_kbytes, and
 *   low = min + max(min/4, managed * watermark_scale_factor / 10000),
 *   high = min + 2 * that same step.
 * Below low, kswapd is woken; below min, allocations reclaim directly. */
#include "mm/mmzone.h"

#define MIN_FREE_KBYTES_FLOOR 128
#define MIN_FREE_KBYTES_CEIL  262144

/* Integer square root, rounded down (bit-by-bit method). */
unsigned long int_sqrt(unsigned long x)
{
	unsigned long root = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= root + bit) {
			x -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

unsigned long calc_min_free_kbytes(unsigned long lowmem_kbytes)
{
	unsigned long v = int_sqrt(lowmem_kbytes * 16);

	if (v < MIN_FREE_KBYTES_FLOOR)
		v = MIN_FREE_KBYTES_FLOOR;
	if (v > MIN_FREE_KBYTES_CEIL)
		v = MIN_FREE_KBYTES_CEIL;
	return v;
}

void calc_zone_watermarks(unsigned long pages_min, unsigned long lowmem_pages,
			  unsigned long zone_managed, unsigned int scale_factor,
			  unsigned long wmark[NR_WMARK])
{
	unsigned long min = lowmem_pages ? pages_min * zone_managed / lowmem_pages : 0;
	unsigned long step = MAX(min >> 2, zone_managed * scale_factor / 10000);

	wmark[WMARK_MIN] = min;
	wmark[WMARK_LOW] = min + step;
	wmark[WMARK_HIGH] = min + 2 * step;
}

/* Linux's __zone_watermark_ok: after taking 2^order pages, free memory must
 * stay above mark (halved for high-priority, e.g. atomic, requests), and a
 * free block of at least this order must exist. */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       bool high_priority)
{
	long free = (long)z->free_pages - ((1L << order) - 1);
	long min = (long)mark;

	if (high_priority)
		min -= min / 2;
	if (free <= min)
		return false;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/* Host tests of the watermark arithmetic (mm/watermark.c) against values
 * worked out by hand from Linux's formulas. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mm/mmzone.h"

struct page *mem_map;

static void test_int_sqrt(void **state)
{
	(void)state;
	assert_int_equal(int_sqrt(0), 0);
	assert_int_equal(int_sqrt(1), 1);
	assert_int_equal(int_sqrt(15), 3);
	assert_int_equal(int_sqrt(16), 4);
	assert_int_equal(int_sqrt(2097152), 1448);
	assert_int_equal(int_sqrt(~0UL), 4294967295UL);
}

static void test_min_free_kbytes(void **state)
{
	(void)state;
	/* 128 MiB: sqrt(131072 * 16) = 1448 */
	assert_int_equal(calc_min_free_kbytes(131072), 1448);
	/* 16 GiB: sqrt(16777216 * 16) = 16384 */
	assert_int_equal(calc_min_free_kbytes(16777216), 16384);
	assert_int_equal(calc_min_free_kbytes(100), 128);	   /* floor */
	assert_int_equal(calc_min_free_kbytes(1UL << 40), 262144); /* ceiling */
}

static void test_zone_watermarks(void **state)
{
	unsigned long wm[NR_WMARK];

	(void)state;
	/* One zone with all memory: min = pages_min; step = max(min/4, 0.1%). */
	calc_zone_watermarks(362, 32768, 32768, 10, wm);
	assert_int_equal(wm[WMARK_MIN], 362);
	assert_int_equal(wm[WMARK_LOW], 362 + 90);
	assert_int_equal(wm[WMARK_HIGH], 362 + 180);
	/* A big zone where watermark_scale_factor dominates: 1% of 1M pages. */
	calc_zone_watermarks(4096, 1 << 20, 1 << 20, 100, wm);
	assert_int_equal(wm[WMARK_LOW], 4096 + 10485);
	/* Two zones share min_free_kbytes in proportion to their size. */
	calc_zone_watermarks(1000, 4000, 1000, 10, wm);
	assert_int_equal(wm[WMARK_MIN], 250);
}

static void test_watermark_ok(void **state)
{
	struct zone z = {0};

	(void)state;
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		z.free_area[o].nr_free = 0;
	z.free_pages = 100;
	z.free_area[0].nr_free = 100;
	assert_true(zone_watermark_ok(&z, 0, 99, false));
	assert_false(zone_watermark_ok(&z, 0, 100, false));
	assert_true(zone_watermark_ok(&z, 0, 150, true));  /* min halved to 75 */
	assert_false(zone_watermark_ok(&z, 1, 10, false)); /* no order-1 block */
	z.free_area[3].nr_free = 1;
	assert_true(zone_watermark_ok(&z, 2, 10, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_sqrt),
		cmocka_unit_test(test_min_free_kbytes),
		cmocka_unit_test(test_zone_watermarks),
		cmocka_unit_test(test_watermark_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Host tests of kernel command-line parsing (kernel/cmdline.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static void test_get(void **state)
{
	char v[16];

	(void)state;
	assert_true(cmdline_get("loglevel=3 ktest=buddy", "ktest", v, sizeof(v)));
	assert_string_equal(v, "buddy");
	assert_true(cmdline_get("  loglevel=3\tinit=/bin/sh", "init", v, sizeof(v)));
	assert_string_equal(v, "/bin/sh");
	assert_true(cmdline_get("quiet", "quiet", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_false(cmdline_get("loglevelx=3 xloglevel=4", "loglevel", v, sizeof(v)));
	assert_false(cmdline_get("", "loglevel", v, sizeof(v)));
	/* The last occurrence wins, as in Linux. */
	assert_true(cmdline_get("loglevel=3 loglevel=7", "loglevel", v, sizeof(v)));
	assert_string_equal(v, "7");
	/* Truncated to the buffer, always terminated. */
	assert_true(cmdline_get("init=/a/very/long/path/name", "init", v, 8));
	assert_string_equal(v, "/a/very");
}

static void test_parse_ulong(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(parse_ulong("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_ulong("0x1F", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(parse_ulong("18446744073709551615", &v), 0);
	assert_int_equal(parse_ulong("18446744073709551616", &v), -EINVAL);
	assert_int_equal(parse_ulong("", &v), -EINVAL);
	assert_int_equal(parse_ulong("12a", &v), -EINVAL);
	assert_int_equal(parse_ulong("-1", &v), -EINVAL);
	assert_int_equal(parse_ulong("0x", &v), -EINVAL);
}

static void test_memparse(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(memparse("128M", &v), 0);
	assert_int_equal(v, 128UL << 20);
	assert_int_equal(memparse("16g", &v), 0);
	assert_int_equal(v, 16UL << 30);
	assert_int_equal(memparse("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(memparse("1k", &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(memparse("2T", &v), 0);
	assert_int_equal(v, 2UL << 40);
	assert_int_equal(memparse("1Q", &v), -EINVAL);
	assert_int_equal(memparse("1MB", &v), -EINVAL);
	assert_int_equal(memparse("M", &v), -EINVAL);
	assert_int_equal(memparse("17179869184G", &v), -EINVAL); /* 2^64 overflow */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_parse_ulong),
		cmocka_unit_test(test_memparse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Host tests of the page-table index and flag helpers (mm/pgtable.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mm/pgtable.h"

static void test_indices(void **state)
{
	(void)state;
	/* 0xffffffff80000000: pgd 511, pud 510, pmd 0, pte 0 (kernel image). */
	assert_int_equal(pgd_index(KERNEL_VIRT_BASE), 511);
	assert_int_equal(pud_index(KERNEL_VIRT_BASE), 510);
	assert_int_equal(pmd_index(KERNEL_VIRT_BASE), 0);
	assert_int_equal(pgd_index(PAGE_OFFSET), 256);
	/* 0x400000 (a user ELF): pgd 0, pud 0, pmd 2, pte 0. */
	assert_int_equal(pmd_index(0x400000), 2);
	assert_int_equal(pte_index(0x401000), 1);
	assert_int_equal(pgd_index(0x7ffffffff000UL), 255);
	assert_int_equal(pte_index(0x7ffffffff000UL), 511);
}

static void test_entries(void **state)
{
	(void)state;
	pte_t e = make_pte(0x123456789000UL, PTE_PRESENT | PTE_WRITE | PTE_NX);
	assert_int_equal(pte_addr(e), 0x123456789000UL);
	assert_true(e & PTE_NX);
	assert_int_equal(PTE_NX, 1UL << 63);
	assert_int_equal(PTE_PSE, 0x80);
	/* Flags never leak into the address and vice versa. */
	assert_int_equal(pte_addr(make_pte(0xfffUL | (1UL << 52), 0)), 0);
	assert_int_equal(PTE_ADDR_MASK & PTE_FLAGS_MASK, 0);
}

static void test_canonical(void **state)
{
	(void)state;
	assert_true(va_is_canonical(0));
	assert_true(va_is_canonical(0x00007fffffffffffUL));
	assert_false(va_is_canonical(0x0000800000000000UL));
	assert_false(va_is_canonical(0xffff7fffffffffffUL));
	assert_true(va_is_canonical(PAGE_OFFSET));
	assert_true(va_is_canonical(~0UL));
}

static void test_direct_map(void **state)
{
	(void)state;
	assert_ptr_equal(phys_to_virt(0x1000), (void *)(PAGE_OFFSET + 0x1000));
	assert_int_equal(virt_to_phys((void *)(PAGE_OFFSET + 0x5000)), 0x5000);
	assert_int_equal(virt_to_phys((void *)(KERNEL_VIRT_BASE + 0x100000)), 0x100000);
	assert_int_equal(PFN_UP(4097), 2);
	assert_int_equal(PFN_DOWN(4097), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_direct_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

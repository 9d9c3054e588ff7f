/* In-kernel tests of physical memory management: the buddy allocator, the
 * watermarks, the page-table API and the kernel heap. Run with
 * ktest=NAME (see kernel/ktest.h); tests/qemu/scenarios.py lists them. */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/pgtable.h"

/* An address in the kernel's top 2 GiB that nothing maps (the module
 * area above the image), so the test owns it. */
#define TEST_VA 0xffffffffc0000000UL

static void snapshot_free_area(unsigned long counts[NR_PAGE_ORDERS])
{
	const struct zone *z = &NODE_DATA(0)->node_zone;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		counts[o] = z->free_area[o].nr_free;
}

/* Allocates every free frame one by one (down past the watermarks with
 * __GFP_HIGH is not allowed, so we call the buddy layer directly), frees
 * them all, and expects the exact same free lists as before: proof that
 * freeing coalesces buddies all the way back to the top order. */
KTEST(buddy)
{
	struct zone *z = &NODE_DATA(0)->node_zone;
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	unsigned long free_before = z->free_pages, n = 0;
	struct list_head taken;
	struct page *page;
	bool same = true;
	u64 flags = irq_save();

	snapshot_free_area(before);
	INIT_LIST_HEAD(&taken);
	while ((page = buddy_alloc(z, 0))) {
		list_add(&page->lru, &taken);
		n++;
	}
	KTEST_EXPECT(n == free_before, "allocated every free frame (%lu of %lu)", n, free_before);
	KTEST_EXPECT(z->free_pages == 0, "zone reports 0 free pages when empty");
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		buddy_free(z, page, 0);
	}
	snapshot_free_area(after);
	irq_restore(flags);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		same &= before[o] == after[o];
	KTEST_EXPECT(z->free_pages == free_before, "free count back to %lu", free_before);
	KTEST_EXPECT(same, "free lists identical after freeing (order-%d blocks: %lu)", MAX_ORDER,
		     after[MAX_ORDER]);
	KTEST_EXPECT(after[MAX_ORDER] > 0, "memory coalesced into order-%d blocks", MAX_ORDER);
}

/* Blocks of each order come back naturally aligned and distinct. */
KTEST(buddy_orders)
{
	unsigned long free_before = nr_free_pages();
	struct page *pages[NR_PAGE_ORDERS];
	bool aligned = true;

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		pages[o] = alloc_pages(GFP_KERNEL, o);
		aligned &= pages[o] && IS_ALIGNED(page_to_pfn(pages[o]), 1UL << o);
	}
	KTEST_EXPECT(aligned, "every order 0..%d allocates a naturally aligned block", MAX_ORDER);
	KTEST_EXPECT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1) == NULL,
		     "order %d is refused", MAX_ORDER + 1);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		if (pages[o])
			__free_pages(pages[o], o);
	KTEST_EXPECT(nr_free_pages() == free_before, "all pages returned (%lu free)",
		     nr_free_pages());
}

/* Allocating down to the watermarks: GFP_KERNEL stops at min, GFP_ATOMIC
 * may go to min/2, as Linux's __zone_watermark_ok allows. */
KTEST(watermarks)
{
	struct zone *z = &NODE_DATA(0)->node_zone;
	unsigned long *wm = z->_watermark;
	struct list_head taken;
	struct page *page;
	unsigned long kernel_floor, atomic_floor;

	KTEST_EXPECT(min_free_kbytes >= 128 && min_free_kbytes <= 262144,
		     "min_free_kbytes %lu within Linux's clamp", min_free_kbytes);
	KTEST_EXPECT(wm[WMARK_MIN] < wm[WMARK_LOW] && wm[WMARK_LOW] < wm[WMARK_HIGH],
		     "min %lu < low %lu < high %lu", wm[WMARK_MIN], wm[WMARK_LOW], wm[WMARK_HIGH]);
	INIT_LIST_HEAD(&taken);
	while ((page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0)))
		list_add(&page->lru, &taken);
	kernel_floor = z->free_pages;
	while ((page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0)))
		list_add(&page->lru, &taken);
	atomic_floor = z->free_pages;
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	KTEST_EXPECT(kernel_floor == wm[WMARK_MIN] + 1 || kernel_floor == wm[WMARK_MIN],
		     "GFP_KERNEL stops at the min watermark (%lu free, min %lu)", kernel_floor,
		     wm[WMARK_MIN]);
	KTEST_EXPECT(atomic_floor <= wm[WMARK_MIN] / 2 + 1 && atomic_floor + 1 >= wm[WMARK_MIN] / 2,
		     "GFP_ATOMIC may go down to min/2 (%lu free)", atomic_floor);
}

KTEST(paging)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct pt_walk w;
	volatile u64 *p = (volatile u64 *)TEST_VA;
	pte_t old = 0;

	KTEST_EXPECT(!pgtable_lookup(kernel_pgd, TEST_VA, &w), "test address starts unmapped");
	KTEST_EXPECT(map_page(kernel_pgd, TEST_VA, page_to_phys(page), PAGE_KERNEL) == 0,
		     "map_page succeeds");
	KTEST_EXPECT(map_page(kernel_pgd, TEST_VA, page_to_phys(page), PAGE_KERNEL) == -17,
		     "mapping it again gives -EEXIST");
	KTEST_EXPECT(map_page(kernel_pgd, TEST_VA + 1, 0, PAGE_KERNEL) == -22,
		     "unaligned address gives -EINVAL");
	KTEST_EXPECT(pgtable_lookup(kernel_pgd, TEST_VA + 0x123, &w) && w.level == 1 &&
			     w.phys == page_to_phys(page) + 0x123,
		     "walk finds a 4 KiB pte with the right frame");
	*p = 0x1122334455667788UL;
	KTEST_EXPECT(*(u64 *)page_address(page) == 0x1122334455667788UL,
		     "a write through the new mapping lands in the frame");
	KTEST_EXPECT(protect_page(kernel_pgd, TEST_VA, PAGE_KERNEL_RO) == 0 &&
			     pgtable_lookup(kernel_pgd, TEST_VA, &w) && !(w.entry[1] & PTE_WRITE),
		     "protect_page clears the write bit");
	KTEST_EXPECT(unmap_page(kernel_pgd, TEST_VA, &old) == 0 &&
			     pte_addr(old) == page_to_phys(page),
		     "unmap_page returns the old entry");
	KTEST_EXPECT(!pgtable_lookup(kernel_pgd, TEST_VA, &w), "address unmapped again");
	KTEST_EXPECT(unmap_page(kernel_pgd, TEST_VA, NULL) == -2, "second unmap gives -ENOENT");
	KTEST_EXPECT(pgtable_lookup(kernel_pgd, (unsigned long)phys_to_virt(64 * MiB), &w) ||
			     totalram_pages() < (64 * MiB >> PAGE_SHIFT),
		     "direct map covers RAM (level %d)", w.level);
	__free_page(page);
}

static void write_to_kernel_text(void *arg)
{
	(void)arg;
	*(volatile u8 *)_stext = 0x90;
}

static void execute_nx_page(void *arg)
{
	void (*fn)(void) = arg;

	fn();
}

static void read_unmapped(void *arg)
{
	(void)*(volatile u64 *)arg;
}

static void raise_ud(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

/* The protections of the kernel map are real: the CPU refuses. */
KTEST(protection)
{
	struct fault_catcher c;
	u8 *page = get_free_pages(GFP_KERNEL, 0);

	page[0] = 0xc3; /* ret: harmless if NX failed to stop it */
	KTEST_EXPECT(catch_fault(&c, write_to_kernel_text, NULL), "writing kernel text faults");
	KTEST_EXPECT(c.vector == 14 && c.cr2 == (u64)_stext, "  #PF at _stext (cr2 %#lx)", c.cr2);
	KTEST_EXPECT(c.error_code == 0x3, "  error code 0x%lx = present|write, supervisor",
		     c.error_code);
	KTEST_EXPECT(catch_fault(&c, execute_nx_page, page), "executing an NX page faults");
	KTEST_EXPECT(c.vector == 14 && c.cr2 == (u64)page, "  #PF at the page (cr2 %#lx)", c.cr2);
	KTEST_EXPECT(c.error_code == 0x11, "  error code 0x%lx = present|instruction fetch",
		     c.error_code);
	KTEST_EXPECT(catch_fault(&c, read_unmapped, (void *)TEST_VA),
		     "reading unmapped memory faults");
	KTEST_EXPECT(c.vector == 14 && c.error_code == 0x0,
		     "  error code 0x%lx = not present, read", c.error_code);
	KTEST_EXPECT(catch_fault(&c, raise_ud, NULL) && c.vector == 6,
		     "ud2 raises #UD (vector %lu)", c.vector);
	KTEST_EXPECT(!catch_fault(&c, read_unmapped, page), "reading a mapped page does not fault");
	free_pages(page, 0);
}

KTEST(kmalloc)
{
	enum {
		N = 2000
	};
	static u8 *ptrs[N];
	static size_t sizes[N];
	unsigned long live_before = kmalloc_live_objects(), free_before = nr_free_pages();
	unsigned long seed = 12345, errors_before;
	bool ok = true, aligned = true;

	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			sizes[i] = (seed >> 33) % (i % 50 == 0 ? 20000 : 600) + 1;
			ptrs[i] = kmalloc(sizes[i], GFP_KERNEL);
			if (!ptrs[i]) {
				ok = false;
				break;
			}
			aligned &= IS_ALIGNED((unsigned long)ptrs[i], 16);
			memset(ptrs[i], (u8)i, sizes[i]);
		}
		for (int i = 0; i < N && ok; i += 1 + (round & 1)) {
			for (size_t b = 0; b < sizes[i]; b++)
				ok &= ptrs[i][b] == (u8)i;
			kfree(ptrs[i]);
			ptrs[i] = NULL;
		}
		for (int i = 0; i < N; i++)
			kfree(ptrs[i]);
	}
	KTEST_EXPECT(ok, "4 rounds of %d mixed-size objects keep their contents", N);
	KTEST_EXPECT(aligned, "every object is 16-byte aligned");
	KTEST_EXPECT(kmalloc(0, GFP_KERNEL) == NULL, "kmalloc(0) returns NULL");
	KTEST_EXPECT(kmalloc_live_objects() == live_before, "no object leaked (%lu live)",
		     kmalloc_live_objects());
	KTEST_EXPECT(nr_free_pages() == free_before, "every slab page returned (%lu free)",
		     nr_free_pages());
	if (KMALLOC_DEBUG) {
		unsigned long reported_before = kmalloc_leak_report();
		u8 *p = kmalloc(40, GFP_KERNEL), *q = kmalloc(40, GFP_KERNEL);

		errors_before = kmalloc_debug_errors;
		kfree(p);
		kfree(p);
		KTEST_EXPECT(kmalloc_debug_errors == errors_before + 1, "double free is detected");
		kfree(q + 8);
		KTEST_EXPECT(kmalloc_debug_errors == errors_before + 2,
			     "free of an interior pointer is detected");
		KTEST_EXPECT(kmalloc_leak_report() == reported_before + 1,
			     "leak report lists the one new live object");
		kfree(q);
		KTEST_EXPECT(kmalloc_live_objects() == live_before, "heap balanced again");
	}
}

/* In-kernel tests of user address spaces (mm/mmap.c, mm/fault.c) on an mm
 * that no process runs: VMAs, lazy mappings, faults, munmap splitting,
 * brk, teardown without leaks. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "mm/gfp.h"
#include "mm/mmap.h"

static int count_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *v;
	int n = 0;

	list_for_each_entry(v, &mm->mmap, vm_list) n++;
	return n;
}

KTEST(vm_basic)
{
	unsigned long free_before = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	const char *why = NULL;
	long a;
	u64 word = 0;

	a = do_mmap(mm, 0, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	KTEST_EXPECT(a > 0 && IS_ALIGNED(a, PAGE_SIZE) && (unsigned long)a < MMAP_BASE,
		     "anonymous mmap returns %#lx below the mmap base", a);
	KTEST_EXPECT(mm->total_vm == 10 && mm->rss_anon == 0,
		     "10 pages reserved, none resident (lazy)");
	for (int i = 0; i < 3; i++)
		handle_mm_fault(mm, (unsigned long)a + (unsigned long)i * PAGE_SIZE, X86_PF_WRITE,
				&why);
	KTEST_EXPECT(mm->rss_anon == 3, "three faults make three resident pages (%lu)",
		     mm->rss_anon);
	KTEST_EXPECT(access_mm(mm, (unsigned long)a + 8, &word, 8, false) == 8 && word == 0,
		     "a new page reads as zeros");
	KTEST_EXPECT(do_munmap(mm, (unsigned long)a + PAGE_SIZE, PAGE_SIZE) == 0 &&
			     count_vmas(mm) == 2 && mm->rss_anon == 2 && mm->total_vm == 9,
		     "munmap of the middle page splits the VMA and frees its page");
	KTEST_EXPECT(handle_mm_fault(mm, (unsigned long)a + PAGE_SIZE, 0, &why) == -EFAULT,
		     "a fault in the hole is refused (%s)", why ? why : "?");
	KTEST_EXPECT(do_mmap(mm, (unsigned long)a, PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE) == -EEXIST,
		     "MAP_FIXED_NOREPLACE over a mapping gives -EEXIST");
	KTEST_EXPECT(do_mmap(mm, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) == -EINVAL,
		     "length 0 gives -EINVAL");
	KTEST_EXPECT(do_munmap(mm, (unsigned long)a + 1, PAGE_SIZE) == -EINVAL,
		     "unaligned munmap gives -EINVAL");
	KTEST_EXPECT(do_mprotect(mm, (unsigned long)a, PAGE_SIZE, PROT_READ) == 0 &&
			     handle_mm_fault(mm, (unsigned long)a, X86_PF_WRITE | X86_PF_PROT,
					     &why) == -EFAULT,
		     "after mprotect(PROT_READ) a write is refused (%s)", why ? why : "?");
	mmput(mm);
	KTEST_EXPECT(nr_free_pages() == free_before,
		     "teardown returns every page and page table (%lu free, %lu before)",
		     nr_free_pages(), free_before);
}

KTEST(vm_brk)
{
	unsigned long free_before = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	unsigned long base = 0x600000;

	mm->start_brk = mm->brk = base;
	KTEST_EXPECT(do_brk(mm, base + 3 * PAGE_SIZE + 5) == base + 3 * PAGE_SIZE + 5,
		     "brk grows and returns the new break");
	KTEST_EXPECT(mm->total_vm == 4 && mm->rss_anon == 0,
		     "the heap is lazy: 4 pages, 0 resident");
	populate_range(mm, base, base + 4 * PAGE_SIZE);
	KTEST_EXPECT(mm->rss_anon == 4, "touching it brings 4 pages");
	KTEST_EXPECT(do_brk(mm, base + PAGE_SIZE) == base + PAGE_SIZE && mm->rss_anon == 1,
		     "shrinking frees the pages above the new break");
	KTEST_EXPECT(do_brk(mm, base - PAGE_SIZE) == base + PAGE_SIZE,
		     "below the start of the heap: the old break comes back");
	do_mmap(mm, base + 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	KTEST_EXPECT(do_brk(mm, base + 10 * PAGE_SIZE) == base + PAGE_SIZE,
		     "growing into another mapping fails with the old break");
	mmput(mm);
	KTEST_EXPECT(nr_free_pages() == free_before, "no page leaked");
}

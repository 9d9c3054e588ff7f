/* In-kernel tests of user address spaces (mm/mmap.c, mm/fault.c) on an mm
 * that no process runs: VMAs, lazy mappings, faults, munmap splitting,
 * brk, teardown without leaks. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/overcommit.h"

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

static struct page *page_at(struct mm_struct *mm, unsigned long addr)
{
	struct pt_walk w;

	return pgtable_lookup(mm->pgd, addr, &w) ? pfn_to_page(PFN_DOWN(w.phys)) : NULL;
}

/* fork's copy-on-write, on two address spaces built by hand. */
KTEST(vm_cow)
{
	unsigned long free_before = nr_free_pages(), committed_before = vm_committed_pages;
	struct mm_struct *a = mm_alloc(), *b;
	long addr = do_mmap(a, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
	u64 va = 0x1111, vb = 0x2222, got = 0;
	struct page *shared;

	access_mm(a, (unsigned long)addr, &va, 8, true);
	b = dup_mm(a);
	shared = page_at(a, (unsigned long)addr);
	KTEST_EXPECT(b && shared == page_at(b, (unsigned long)addr) && shared->_refcount == 2,
		     "after fork both map the same frame (refcount %d)", shared->_refcount);
	KTEST_EXPECT(vm_committed_pages == committed_before + 8,
		     "the child's copy is committed too (%lu pages)",
		     vm_committed_pages - committed_before);
	KTEST_EXPECT(handle_mm_fault(b, (unsigned long)addr, X86_PF_WRITE | X86_PF_PROT, NULL) ==
				     0 &&
			     page_at(b, (unsigned long)addr) != shared && shared->_refcount == 1,
		     "a write fault in the child copies the page; the parent keeps the original");
	access_mm(b, (unsigned long)addr, &vb, 8, true);
	access_mm(a, (unsigned long)addr, &got, 8, false);
	KTEST_EXPECT(got == 0x1111, "the parent still reads its own value (%#lx)", got);
	KTEST_EXPECT(handle_mm_fault(a, (unsigned long)addr, X86_PF_WRITE | X86_PF_PROT, NULL) ==
				     0 &&
			     page_at(a, (unsigned long)addr) == shared,
		     "the parent's write reuses the page nobody else maps");
	mmput(b);
	mmput(a);
	KTEST_EXPECT(nr_free_pages() == free_before && vm_committed_pages == committed_before,
		     "both torn down: every page and every committed page returned");
}

KTEST(vm_shared)
{
	unsigned long free_before = nr_free_pages();
	struct mm_struct *a = mm_alloc(), *b;
	long addr =
		do_mmap(a, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	u64 v = 0xabcd, got = 0;

	b = dup_mm(a);
	/* Touched only after the fork, by the child: the parent must see it. */
	handle_mm_fault(b, (unsigned long)addr + PAGE_SIZE, X86_PF_WRITE, NULL);
	access_mm(b, (unsigned long)addr + PAGE_SIZE, &v, 8, true);
	handle_mm_fault(a, (unsigned long)addr + PAGE_SIZE, 0, NULL);
	access_mm(a, (unsigned long)addr + PAGE_SIZE, &got, 8, false);
	KTEST_EXPECT(got == 0xabcd, "a page written by the child after fork is seen by the parent");
	KTEST_EXPECT(a->rss_shmem == 1 && b->rss_shmem == 1, "each side counts it in RssShmem");
	mmput(a);
	mmput(b);
	KTEST_EXPECT(nr_free_pages() == free_before,
		     "the shared pages are freed with the last user");
}

KTEST(vm_overcommit)
{
	int mode = sysctl_overcommit_memory;
	unsigned long ratio = sysctl_overcommit_ratio, committed = vm_committed_pages;
	struct mm_struct *mm = mm_alloc();
	size_t huge = (totalram_pages() + total_swap_pages + 1) * PAGE_SIZE;
	long a;

	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	a = do_mmap(mm, 0, huge / 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	KTEST_EXPECT(a > 0, "mode 0: a quarter of RAM + swap in one mapping is allowed (lazy)");
	do_munmap(mm, (unsigned long)a, huge / 4);
	KTEST_EXPECT(do_mmap(mm, 0, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) ==
			     -ENOMEM,
		     "mode 0: more than RAM + swap at once is refused");
	KTEST_EXPECT(do_mmap(mm, 0, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) > 0,
		     "a read-only mapping commits nothing and is allowed");
	sysctl_overcommit_memory = OVERCOMMIT_NEVER;
	sysctl_overcommit_ratio = 50;
	a = do_mmap(mm, 0, vm_commit_limit() / 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS);
	KTEST_EXPECT(a > 0, "mode 2: half of CommitLimit (%lu pages) is allowed",
		     vm_commit_limit());
	KTEST_EXPECT(do_mmap(mm, 0, (vm_commit_limit() - vm_committed_pages + 1) * PAGE_SIZE,
			     PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE) == -ENOMEM,
		     "mode 2: one page past CommitLimit is refused, even with MAP_NORESERVE");
	sysctl_overcommit_memory = OVERCOMMIT_ALWAYS;
	KTEST_EXPECT(do_mmap(mm, 0, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) > 0,
		     "mode 1: more than RAM + swap is allowed");
	sysctl_overcommit_memory = OVERCOMMIT_ALWAYS;
	mmput(mm);
	sysctl_overcommit_memory = mode;
	sysctl_overcommit_ratio = ratio;
	KTEST_EXPECT(vm_committed_pages == committed, "Committed_AS back to %lu pages", committed);
}

KTEST(vm_merge)
{
	struct mm_struct *mm = mm_alloc();
	long a = do_mmap(mm, 0x40000000, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);

	do_mmap(mm, 0x40000000 + 2 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	KTEST_EXPECT(a > 0 && count_vmas(mm) == 1,
		     "two adjacent alike mappings merge into one VMA");
	do_mprotect(mm, 0x40000000 + PAGE_SIZE, PAGE_SIZE, PROT_READ);
	KTEST_EXPECT(count_vmas(mm) == 3, "mprotect of a middle page splits it in three");
	do_mprotect(mm, 0x40000000 + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
	KTEST_EXPECT(count_vmas(mm) == 1 && mm->total_vm == 5,
		     "restoring the protection merges them back (%d VMA, %lu pages)",
		     count_vmas(mm), mm->total_vm);
	mmput(mm);
}

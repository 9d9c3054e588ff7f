/* The page-fault handler: concept C4's "the first touch of a page finds no
 * translation; the CPU raises #PF and the kernel runs" and C5's "a free
 * frame is taken, mapped, and the access retried". Called from
 * kernel/traps.c for faults on user addresses, from user or kernel mode.
 * Four cases: a fresh private page (demand-zero), a page of a shared
 * anonymous mapping (found in its shmem object), a page of a file mapping
 * (found in the page cache: a minor fault, or read from the disk: a
 * major one), and a write to a present read-only page: shared
 * copy-on-write since fork (copied, or reused if no longer shared), a
 * page cache page in a MAP_PRIVATE mapping (copied), or a clean page
 * cache page in a MAP_SHARED one (marked dirty, made writable: that is
 * how write-back learns which pages changed).
 *
 * GDB: `break handle_mm_fault`, then `print/x addr`, `print/x error_code`
 * (bit 0 present, 1 write, 2 user, 4 instruction fetch), `pagewalk addr`. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/fs/vfs.h"
#include "kernel/string.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/overcommit.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define STACK_GUARD_GAP (256UL << PAGE_SHIFT) /* Linux's stack_guard_gap */

/* The stack grows down on demand, up to RLIMIT_STACK below its top, and
 * never closer than the guard gap to the mapping below it. */
static struct vm_area_struct *expand_stack(struct mm_struct *mm, struct vm_area_struct *v,
					   unsigned long addr)
{
	unsigned long new_start = addr & PAGE_MASK, grow;
	struct vm_area_struct *prev = NULL, *p;

	if (!v || !(v->vm_flags & VM_GROWSDOWN) || v->vm_end - new_start > current->rlim_stack)
		return NULL;
	list_for_each_entry(p, &mm->mmap, vm_list)
	{
		if (p == v)
			break;
		prev = p;
	}
	if (prev && new_start < prev->vm_end + STACK_GUARD_GAP)
		return NULL;
	grow = (v->vm_start - new_start) >> PAGE_SHIFT;
	if ((v->vm_flags & VM_ACCOUNT) && vm_acct_memory(grow))
		return NULL;
	mm->total_vm += grow;
	v->vm_start = new_start;
	return v;
}

static bool access_allowed(const struct vm_area_struct *v, unsigned long error_code)
{
	if (error_code & X86_PF_WRITE)
		return v->vm_flags & VM_WRITE;
	if (error_code & X86_PF_INSTR)
		return v->vm_flags & VM_EXEC;
	return v->vm_flags & (VM_READ | VM_EXEC | VM_WRITE);
}

/* A private anonymous page starts its life on the inactive LRU list, with
 * its address recorded for the reverse map. */
static void new_anon_page(struct page *page, unsigned long addr)
{
	SetPageFlag(page, PG_anon);
	mod_node_page_state(page, NR_ANON_MAPPED, 1);
	page->index = addr;
	lru_cache_add(page);
}

static void map_new_page(struct mm_struct *mm, pte_t *pte, struct page *page, u64 prot)
{
	*pte = make_pte(page_to_phys(page), prot);
	if (PageFlag(page, PG_pagecache))
		mm->rss_file++;
	else if (PageFlag(page, PG_shmem))
		mm->rss_shmem++;
	else
		mm->rss_anon++;
	mm->hiwater_rss = MAX(mm->hiwater_rss, mm->rss_anon + mm->rss_shmem + mm->rss_file);
}

static void count_major_fault(struct mm_struct *mm)
{
	count_vm_events(PGMAJFAULT, 1);
	if (current->mm == mm)
		current->maj_flt++;
}

/* May the page cache page at index become dirty? 0, or -EIO (SIGBUS)
 * with *why, or -ENOMEM. */
static int file_mkwrite(struct vm_area_struct *v, unsigned long index, const char **why)
{
	struct address_space *mapping = v->vm_file->inode->i_mapping;
	int err = mapping->a_ops->page_mkwrite ? mapping->a_ops->page_mkwrite(mapping, index)
					       : -EROFS;

	if (!err || err == -ENOMEM)
		return err;
	*why = err == -EROFS	? "write to a file on a read-only file system"
	       : err == -ENOSPC ? "write to a file page that has no disk block"
				: "I/O error on the mapped file";
	return -EIO;
}

/* A private copy of a page cache page, in place of it (MAP_PRIVATE
 * write): the copy is anonymous memory from now on. */
static int copy_file_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
			  pte_t *pte, struct page *old)
{
	struct page *page = alloc_page_vma(GFP_KERNEL, v, addr);

	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	new_anon_page(page, addr);
	map_new_page(mm, pte, page, vm_flags_to_pte(v->vm_flags));
	return 0;
}

/* A file mapping's page: from the page cache (minor fault), or read
 * from the disk now (major fault). Past the last page of the file:
 * SIGBUS, as Linux. A write to a MAP_PRIVATE mapping maps a private copy;
 * one to a MAP_SHARED mapping dirties the page; a read maps the page
 * read-only unless it is already dirty in a shared mapping, so the first
 * write to a clean page faults (do_wp_page) and dirties it. */
static int do_file_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
			pte_t *pte, bool write, const char **why)
{
	struct address_space *mapping = v->vm_file->inode->i_mapping;
	unsigned long index = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	bool shared = v->vm_flags & VM_SHARED, major;
	u64 prot = vm_flags_to_pte(v->vm_flags);
	struct page *page;
	int err = 0;

	if (index >= DIV_ROUND_UP(v->vm_file->inode->size, PAGE_SIZE)) {
		*why = "access beyond the end of the mapped file";
		return -EIO;
	}
	if (write && shared) {
		err = file_mkwrite(v, index, why);
		if (err)
			return err;
	}
	page = filemap_fault_page(mapping, index, &major, &err);
	if (!page) {
		*why = "I/O error reading the mapped file";
		return err == -ENOMEM ? -ENOMEM : -EIO;
	}
	if (major)
		count_major_fault(mm);
	if (write && !shared) {
		err = copy_file_page(mm, v, addr, pte, page);
		put_page(page);
		return err;
	}
	if (write)
		set_page_dirty(page);
	else if (!shared || !PageFlag(page, PG_dirty))
		prot &= ~PTE_WRITE;
	page_add_file_rmap(page);
	map_new_page(mm, pte, page, prot); /* our reference becomes the PTE's */
	return 0;
}

/* Demand-zero: a fresh zeroed frame, or the shared object's page; or a
 * file mapping's page. */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
		      pte_t *pte, unsigned long error_code, const char **why)
{
	struct page *page;

	if (v->vm_file)
		return do_file_page(mm, v, addr, pte, error_code & X86_PF_WRITE, why);
	if (v->shm) {
		bool major = false;

		page = shmem_get_page(v->shm, v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT), v,
				      addr, &major);
		if (major)
			count_major_fault(mm);
	} else {
		page = alloc_page_vma(GFP_KERNEL | __GFP_ZERO, v, addr);
		if (page)
			new_anon_page(page, addr);
	}
	if (!page)
		return -ENOMEM;
	map_new_page(mm, pte, page, vm_flags_to_pte(v->vm_flags));
	return 0;
}

/* A write to a present read-only page in a writable VMA: the page is
 * shared copy-on-write. If this mapping is its only user, make it
 * writable again; otherwise copy it and drop our reference. */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
		      pte_t *pte, const char **why)
{
	struct page *old = pfn_to_page(PFN_DOWN(pte_addr(*pte))), *page;
	int err;

	if (PageFlag(old, PG_pagecache)) {
		if (v->vm_flags & VM_SHARED) {
			err = file_mkwrite(v, old->index, why);
			if (err)
				return err;
			set_page_dirty(old);
			*pte |= PTE_WRITE;
			flush_tlb_one(mm->pgd, addr);
			return 0;
		}
		err = copy_file_page(mm, v, addr, pte, old);
		if (err)
			return err;
		mm->rss_file--;
		page_remove_file_rmap(old);
		put_page(old);
		flush_tlb_one(mm->pgd, addr);
		return 0;
	}
	if (v->shm || old->_refcount == 1) {
		*pte |= PTE_WRITE;
		flush_tlb_one(mm->pgd, addr);
		return 0;
	}
	page = alloc_page_vma(GFP_KERNEL, v, addr);
	if (!page)
		return -ENOMEM;
	copy_page(page_address(page), page_address(old));
	new_anon_page(page, addr);
	mm->rss_anon--;
	put_page(old);
	map_new_page(mm, pte, page, vm_flags_to_pte(v->vm_flags));
	flush_tlb_one(mm->pgd, addr);
	return 0;
}

int page_cluster = 3; /* vm.page-cluster, Linux's default */

/* A page just read from slot e for address va of v: the swap cache takes
 * it with the allocation's reference (and a slot reference of its own);
 * if the slot held a shadow entry, refault detection decides which LRU
 * list it starts on (mm/workingset.c). */
static void add_swapin_page(struct page *page, swp_entry_t e, unsigned long va)
{
	void *shadow;

	swap_duplicate(e); /* the cache's slot reference */
	add_to_swap_cache(page, e, &shadow);
	page->_refcount--; /* the allocation's reference becomes the cache's */
	if (shadow)
		workingset_refault(page, shadow);
	new_anon_page(page, va);
}

/* The readahead window for a major swap fault at page number pfn of v,
 * in pages (1: none), as Linux's __swapin_nr_pages: two more than the
 * readahead pages used since the last major fault, rounded up to a power
 * of two (at least 4); with none used, 2 if this fault is next to the
 * last one, else 1. At most 2^page-cluster; never less than half the
 * last window, so one unlucky fault does not undo a good run. */
static unsigned int swapin_nr_pages(const struct vm_area_struct *v, unsigned long pfn)
{
	unsigned int max = 1U << MIN(page_cluster, 9), pages = v->swap_ra_hits + 2;

	if (max == 1)
		return 1;
	if (pages == 2) {
		if (pfn != v->swap_ra_pfn + 1 && pfn + 1 != v->swap_ra_pfn)
			pages = 1;
	} else {
		unsigned int up = 4;

		while (up < pages)
			up <<= 1;
		pages = up;
	}
	return MIN(MAX(pages, v->swap_ra_win / 2), max);
}

/* Swap readahead (Linux's swap_vma_readahead): after a major fault at
 * page number pfn, the pages of a window of win pages around it whose
 * PTEs hold swap entries not yet in the swap cache are read into the
 * swap cache too, but not mapped. The window follows the faults'
 * direction: it starts at pfn after a fault on the page below, ends at
 * pfn after one on the page above, is centred on pfn otherwise; it stays
 * within the VMA and the page table of pfn. Touching a page read ahead is
 * a minor fault (swap_ra_hit), as in Linux; each read still counts in
 * pswpin, and in swap_ra. Speculative: it never reclaims to get a frame
 * (no __GFP_RECLAIM) and stops at the first failure. An unused readahead
 * page is an ordinary inactive anon page that reclaim frees without I/O
 * (its slot still holds the data). */
static void swap_vma_readahead(struct mm_struct *mm, struct vm_area_struct *v, unsigned long pfn,
			       unsigned long prev, unsigned int win)
{
	unsigned long lo = MAX(v->vm_start >> PAGE_SHIFT, pfn & ~511UL);
	unsigned long hi = MIN(v->vm_end >> PAGE_SHIFT, (pfn & ~511UL) + 512);
	unsigned long before = pfn == prev + 1 ? 0 : pfn + 1 == prev ? win - 1 : (win - 1) / 2;
	unsigned long end = MIN(hi, pfn + win - before);

	for (unsigned long p = pfn - MIN(before, pfn - lo); p < end && !v->shm; p++) {
		pte_t *pte = pgtable_walk(mm->pgd, p << PAGE_SHIFT, false);
		struct page *page;
		swp_entry_t e;

		if (p == pfn || !pte || !pte_is_swap(*pte) ||
		    lookup_swap_cache(pte_to_swp_entry(*pte)))
			continue;
		e = pte_to_swp_entry(*pte);
		page = alloc_page_vma(__GFP_NOWARN, v, p << PAGE_SHIFT);
		if (!page)
			break;
		if (swap_readpage(page, e)) {
			__free_page(page);
			break;
		}
		add_swapin_page(page, e, p << PAGE_SHIFT);
		SetPageFlag(page, PG_readahead);
		count_vm_events(SWAP_RA, 1);
	}
}

/* The page behind a swap entry: from the swap cache if another process
 * or readahead brought it in already (a minor fault), else read from disk
 * (a major fault), with readahead around it. */
int swapin_pte(struct mm_struct *mm, struct vm_area_struct *v, unsigned long va, pte_t *pte)
{
	unsigned long pfn = va >> PAGE_SHIFT, prev = v->swap_ra_pfn;
	swp_entry_t e = pte_to_swp_entry(*pte);
	struct page *page = lookup_swap_cache(e);
	unsigned int win = 1;

	if (!page) {
		page = alloc_page_vma(GFP_KERNEL, v, va);
		if (!page)
			return -ENOMEM;
		if (swap_readpage(page, e)) {
			__free_page(page);
			return -EIO;
		}
		add_swapin_page(page, e, va);
		count_major_fault(mm);
		win = swapin_nr_pages(v, pfn);
		v->swap_ra_win = win;
		v->swap_ra_hits = 0;
	} else if (PageFlag(page, PG_readahead)) {
		ClearPageFlag(page, PG_readahead); /* read ahead, and now used */
		count_vm_events(SWAP_RA_HIT, 1);
		v->swap_ra_hits = MIN(v->swap_ra_hits + 1, 255U);
	}
	v->swap_ra_pfn = pfn;
	page->_refcount++; /* our mapping */
	mm->swapents--;
	swap_free(e);
	try_to_free_swap(e);
	/* If anyone else maps the page, or still holds the swap entry (so it
	 * will map it), it is shared copy-on-write: map it read-only. */
	map_new_page(
		mm, pte, page,
		vm_flags_to_pte(v->vm_flags) &
			(page->_refcount > 1 || PageFlag(page, PG_swapcache) ? ~PTE_WRITE : ~0UL));
	flush_tlb_one(mm->pgd, va);
	if (win > 1)
		swap_vma_readahead(mm, v, pfn, prev, win);
	return 0;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long error_code,
		    const char **why)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	const char *reason = NULL;
	pte_t *pte;
	int err;

	count_vm_events(PGFAULT, 1);
	if (!v || addr < v->vm_start) {
		v = expand_stack(mm, v, addr);
		if (!v)
			reason = "no mapping at this address";
	}
	if (!reason && !access_allowed(v, error_code))
		reason = error_code & X86_PF_WRITE   ? "write to a mapping without PROT_WRITE"
			 : error_code & X86_PF_INSTR ? "execute in a mapping without PROT_EXEC"
						     : "read from a PROT_NONE mapping";
	if (reason) {
		if (why)
			*why = reason;
		return -EFAULT;
	}
	pte = pgtable_alloc_pte(mm->pgd, addr & PAGE_MASK, &mm->pgtables_pages);
	if (!pte)
		return -ENOMEM;
	if (pte_is_swap(*pte))
		err = swapin_pte(mm, v, addr & PAGE_MASK, pte);
	else if (!(*pte & PTE_PRESENT))
		err = do_no_page(mm, v, addr & PAGE_MASK, pte, error_code, &reason);
	else if ((error_code & X86_PF_WRITE) && !(*pte & PTE_WRITE))
		err = do_wp_page(mm, v, addr & PAGE_MASK, pte, &reason);
	else
		err = 0; /* already fixed (populate over a touched page, a race) */
	if (err) {
		if (why && reason)
			*why = reason;
		return err;
	}
	/* A store dirtied a shared file page: keep to the dirty limits. */
	if ((error_code & X86_PF_WRITE) && v->vm_file && (v->vm_flags & VM_SHARED))
		balance_dirty_pages_ratelimited();
	if (current->mm == mm) {
		current->min_flt++;
		current->maxrss_kb = MAX(current->maxrss_kb, mm->hiwater_rss * (PAGE_SIZE / 1024));
	}
	return 0;
}

/* User pages and the page tables that map them: dropping mappings,
 * copying them for fork (copy-on-write), and kernel access to a process's
 * memory. A user page's _refcount counts the PTEs (and shmem objects) that
 * hold it; the last put frees it. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

void put_page(struct page *page)
{
	if (--page->_refcount > 0)
		return;
	lru_del(page);
	if (PageFlag(page, PG_anon))
		mod_node_page_state(page, NR_ANON_MAPPED, -1);
	if (PageFlag(page, PG_shmem)) {
		mod_node_page_state(page, NR_SHMEM, -1);
		page->mapping = NULL; /* its object */
	}
	ClearPageFlag(page, PG_anon);
	ClearPageFlag(page, PG_shmem);
	ClearPageFlag(page, PG_referenced);
	ClearPageFlag(page, PG_workingset);
	page->_refcount = 1; /* __free_pages expects the allocation's reference */
	__free_page(page);
}

static struct page *pte_page(pte_t pte)
{
	return pfn_to_page(PFN_DOWN(pte_addr(pte)));
}

static void rss_sub(struct mm_struct *mm, const struct page *page)
{
	if (PageFlag(page, PG_pagecache))
		mm->rss_file--;
	else if (PageFlag(page, PG_shmem))
		mm->rss_shmem--;
	else
		mm->rss_anon--;
}

void zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		pte_t old;

		pte_t *pte = pgtable_walk(mm->pgd, va, false);

		if (pte && pte_is_swap(*pte)) {
			swp_entry_t e = pte_to_swp_entry(*pte);

			*pte = 0;
			mm->swapents--;
			swap_free(e);
			try_to_free_swap(e);
		} else if (unmap_page(mm->pgd, va, &old) == 0) {
			struct page *page = pte_page(old);

			rss_sub(mm, page);
			if (PageFlag(page, PG_pagecache)) {
				if (old & PTE_DIRTY) /* a store we did not see fault */
					set_page_dirty(page);
				page_remove_file_rmap(page);
			}
			put_page(page);
		}
	}
}

/* fork: the child maps the same frames. Private writable pages become
 * read-only in both, so the first write by either side faults and gets
 * its own copy (mm/fault.c, do_wp_page). Page cache pages are not copied
 * (Linux skips shared file mappings too): the child's first touch finds
 * them in the cache, a minor fault. Returns 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	for (unsigned long va = vma->vm_start; va < vma->vm_end; va += PAGE_SIZE) {
		pte_t *s = pgtable_walk(src->pgd, va, false), *d;
		struct page *page;

		if (!s || !*s)
			continue;
		if ((*s & PTE_PRESENT) && PageFlag(pte_page(*s), PG_pagecache))
			continue;
		d = pgtable_alloc_pte(dst->pgd, va, &dst->pgtables_pages);
		if (!d)
			return -ENOMEM;
		if (pte_is_swap(*s)) {
			swap_duplicate(pte_to_swp_entry(*s));
			*d = *s;
			dst->swapents++;
			continue;
		}
		if (!(vma->vm_flags & VM_SHARED))
			*s &= ~PTE_WRITE; /* the caller flushes the parent's TLB */
		*d = *s;
		page = pte_page(*s);
		page->_refcount++;
		if (PageFlag(page, PG_shmem))
			dst->rss_shmem++;
		else
			dst->rss_anon++;
	}
	return 0;
}

size_t access_process_vm(struct task_struct *t, unsigned long addr, void *buf, size_t len,
			 bool write)
{
	return t->mm ? access_mm(t->mm, addr, buf, len, write) : 0;
}

size_t access_mm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len, bool write)
{
	size_t done = 0;

	while (done < len) {
		struct pt_walk w;
		size_t n = MIN(len - done, PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1)));
		char *kva;

		if (!pgtable_lookup(mm->pgd, addr + done, &w) || !(w.entry[1] & PTE_USER))
			break;
		kva = phys_to_virt(w.phys);
		/* Never write into the page cache behind a process's back: a
		 * private file page must be copied first (a write fault). */
		if (write && PageFlag(pfn_to_page(PFN_DOWN(w.phys)), PG_pagecache))
			break;
		if (write)
			memcpy(kva, (char *)buf + done, n);
		else
			memcpy((char *)buf + done, kva, n);
		done += n;
	}
	return done;
}

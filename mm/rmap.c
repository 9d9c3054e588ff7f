/* Reverse mapping: from a page to the PTEs that map it, which reclaim
 * needs to harvest accessed bits (second chance) and to unmap a page
 * before it goes to swap. An anonymous page keeps its user address in
 * page->index; fork copies address spaces at the same addresses, so every
 * PTE mapping the page sits at that address in some process. We look in
 * each process's page tables: cheap with tens of processes (Linux keeps
 * anon_vma chains to find them among thousands).
 *
 * A page cache page keeps its file page number in page->index instead
 * (and a shmem page its index in its object, page->mapping):
 * its PTEs are in the VMAs of its file (vm_file's mapping) that cover
 * that index, at vm_start + (index - vm_pgoff) pages, in any process
 * (Linux keeps the VMAs of a file in an interval tree, i_mmap). */
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* The PTE in mm that maps page, or NULL. */
static pte_t *page_pte(struct mm_struct *mm, struct page *page)
{
	pte_t *pte = pgtable_walk(mm->pgd, page->index, false);

	if (!pte || !(*pte & PTE_PRESENT) || pte_addr(*pte) != page_to_phys(page))
		return NULL;
	return pte;
}

/* Does v map page's file (page cache) or shmem object? */
static bool vma_maps(const struct vm_area_struct *v, const struct page *page)
{
	if (PageFlag(page, PG_shmem))
		return v->shm && v->shm == page->mapping;
	return v->vm_file && v->vm_file->inode->i_mapping == page->mapping;
}

/* Calls fn on every PTE that maps the page cache or shmem page (its
 * index is in its file or object); stops when fn returns false. */
static void for_each_file_pte(struct page *page,
			      bool (*fn)(struct mm_struct *mm, struct vm_area_struct *v,
					 unsigned long addr, pte_t *pte, struct page *page))
{
	struct task_struct *t;

	for_each_process(t)
	{
		struct vm_area_struct *v;

		if (!t->mm)
			continue;
		list_for_each_entry(v, &t->mm->mmap, vm_list)
		{
			unsigned long addr;
			pte_t *pte;

			if (!vma_maps(v, page) || page->index < v->vm_pgoff ||
			    page->index - v->vm_pgoff >= (v->vm_end - v->vm_start) >> PAGE_SHIFT)
				continue;
			addr = v->vm_start + ((page->index - v->vm_pgoff) << PAGE_SHIFT);
			pte = pgtable_walk(t->mm->pgd, addr, false);
			if (!pte || !(*pte & PTE_PRESENT) || pte_addr(*pte) != page_to_phys(page))
				continue;
			if (!fn(t->mm, v, addr, pte, page))
				return;
		}
	}
}

void page_add_file_rmap(struct page *page)
{
	if (++page->_mapcount == 0)
		mod_node_page_state(page, NR_FILE_MAPPED, 1);
}

void page_remove_file_rmap(struct page *page)
{
	if (--page->_mapcount < 0)
		mod_node_page_state(page, NR_FILE_MAPPED, -1);
}

static int file_referenced;

static bool referenced_one(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
			   pte_t *pte, struct page *page)
{
	(void)v, (void)page;
	if (*pte & PTE_ACCESSED) {
		*pte &= ~PTE_ACCESSED;
		flush_tlb_one(mm->pgd, addr);
		file_referenced++;
	}
	return true;
}

static bool mkclean_one(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
			pte_t *pte, struct page *page)
{
	(void)v;
	if (*pte & PTE_DIRTY)
		set_page_dirty(page);
	if (*pte & (PTE_WRITE | PTE_DIRTY)) {
		*pte &= ~(PTE_WRITE | PTE_DIRTY);
		flush_tlb_one(mm->pgd, addr);
	}
	return true;
}

static bool unmap_one(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
		      pte_t *pte, struct page *page)
{
	(void)v;
	if (*pte & PTE_DIRTY)
		set_page_dirty(page);
	*pte = 0;
	flush_tlb_one(mm->pgd, addr);
	mm->rss_file--;
	page_remove_file_rmap(page);
	put_page(page);
	return true;
}

void page_mkclean(struct page *page)
{
	if (page->_mapcount >= 0)
		for_each_file_pte(page, mkclean_one);
}

static bool unmap_shmem_one(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
			    pte_t *pte, struct page *page)
{
	(void)v;
	*pte = 0; /* the object's slot will say where the page is */
	flush_tlb_one(mm->pgd, addr);
	mm->rss_shmem--;
	put_page(page);
	return true;
}

void try_to_unmap_shmem(struct page *page)
{
	for_each_file_pte(page, unmap_shmem_one);
}

bool try_to_unmap_file(struct page *page)
{
	if (page->_mapcount >= 0)
		for_each_file_pte(page, unmap_one);
	return page->_mapcount < 0;
}

/* Clears the accessed bit of every PTE mapping page; returns how many
 * had it set. */
static int harvest_accessed(struct page *page)
{
	struct task_struct *t;
	int referenced = 0;

	if (PageFlag(page, PG_pagecache) || PageFlag(page, PG_shmem)) {
		file_referenced = 0;
		if (page->_mapcount >= 0 || PageFlag(page, PG_shmem))
			for_each_file_pte(page, referenced_one);
		return file_referenced;
	}

	for_each_process(t)
	{
		pte_t *pte = t->mm ? page_pte(t->mm, page) : NULL;

		if (pte && (*pte & PTE_ACCESSED)) {
			*pte &= ~PTE_ACCESSED;
			flush_tlb_one(t->mm->pgd, page->index);
			referenced++;
		}
	}
	return referenced;
}

/* Reclaim's look: accessed bits, plus one the idle scanner took from a
 * PTE before reclaim could see it (PG_young, as Linux's idle page
 * tracking keeps it), so kidled never hides a reference from kswapd. */
int page_referenced(struct page *page)
{
	int referenced = harvest_accessed(page);

	if (PageFlag(page, PG_young)) {
		ClearPageFlag(page, PG_young);
		referenced++;
	}
	if (referenced)
		ClearPageFlag(page, PG_idle);
	return referenced;
}

bool page_idle_harvest(struct page *page)
{
	if (harvest_accessed(page)) {
		SetPageFlag(page, PG_young); /* kept for reclaim's next look */
		ClearPageFlag(page, PG_idle);
	}
	return !PageFlag(page, PG_idle);
}

bool try_to_unmap(struct page *page, swp_entry_t e)
{
	struct task_struct *t;

	for_each_process(t)
	{
		pte_t *pte = t->mm ? page_pte(t->mm, page) : NULL;

		if (!pte)
			continue;
		*pte = swp_entry_to_pte(e);
		flush_tlb_one(t->mm->pgd, page->index);
		swap_duplicate(e);
		t->mm->rss_anon--;
		t->mm->swapents++;
		put_page(page);
	}
	/* Left: the swap cache's reference, and any we could not see. */
	return page->_refcount == 1;
}

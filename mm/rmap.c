/* Reverse mapping: from a page to the PTEs that map it, which reclaim
 * needs to harvest accessed bits (second chance) and to unmap a page
 * before it goes to swap. An anonymous page keeps its user address in
 * page->index; fork copies address spaces at the same addresses, so every
 * PTE mapping the page sits at that address in some process. We look in
 * each process's page tables: cheap with tens of processes (Linux keeps
 * anon_vma chains to find them among thousands). */
#include "kernel/sched.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"

/* The PTE in mm that maps page, or NULL. */
static pte_t *page_pte(struct mm_struct *mm, struct page *page)
{
	pte_t *pte = pgtable_walk(mm->pgd, page->index, false);

	if (!pte || !(*pte & PTE_PRESENT) || pte_addr(*pte) != page_to_phys(page))
		return NULL;
	return pte;
}

int page_referenced(struct page *page)
{
	struct task_struct *t;
	int referenced = 0;

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

/* The page-fault handler: concept C4's "the first touch of a page finds no
 * translation; the CPU raises #PF and the kernel runs" and C5's "a free
 * frame is taken, mapped, and the access retried". Called from
 * kernel/traps.c for faults on user addresses, from user or kernel mode.
 * Three cases: a fresh private page (demand-zero), a page of a shared
 * anonymous mapping (found in its shmem object), and a write to a page
 * shared copy-on-write since fork (copied, or reused if no longer shared).
 *
 * GDB: `break handle_mm_fault`, then `print/x addr`, `print/x error_code`
 * (bit 0 present, 1 write, 2 user, 4 instruction fetch), `pagewalk addr`. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
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
	vm_stat[NR_ANON_MAPPED]++;
	page->index = addr;
	lru_cache_add(page);
}

static void map_new_page(struct mm_struct *mm, pte_t *pte, struct page *page, u64 prot)
{
	*pte = make_pte(page_to_phys(page), prot);
	if (PageFlag(page, PG_shmem))
		mm->rss_shmem++;
	else
		mm->rss_anon++;
	mm->hiwater_rss = MAX(mm->hiwater_rss, mm->rss_anon + mm->rss_shmem);
}

/* Demand-zero: a fresh zeroed frame, or the shared object's page. */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr,
		      pte_t *pte)
{
	struct page *page;

	if (v->shm) {
		page = shmem_get_page(v->shm, v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT));
	} else {
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
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
		      pte_t *pte)
{
	struct page *old = pfn_to_page(PFN_DOWN(pte_addr(*pte))), *page;

	if (v->shm || old->_refcount == 1) {
		*pte |= PTE_WRITE;
		flush_tlb_one(mm->pgd, addr);
		return 0;
	}
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	new_anon_page(page, addr);
	mm->rss_anon--;
	put_page(old);
	map_new_page(mm, pte, page, vm_flags_to_pte(v->vm_flags));
	flush_tlb_one(mm->pgd, addr);
	return 0;
}

/* The page behind a swap entry: from the swap cache if another process
 * brought it in already, else read from disk (a major fault). */
int swapin_pte(struct mm_struct *mm, struct vm_area_struct *v, unsigned long va, pte_t *pte)
{
	swp_entry_t e = pte_to_swp_entry(*pte);
	struct page *page = lookup_swap_cache(e);

	if (!page) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		if (swap_readpage(page, e)) {
			__free_page(page);
			return -EIO;
		}
		new_anon_page(page, va);
		swap_duplicate(e); /* the cache's slot reference */
		add_to_swap_cache(page, e);
		page->_refcount--; /* the allocation's reference becomes the cache's */
		count_vm_events(PGMAJFAULT, 1);
		if (current->mm == mm)
			current->maj_flt++;
	}
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
		err = do_no_page(mm, v, addr & PAGE_MASK, pte);
	else if ((error_code & X86_PF_WRITE) && !(*pte & PTE_WRITE))
		err = do_wp_page(mm, v, addr & PAGE_MASK, pte);
	else
		err = 0; /* already fixed (populate over a touched page, a race) */
	if (err)
		return err;
	if (current->mm == mm) {
		current->min_flt++;
		current->maxrss_kb = MAX(current->maxrss_kb, mm->hiwater_rss * (PAGE_SIZE / 1024));
	}
	return 0;
}

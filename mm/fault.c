/* The page-fault handler: concept C4's "the first touch of a page finds no
 * translation; the CPU raises #PF and the kernel runs" and C5's "a free
 * frame is taken, mapped, and the access retried". Called from
 * kernel/traps.c for faults on user addresses, from user or kernel mode.
 *
 * GDB: `break handle_mm_fault`, then `print/x addr`, `print/x error_code`
 * (bit 0 present, 1 write, 2 user, 4 instruction fetch). */
#include "kernel/sched.h"
#include "kernel/errno.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/vmstat.h"

/* The stack grows down on demand, up to STACK_LIMIT below its top. */
static struct vm_area_struct *expand_stack(struct vm_area_struct *v, unsigned long addr)
{
	unsigned long new_start = addr & PAGE_MASK;

	if (!v || !(v->vm_flags & VM_GROWSDOWN) || v->vm_end - new_start > STACK_LIMIT)
		return NULL;
	v->vm_mm->total_vm += (v->vm_start - new_start) >> PAGE_SHIFT;
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

/* Demand-zero: a fresh zeroed frame, mapped with the VMA's protection. */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long addr)
{
	pte_t *pte = pgtable_alloc_pte(mm->pgd, addr, &mm->pgtables_pages);
	struct page *page;

	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_PRESENT)
		return 0; /* already there (populate over a touched page) */
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	*pte = make_pte(page_to_phys(page), vm_flags_to_pte(v->vm_flags));
	mm->rss_anon++;
	return 0;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long error_code,
		    const char **why)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	const char *reason = NULL;
	int err;

	count_vm_events(PGFAULT, 1);
	if (!v || addr < v->vm_start) {
		v = expand_stack(v, addr);
		if (!v)
			reason = "no mapping at this address";
	}
	if (!reason && !access_allowed(v, error_code))
		reason = error_code & X86_PF_WRITE   ? "write to a mapping without PROT_WRITE"
			 : error_code & X86_PF_INSTR ? "execute in a mapping without PROT_EXEC"
						     : "read from a PROT_NONE mapping";
	if (!reason && (error_code & X86_PF_PROT))
		reason = "protection violation on a present page";
	if (reason) {
		if (why)
			*why = reason;
		return -EFAULT;
	}
	err = do_anonymous_page(mm, v, addr & PAGE_MASK);
	if (err)
		return err;
	if (current->mm == mm) {
		current->min_flt++;
		current->maxrss_kb = MAX(current->maxrss_kb, mm->rss_anon * (PAGE_SIZE / 1024));
	}
	return 0;
}

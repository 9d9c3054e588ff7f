/* User address spaces: creating and destroying an mm_struct, its VMAs
 * (a sorted linked list: few VMAs per process here, and a list is the
 * easiest structure to read; Linux uses a maple tree for thousands), and
 * brk, mmap, munmap, mprotect on them. Mappings are lazy: a VMA reserves
 * addresses, the page-fault handler (mm/fault.c) brings the pages
 * (concepts C3-C5). */
#include "mm/mmap.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	/* The kernel half is shared: the same pud tables in every pgd. */
	memcpy(mm->pgd + PTRS_PER_TABLE / 2, kernel_pgd + PTRS_PER_TABLE / 2,
	       PTRS_PER_TABLE / 2 * sizeof(pte_t));
	INIT_LIST_HEAD(&mm->mmap);
	return mm;
}

void switch_mm(struct mm_struct *mm)
{
	u64 cr3 = virt_to_phys(mm ? mm->pgd : kernel_pgd);

	if ((read_cr3() & PTE_ADDR_MASK) != cr3)
		write_cr3(cr3);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *v;

	list_for_each_entry(v, &mm->mmap, vm_list) if (addr < v->vm_end) return v;
	return NULL;
}

/* Adds [start, end) with flags, keeping the list sorted; the range must be
 * free. Returns the VMA or NULL (out of memory). */
static struct vm_area_struct *insert_vma(struct mm_struct *mm, unsigned long start,
					 unsigned long end, unsigned long flags)
{
	struct vm_area_struct *v = kzalloc(sizeof(*v), GFP_KERNEL), *next;

	if (!v)
		return NULL;
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags;
	v->vm_mm = mm;
	next = find_vma(mm, start);
	list_add_tail(&v->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
	mm->total_vm += (end - start) >> PAGE_SHIFT;
	return v;
}

static void remove_vma(struct vm_area_struct *v)
{
	v->vm_mm->map_count--;
	v->vm_mm->total_vm -= (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	list_del(&v->vm_list);
	kfree(v);
}

/* Frees the pages mapped in [start, end) and clears their PTEs. */
void zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		pte_t old;

		if (unmap_page(mm->pgd, va, &old) == 0) {
			__free_page(pfn_to_page(PFN_DOWN(pte_addr(old))));
			mm->rss_anon--;
		}
	}
}

/* Splits v at addr so that a VMA ends there; 0 or -ENOMEM. */
static int split_vma(struct vm_area_struct *v, unsigned long addr)
{
	struct vm_area_struct *tail;

	if (addr <= v->vm_start || addr >= v->vm_end)
		return 0;
	tail = kzalloc(sizeof(*tail), GFP_KERNEL);
	if (!tail)
		return -ENOMEM;
	*tail = *v;
	tail->vm_start = addr;
	v->vm_end = addr;
	list_add(&tail->vm_list, &v->vm_list);
	v->vm_mm->map_count++;
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end = start + PAGE_ALIGN(len);
	struct vm_area_struct *v;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !len || end > TASK_SIZE || end < start)
		return -EINVAL;
	while ((v = find_vma(mm, start)) && v->vm_start < end) {
		if (split_vma(v, start) || split_vma(find_vma(mm, start), end))
			return -ENOMEM;
		v = find_vma(mm, start);
		zap_page_range(mm, v->vm_start, v->vm_end);
		remove_vma(v);
	}
	return 0;
}

/* Finds a free range of len bytes, highest first below MMAP_BASE, as
 * Linux's top-down allocator does; 0 if there is none. */
static unsigned long get_unmapped_area(struct mm_struct *mm, size_t len)
{
	unsigned long end = MMAP_BASE;
	struct vm_area_struct *v;

	list_for_each_entry_reverse(v, &mm->mmap, vm_list)
	{
		if (v->vm_end >= end) {
			end = MIN(end, v->vm_start);
			continue;
		}
		if (end - v->vm_end >= len)
			return end - len;
		end = v->vm_start;
	}
	return end >= MMAP_MIN_ADDR + len ? end - len : 0;
}

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* Faults in every page of [start, end) (MAP_POPULATE, ELF loading). */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		int err = handle_mm_fault(mm, va, 0, NULL);

		if (err)
			return err;
	}
	return 0;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
	     unsigned long flags)
{
	unsigned long type = flags & MAP_TYPE, vm_flags;
	struct vm_area_struct *v;

	if (!len || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (type != MAP_PRIVATE || !(flags & MAP_ANONYMOUS))
		return -EINVAL; /* shared and file mappings arrive with the VM issue */
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(addr, PAGE_SIZE) || addr + len > TASK_SIZE || addr < MMAP_MIN_ADDR)
			return -EINVAL;
		v = find_vma(mm, addr);
		if (v && v->vm_start < addr + len) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			do_munmap(mm, addr, len);
		}
	} else {
		addr = get_unmapped_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	vm_flags = prot_to_vm_flags(prot);
	v = insert_vma(mm, addr, addr + len, vm_flags);
	if (!v)
		return -ENOMEM;
	if ((flags & MAP_POPULATE) && vm_flags && populate_range(mm, addr, addr + len))
		return -ENOMEM;
	return (long)addr;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long new_brk)
{
	unsigned long old_end = PAGE_ALIGN(mm->brk), new_end = PAGE_ALIGN(new_brk);
	struct vm_area_struct *heap, *next;

	if (new_brk < mm->start_brk || new_brk > TASK_SIZE)
		return mm->brk;
	if (new_end < old_end) {
		do_munmap(mm, new_end, old_end - new_end);
	} else if (new_end > old_end) {
		next = find_vma(mm, old_end);
		if (next && next->vm_start < new_end + PAGE_SIZE)
			return mm->brk; /* would collide with the next mapping */
		heap = old_end > mm->start_brk ? find_vma(mm, old_end - 1) : NULL;
		if (heap && heap->vm_end == old_end) {
			heap->vm_end = new_end;
			mm->total_vm += (new_end - old_end) >> PAGE_SHIFT;
		} else if (!insert_vma(mm, old_end, new_end, VM_READ | VM_WRITE)) {
			return mm->brk;
		}
	}
	mm->brk = new_brk;
	return new_brk;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot)
{
	unsigned long end = start + PAGE_ALIGN(len), vm_flags = prot_to_vm_flags(prot);
	struct vm_area_struct *v;

	if (!IS_ALIGNED(start, PAGE_SIZE) || end < start || end > TASK_SIZE ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	/* Linux: the whole range must be mapped, or nothing changes. */
	for (unsigned long a = start; a < end;) {
		v = find_vma(mm, a);
		if (!v || v->vm_start > a)
			return -ENOMEM;
		a = v->vm_end;
	}
	for (unsigned long a = start; a < end;) {
		if (split_vma(find_vma(mm, a), a) || split_vma(find_vma(mm, a), end))
			return -ENOMEM;
		v = find_vma(mm, a);
		v->vm_flags = (v->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | vm_flags;
		for (unsigned long va = v->vm_start; va < v->vm_end; va += PAGE_SIZE)
			protect_page(mm->pgd, va, vm_flags_to_pte(v->vm_flags));
		a = v->vm_end;
	}
	return 0;
}

u64 vm_flags_to_pte(unsigned long vm_flags)
{
	u64 pte = PTE_PRESENT | PTE_USER;

	/* PROT_NONE: keep the frame but without U/S, so any user access
	 * faults as a protection violation and the VMA check refuses it. */
	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return PTE_PRESENT | PTE_NX;
	if (vm_flags & VM_WRITE)
		pte |= PTE_WRITE;
	if (!(vm_flags & VM_EXEC))
		pte |= PTE_NX;
	return pte;
}

/* fork: a full copy of the parent's address space (copy-on-write comes
 * with the VM issue). NULL if memory runs out. */
struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *v;

	if (!mm)
		return NULL;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	list_for_each_entry(v, &old->mmap, vm_list)
	{
		if (!insert_vma(mm, v->vm_start, v->vm_end, v->vm_flags))
			goto fail;
		for (unsigned long va = v->vm_start; va < v->vm_end; va += PAGE_SIZE) {
			pte_t *src = pgtable_walk(old->pgd, va, false), *dst;
			struct page *page;

			if (!src || !(*src & PTE_PRESENT))
				continue;
			page = alloc_page(GFP_KERNEL);
			dst = page ? pgtable_alloc_pte(mm->pgd, va, &mm->pgtables_pages) : NULL;
			if (!dst) {
				if (page)
					__free_page(page);
				goto fail;
			}
			memcpy(page_address(page), phys_to_virt(pte_addr(*src)), PAGE_SIZE);
			*dst = make_pte(page_to_phys(page), *src & PTE_FLAGS_MASK);
			mm->rss_anon++;
		}
	}
	return mm;
fail:
	mmput(mm);
	return NULL;
}

void mmput(struct mm_struct *mm)
{
	while (!list_empty(&mm->mmap)) {
		struct vm_area_struct *v =
			list_first_entry(&mm->mmap, struct vm_area_struct, vm_list);

		zap_page_range(mm, v->vm_start, v->vm_end);
		remove_vma(v);
	}
	mm->pgtables_pages -= free_user_pgtables(mm->pgd);
	free_pages(mm->pgd, 0);
	kfree(mm);
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
		if (write)
			memcpy(kva, (char *)buf + done, n);
		else
			memcpy((char *)buf + done, kva, n);
		done += n;
	}
	return done;
}

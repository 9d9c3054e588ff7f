/* User address spaces: creating and destroying an mm_struct, its VMAs
 * (a sorted linked list: few VMAs per process here, and a list is the
 * easiest structure to read; Linux uses a maple tree for thousands), and
 * brk, mmap, munmap, mprotect on them. Mappings are lazy: a VMA reserves
 * addresses, the page-fault handler (mm/fault.c) brings the pages
 * (concepts C3-C5). Private writable and shared mappings are charged to
 * Committed_AS (mm/overcommit.c); shared file mappings are not (the file
 * is their backing store, as in Linux).
 *
 * A file mapping (vm_file, vm_pgoff) maps pages of the file's page cache
 * (mm/filemap.c): the fault handler finds or reads them; MAP_PRIVATE
 * writes copy them into anonymous pages, MAP_SHARED writes dirty them. */
#include "mm/mmap.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/overcommit.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"

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

static int page_count(phys_addr_t pa)
{
	return pfn_to_page(PFN_DOWN(pa))->_refcount;
}

static bool file_page_needs_wp(const struct vm_area_struct *v, phys_addr_t pa)
{
	const struct page *page = pfn_to_page(PFN_DOWN(pa));

	return PageFlag(page, PG_pagecache) &&
	       (!(v->vm_flags & VM_SHARED) || !PageFlag(page, PG_dirty));
}

static unsigned long vma_pages(const struct vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* Is a mapping with these flags charged to Committed_AS? A shared file
 * mapping is not: its pages can always go back to the file. */
static bool accountable(unsigned long flags, const struct file *file)
{
	return !(file && (flags & VM_SHARED)) && vma_accountable(flags);
}

/* Adds [start, end) with flags, keeping the list sorted; the range must be
 * free. Commits the memory if the mapping is accountable. Returns the VMA,
 * or NULL (out of memory or refused by the overcommit policy). The caller
 * sets vm_file (for the accounting, file says whether there will be one). */
static struct vm_area_struct *insert_vma(struct mm_struct *mm, unsigned long start,
					 unsigned long end, unsigned long flags,
					 const struct file *file)
{
	struct vm_area_struct *v, *next;

	if (accountable(flags, file)) {
		if (vm_acct_memory((end - start) >> PAGE_SHIFT))
			return NULL;
		flags |= VM_ACCOUNT;
	}
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v) {
		if (flags & VM_ACCOUNT)
			vm_unacct_memory((end - start) >> PAGE_SHIFT);
		return NULL;
	}
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags;
	v->vm_mm = mm;
	next = find_vma(mm, start);
	list_add_tail(&v->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
	mm->total_vm += vma_pages(v);
	return v;
}

static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags && a->shm == b->shm &&
	       a->vm_file == b->vm_file &&
	       (!(a->shm || a->vm_file) || a->vm_pgoff + vma_pages(a) == b->vm_pgoff) &&
	       mpol_equal(&a->vm_policy, &b->vm_policy);
}

/* Folds next into v: both already count their pages (total_vm, commit). */
static void absorb_next(struct vm_area_struct *v, struct vm_area_struct *next)
{
	v->vm_end = next->vm_end;
	if (next->shm)
		shmem_put(next->shm);
	if (next->vm_file)
		fput(next->vm_file);
	list_del(&next->vm_list);
	v->vm_mm->map_count--;
	kfree(next);
}

/* Merges every pair of neighbours that are contiguous and alike (same
 * flags, same shared object at consecutive offsets, same NUMA policy), as Linux's vma_merge
 * does after mmap and mprotect, so that a process's map stays short. */
static void merge_vmas(struct mm_struct *mm)
{
	struct list_head *pos = mm->mmap.next;

	while (pos != &mm->mmap && pos->next != &mm->mmap) {
		struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		struct vm_area_struct *next = list_entry(pos->next, struct vm_area_struct, vm_list);

		if (can_merge(v, next))
			absorb_next(v, next);
		else
			pos = pos->next;
	}
}

static void remove_vma(struct vm_area_struct *v)
{
	v->vm_mm->map_count--;
	v->vm_mm->total_vm -= vma_pages(v);
	if (v->vm_flags & VM_ACCOUNT)
		vm_unacct_memory(vma_pages(v));
	if (v->shm)
		shmem_put(v->shm);
	if (v->vm_file)
		fput(v->vm_file);
	list_del(&v->vm_list);
	kfree(v);
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
	tail->vm_pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	if (tail->shm)
		shmem_get(tail->shm);
	if (tail->vm_file)
		get_file(tail->vm_file);
	v->vm_end = addr;
	list_add(&tail->vm_list, &v->vm_list);
	v->vm_mm->map_count++;
	return 0;
}

/* Makes VMA boundaries at start and end (if they fall inside VMAs). */
static int split_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	if (v && split_vma(v, start))
		return -ENOMEM;
	v = find_vma(mm, end);
	if (v && split_vma(v, end))
		return -ENOMEM;
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end = start + PAGE_ALIGN(len);
	struct vm_area_struct *v;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !len || end > TASK_SIZE || end < start)
		return -EINVAL;
	if (split_range(mm, start, end))
		return -ENOMEM;
	while ((v = find_vma(mm, start)) && v->vm_start < end) {
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

/* Linux's RLIMIT_DATA and RLIMIT_AS checks (may_expand_vm). */
static bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long pages)
{
	const struct task_struct *t = current;

	if (mm->total_vm + pages > t->rlim_as >> PAGE_SHIFT)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE &&
	    vm_data_pages(mm) + pages > t->rlim_data >> PAGE_SHIFT)
		return false;
	return true;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
	     unsigned long flags)
{
	if (!(flags & MAP_ANONYMOUS))
		return -EINVAL;
	return do_mmap_file(mm, addr, len, prot, flags, NULL, 0);
}

long do_mmap_file(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
		  unsigned long flags, struct file *file, unsigned long pgoff)
{
	unsigned long type = flags & MAP_TYPE, vm_flags;
	struct vm_area_struct *v;

	if (!len || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if ((type != MAP_PRIVATE && type != MAP_SHARED) || !(flags & MAP_ANONYMOUS) != !!file)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	vm_flags = prot_to_vm_flags(prot) | (type == MAP_SHARED ? VM_SHARED : 0) |
		   (flags & MAP_NORESERVE ? VM_NORESERVE : 0);
	if (!may_expand_vm(mm, vm_flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (len > TASK_SIZE - addr)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM; /* vm.mmap_min_addr, as Linux */
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
	v = insert_vma(mm, addr, addr + len, vm_flags, file);
	if (!v)
		return -ENOMEM;
	if (file) {
		v->vm_file = get_file(file);
		v->vm_pgoff = pgoff;
	} else if (type == MAP_SHARED) {
		v->shm = shmem_create(len >> PAGE_SHIFT);
		if (!v->shm) {
			remove_vma(v);
			return -ENOMEM;
		}
	}
	merge_vmas(mm);
	if ((flags & MAP_POPULATE) && prot && populate_range(mm, addr, addr + len))
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
		unsigned long pages = (new_end - old_end) >> PAGE_SHIFT;

		next = find_vma(mm, old_end);
		if (next && next->vm_start < new_end + PAGE_SIZE)
			return mm->brk; /* would collide with the next mapping */
		if (!may_expand_vm(mm, VM_READ | VM_WRITE, pages))
			return mm->brk;
		heap = old_end > mm->start_brk ? find_vma(mm, old_end - 1) : NULL;
		if (heap && heap->vm_end == old_end && !heap->shm && !heap->vm_file &&
		    heap->vm_policy.mode == MPOL_DEFAULT &&
		    heap->vm_flags == (VM_READ | VM_WRITE | VM_ACCOUNT)) {
			if (vm_acct_memory(pages))
				return mm->brk;
			heap->vm_end = new_end;
			mm->total_vm += pages;
		} else if (!insert_vma(mm, old_end, new_end, VM_READ | VM_WRITE, NULL)) {
			return mm->brk;
		}
		merge_vmas(mm);
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
	if (split_range(mm, start, end))
		return -ENOMEM;
	list_for_each_entry(v, &mm->mmap, vm_list)
	{
		unsigned long newflags = (v->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | vm_flags;

		if (v->vm_end <= start)
			continue;
		if (v->vm_start >= end)
			break;
		/* Becoming writable commits private memory (Linux's mprotect_fixup). */
		if (!(newflags & VM_ACCOUNT) && accountable(newflags, v->vm_file)) {
			if (vm_acct_memory(vma_pages(v)))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
		v->vm_flags = newflags;
		for (unsigned long va = v->vm_start; va < v->vm_end; va += PAGE_SIZE) {
			pte_t *pte = pgtable_walk(mm->pgd, va, false);
			u64 prot_bits = vm_flags_to_pte(newflags);

			if (!pte || !(*pte & PTE_PRESENT))
				continue;
			/* A copy-on-write page stays read-only until its fault;
			 * so does a page cache page in a private mapping (its
			 * first write copies it), and a clean one in a shared
			 * mapping (its first write dirties it). */
			if (!(v->vm_flags & VM_SHARED) && page_count(pte_addr(*pte)) > 1)
				prot_bits &= ~PTE_WRITE;
			if (file_page_needs_wp(v, pte_addr(*pte)))
				prot_bits &= ~PTE_WRITE;
			protect_page(mm->pgd, va, prot_bits);
		}
	}
	merge_vmas(mm);
	return 0;
}

/* Whether every present page of [start, end) sits on a node pol allows
 * (mbind's MPOL_MF_STRICT). Policies without nodes allow any. */
static bool pages_follow_policy(struct mm_struct *mm, unsigned long start, unsigned long end,
				const struct mempolicy *pol)
{
	for (unsigned long va = start; va < end && pol->nodes; va += PAGE_SIZE) {
		struct pt_walk w;

		if (pgtable_lookup(mm->pgd, va, &w) &&
		    !((pol->nodes >> page_to_nid(pfn_to_page(PFN_DOWN(w.phys)))) & 1))
			return false;
	}
	return true;
}

int mbind_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		const struct mempolicy *pol, bool strict)
{
	struct vm_area_struct *v;

	for (unsigned long a = start; a < end;) {
		v = find_vma(mm, a);
		if (!v || v->vm_start > a)
			return -EFAULT; /* a hole in the range: Linux's errno */
		a = v->vm_end;
	}
	if (split_range(mm, start, end))
		return -ENOMEM;
	list_for_each_entry(v, &mm->mmap, vm_list)
	{
		if (v->vm_end <= start)
			continue;
		if (v->vm_start >= end)
			break;
		v->vm_policy = *pol;
	}
	merge_vmas(mm);
	/* As Linux: the policy is set, and EIO says pages already break it. */
	if (strict && !pages_follow_policy(mm, start, end, pol))
		return -EIO;
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

unsigned long vm_data_pages(struct mm_struct *mm)
{
	struct vm_area_struct *v;
	unsigned long n = 0;

	list_for_each_entry(v, &mm->mmap,
			    vm_list) if ((v->vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) ==
					 VM_WRITE) n += vma_pages(v);
	return n;
}

/* fork: the child gets the same VMAs and, through copy_page_range, the
 * same frames, copy-on-write. NULL if memory (or commit) runs out. */
struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *v, *nv;

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
	if (old->exe_inode) { /* the child runs the program too */
		mm->exe_inode = iget(old->exe_inode);
		old->exe_inode->i_writecount--;
	}
	list_for_each_entry(v, &old->mmap, vm_list)
	{
		nv = insert_vma(mm, v->vm_start, v->vm_end, v->vm_flags & ~VM_ACCOUNT, v->vm_file);
		if (!nv)
			goto fail;
		nv->vm_flags = (v->vm_flags & ~VM_ACCOUNT) | (nv->vm_flags & VM_ACCOUNT);
		nv->vm_pgoff = v->vm_pgoff;
		nv->vm_policy = v->vm_policy;
		nv->shm = v->shm;
		if (nv->shm)
			shmem_get(nv->shm);
		nv->vm_file = v->vm_file ? get_file(v->vm_file) : NULL;
		if (copy_page_range(mm, old, v))
			goto fail;
	}
	mm->hiwater_rss = mm->rss_anon + mm->rss_shmem + mm->rss_file;
	return mm;
fail:
	mmput(mm);
	return NULL;
}

void mmput(struct mm_struct *mm)
{
	unsigned long freed;

	while (!list_empty(&mm->mmap)) {
		struct vm_area_struct *v =
			list_first_entry(&mm->mmap, struct vm_area_struct, vm_list);

		zap_page_range(mm, v->vm_start, v->vm_end);
		remove_vma(v);
	}
	freed = free_user_pgtables(mm->pgd);
	mm->pgtables_pages -= freed;
	free_pages(mm->pgd, 0);
	if (mm->exe_inode) {
		allow_write_access(mm->exe_inode);
		iput(mm->exe_inode);
	}
	kfree(mm);
}

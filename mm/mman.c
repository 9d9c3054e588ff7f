/* The memory system calls: brk, mmap, munmap, mprotect, madvise, mincore,
 * msync.
 * Argument checks and errno values follow Linux; the work is in
 * mm/mmap.c. These are what malloc calls (concepts C1, C2). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/filemap.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8
#define MADV_PAGEOUT	21

SYSCALL_DEFINE1(12, brk, unsigned long, addr)
{
	return (long)do_brk(current->mm, addr);
}

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC	      4

/* A file mapping, with Linux's checks in its order (do_mmap): EBADF, then
 * EACCES (a shared writable mapping needs a file open for writing; any
 * mapping one open for reading), then ENODEV (only disk files, which have
 * a page cache, can be mapped; initramfs and procfs files, pipes and
 * devices cannot), EOVERFLOW (the offset plus the length wraps). */
static long mmap_file(unsigned long addr, size_t len, unsigned long prot, unsigned long flags,
		      int fd, unsigned long off)
{
	struct file *f = fget(fd);
	unsigned int acc;
	long ret;

	if (!f)
		return -EBADF;
	acc = f->flags & O_ACCMODE;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) && acc != O_RDWR)
		ret = -EACCES;
	else if (acc == O_WRONLY)
		ret = -EACCES;
	else if (!f->inode->i_mapping || !S_ISREG(f->inode->mode))
		ret = -ENODEV;
	else if (len && (off >> PAGE_SHIFT) + (PAGE_ALIGN(len) >> PAGE_SHIFT) < (off >> PAGE_SHIFT))
		ret = -EOVERFLOW;
	else
		ret = do_mmap_file(current->mm, addr, len, prot, flags, f, off >> PAGE_SHIFT);
	fput(f);
	return ret;
}

SYSCALL_DEFINE6(9, mmap, unsigned long, addr, size_t, len, unsigned long, prot, unsigned long,
		flags, int, fd, unsigned long, off)
{
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return mmap_file(addr, len, prot, flags, fd, off);
	return do_mmap(current->mm, addr, len, prot, flags);
}

/* msync: MS_SYNC writes back the dirty pages of the shared file
 * mappings in the range, and returns the first write-back error (-EIO).
 * MS_ASYNC has nothing to start: a store through a shared mapping marks
 * its page dirty at once (the write-protect fault), and write-back comes
 * from sync, fsync or reclaim (Linux too makes it a no-op).
 * MS_INVALIDATE has nothing to drop: mappings share the page cache pages,
 * they are never stale. Errors as Linux: EINVAL (unaligned address,
 * unknown flags, MS_ASYNC with MS_SYNC), ENOMEM (part of the range
 * unmapped; the mapped parts are still synced). */
SYSCALL_DEFINE3(26, msync, unsigned long, start, size_t, len, int, flags)
{
	unsigned long end, a;
	int err = 0, unmapped = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	for (a = start; a < end;) {
		struct vm_area_struct *v = find_vma(current->mm, a);

		if (!v || v->vm_start >= end) {
			unmapped = 1;
			break;
		}
		if (v->vm_start > a)
			unmapped = 1;
		a = MAX(a, v->vm_start);
		if ((flags & MS_SYNC) && v->vm_file && (v->vm_flags & VM_SHARED)) {
			unsigned long first = v->vm_pgoff + ((a - v->vm_start) >> PAGE_SHIFT);
			unsigned long last = v->vm_pgoff +
					     ((MIN(end, v->vm_end) - v->vm_start) >> PAGE_SHIFT) -
					     1;
			int e = filemap_write_and_wait_range(v->vm_file->inode->i_mapping, first,
							     last);

			if (e && !err)
				err = e;
		}
		a = v->vm_end;
	}
	return err ? err : unmapped ? -ENOMEM : 0;
}

SYSCALL_DEFINE2(11, munmap, unsigned long, addr, size_t, len)
{
	return do_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(10, mprotect, unsigned long, addr, size_t, len, unsigned long, prot)
{
	return do_mprotect(current->mm, addr, len, prot);
}

/* MADV_PAGEOUT (Linux 5.4): reclaim the private anonymous pages of the
 * range now, through the ordinary path (swap cache, swap slot, swap
 * entries in the PTEs), as if they had reached the end of the LRU. Like
 * Linux, pages shared with another process are left alone, and without
 * swap nothing happens. Always 0 for a mapped range. */
static void madvise_pageout(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long a = start; a < end && nr_swap_pages; a += PAGE_SIZE) {
		pte_t *pte = pgtable_walk(mm->pgd, a, false);
		struct page *page;

		if (!pte || !(*pte & PTE_PRESENT))
			continue;
		page = pfn_to_page(PFN_DOWN(pte_addr(*pte)));
		if (PageFlag(page, PG_anon) && PageFlag(page, PG_lru) && page->_refcount == 1)
			reclaim_page(page);
		preempt_if_needed();
	}
}

/* MADV_DONTNEED/MADV_FREE drop the pages: the next touch reads zeros.
 * MADV_PAGEOUT swaps them out. The other advice is accepted and has no
 * effect here. */
SYSCALL_DEFINE3(28, madvise, unsigned long, addr, size_t, len, int, advice)
{
	unsigned long end = addr + PAGE_ALIGN(len);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || end < addr || end > TASK_SIZE)
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
		for (unsigned long a = addr; a < end;) {
			struct vm_area_struct *v = find_vma(current->mm, a);

			if (!v || v->vm_start >= end)
				break;
			zap_page_range(current->mm, MAX(a, v->vm_start), MIN(end, v->vm_end));
			a = v->vm_end;
		}
		return 0;
	case MADV_PAGEOUT:
		for (unsigned long a = addr; a < end;) {
			struct vm_area_struct *v = find_vma(current->mm, a);

			if (!v || v->vm_start >= end)
				break;
			if (!v->shm)
				madvise_pageout(current->mm, MAX(a, v->vm_start),
						MIN(end, v->vm_end));
			a = v->vm_end;
		}
		return 0;
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
		return 0;
	default:
		return -EINVAL;
	}
}

/* One byte per page: 1 if resident: mapped here, or, for a file mapping's
 * page not mapped (yet) by this process, in the page cache (Linux's
 * mincore reports page cache residency too), or, for a swapped-out page,
 * in the swap cache (read ahead, or shared), as Linux's mincore_page
 * does. -ENOMEM if part of the range is not mapped, as Linux. */
SYSCALL_DEFINE3(27, mincore, unsigned long, addr, size_t, len, unsigned char __user *, vec)
{
	unsigned long end = addr + PAGE_ALIGN(len);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || end < addr)
		return -EINVAL;
	for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
		struct vm_area_struct *v = find_vma(current->mm, a);
		pte_t *pte;
		unsigned char in;

		if (!v || v->vm_start > a)
			return -ENOMEM;
		pte = pgtable_walk(current->mm->pgd, a, false);
		in = pte && (*pte & PTE_PRESENT);
		if (pte && pte_is_swap(*pte))
			in = lookup_swap_cache(pte_to_swp_entry(*pte)) != NULL;
		if ((!pte || !*pte) && v->vm_file) {
			struct page *page =
				find_get_page(v->vm_file->inode->i_mapping,
					      v->vm_pgoff + ((a - v->vm_start) >> PAGE_SHIFT));

			in = page != NULL;
			if (page)
				put_page(page);
		}
		if (copy_to_user(vec + ((a - addr) >> PAGE_SHIFT), &in, 1))
			return -EFAULT;
	}
	return 0;
}

/* The memory system calls: brk, mmap, munmap, mprotect, madvise, mincore.
 * Argument checks and errno values follow Linux; the work is in
 * mm/mmap.c. These are what malloc calls (concepts C1, C2). */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/gfp.h"
#include "mm/mmap.h"

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8

SYSCALL_DEFINE1(12, brk, unsigned long, addr)
{
	return (long)do_brk(current->mm, addr);
}

SYSCALL_DEFINE6(9, mmap, unsigned long, addr, size_t, len, unsigned long, prot, unsigned long,
		flags, int, fd, unsigned long, off)
{
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fget(fd);

		if (!f)
			return -EBADF;
		fput(f);
		return -ENODEV; /* file mappings arrive with the page cache */
	}
	return do_mmap(current->mm, addr, len, prot, flags);
}

SYSCALL_DEFINE2(11, munmap, unsigned long, addr, size_t, len)
{
	return do_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(10, mprotect, unsigned long, addr, size_t, len, unsigned long, prot)
{
	return do_mprotect(current->mm, addr, len, prot);
}

/* MADV_DONTNEED/MADV_FREE drop the pages: the next touch reads zeros. The
 * other advice is accepted and has no effect here. */
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
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
		return 0;
	default:
		return -EINVAL;
	}
}

/* One byte per page: 1 if resident. -ENOMEM if part of the range is not
 * mapped, as Linux. */
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
		if (copy_to_user(vec + ((a - addr) >> PAGE_SHIFT), &in, 1))
			return -EFAULT;
	}
	return 0;
}

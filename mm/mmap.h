/* Operations on user address spaces (mm/mmap.c, mm/fault.c). */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include "mm/mm.h"

/* Linux's x86-64 layout: user space ends one page below 2^47; the stack
 * starts at the top; mmap allocates top-down below a 128 MiB gap. */
#define TASK_SIZE     ((1UL << 47) - PAGE_SIZE)
#define STACK_TOP     TASK_SIZE
#define STACK_LIMIT   (8UL << 20) /* RLIMIT_STACK default: 8 MiB */
#define MMAP_BASE     (TASK_SIZE - (128UL << 20))
#define MMAP_MIN_ADDR 65536UL /* vm.mmap_min_addr */
#define PAGE_ALIGN(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)

/* mmap/mprotect arguments, Linux's values. */
#define PROT_READ	    0x1
#define PROT_WRITE	    0x2
#define PROT_EXEC	    0x4
#define MAP_SHARED	    0x01
#define MAP_PRIVATE	    0x02
#define MAP_TYPE	    0x0f
#define MAP_FIXED	    0x10
#define MAP_ANONYMOUS	    0x20
#define MAP_NORESERVE	    0x4000
#define MAP_POPULATE	    0x8000
#define MAP_FIXED_NOREPLACE 0x100000

struct mm_struct *mm_alloc(void);
struct mm_struct *dup_mm(struct mm_struct *old);
/* Frees every page, page table and VMA of mm, and mm itself. */
void mmput(struct mm_struct *mm);
void switch_mm(struct mm_struct *mm);

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* Returns the address or -errno. */
long do_mmap(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
	     unsigned long flags);
/* The same for a file mapping (file referenced by the VMA, pgoff its page
 * index at the start; flags without MAP_ANONYMOUS) or, with file NULL, an
 * anonymous one. The caller checked the file (sys_mmap). */
struct file;
long do_mmap_file(struct mm_struct *mm, unsigned long addr, size_t len, unsigned long prot,
		  unsigned long flags, struct file *file, unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* mbind's work: sets pol on every VMA of [start, end), splitting at the
 * ends and merging alike neighbours. 0, -EFAULT (a hole), -ENOMEM, or
 * -EIO (strict, and present pages are on other nodes). */
int mbind_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		const struct mempolicy *pol, bool strict);
int do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);
/* Linux brk semantics: returns the new break, or the old one on failure. */
unsigned long do_brk(struct mm_struct *mm, unsigned long new_brk);
/* Frees the pages mapped in [start, end) (munmap, MADV_DONTNEED). */
void zap_page_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* fork's page copy (mm/memory.c): shares frames copy-on-write. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* Pages of private writable, non-stack VMAs (VmData, RLIMIT_DATA). */
unsigned long vm_data_pages(struct mm_struct *mm);
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end);
u64 vm_flags_to_pte(unsigned long vm_flags);
/* Copies between buf and mm's present user pages (kernel-side, through
 * the direct map); returns the bytes copied. */
size_t access_mm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len, bool write);

/* The page-fault handler (mm/fault.c): makes addr accessible for the
 * access described by the x86 error code. Returns 0, -EFAULT (no VMA or
 * not allowed: *why says which check failed; SIGSEGV), -EIO (a file
 * mapping's page past the end of file, unreadable, or not writable on
 * disk: *why says which; SIGBUS) or -ENOMEM. */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long error_code,
		    const char **why);

#endif

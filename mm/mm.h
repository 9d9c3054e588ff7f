/* User address spaces: struct mm_struct with its VMAs (Linux's names).
 * Concepts C3-C5: a VMA is a promise of memory; pages arrive on the first
 * touch, through the page-fault handler (mm/fault.c). */
#ifndef MM_MM_H
#define MM_MM_H

#include "kernel/list.h"
#include "mm/mempolicy.h"
#include "mm/pgtable.h"

/* vm_flags bits, Linux's values. */
#define VM_READ	     0x00000001UL
#define VM_WRITE     0x00000002UL
#define VM_EXEC	     0x00000004UL
#define VM_SHARED    0x00000008UL
#define VM_GROWSDOWN 0x00000100UL /* the stack */
#define VM_ACCOUNT   0x00100000UL /* counted in Committed_AS */
#define VM_NORESERVE 0x00200000UL /* MAP_NORESERVE */

/* The pages of a MAP_SHARED|MAP_ANONYMOUS mapping, shared by every VMA
 * (in every process, after fork) that maps it: a fault finds the page here
 * so all of them see the same memory. */
struct shmem_object {
	int refs; /* VMAs pointing here */
	unsigned long nr_pages;
	struct list_head list; /* every object, for swapoff */
	/* NULL until first touched; then the page, or once reclaim wrote it
	 * to swap, its swap entry (bit 0 set, as Linux's xarray value
	 * entries: a struct page pointer never has it). */
	struct page *pages[];
};

struct file;

struct vm_area_struct {
	unsigned long vm_start, vm_end; /* [start, end), page aligned */
	unsigned long vm_flags;
	struct mm_struct *vm_mm;
	struct list_head vm_list;   /* in mm->mmap, sorted by address */
	struct shmem_object *shm;   /* MAP_SHARED anonymous, else NULL */
	struct file *vm_file;	    /* a file mapping (referenced), else NULL */
	unsigned long vm_pgoff;	    /* page index in shm or vm_file of vm_start */
	struct mempolicy vm_policy; /* mbind's; MPOL_DEFAULT: the task's */
	/* Swap readahead (mm/fault.c, Linux's swap_readahead_info): the
	 * page number of the last swap fault or swap-cache hit here, the
	 * last readahead window, and the readahead pages used since. */
	unsigned long swap_ra_pfn;
	unsigned int swap_ra_win, swap_ra_hits;
};

struct mm_struct {
	pte_t *pgd;
	struct list_head mmap; /* VMAs, sorted, non-overlapping */
	int map_count;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long total_vm;	      /* pages covered by VMAs */
	unsigned long rss_anon;	      /* resident anonymous pages */
	unsigned long rss_shmem;      /* resident MAP_SHARED anonymous pages */
	unsigned long rss_file;	      /* resident page cache pages (file mappings) */
	unsigned long hiwater_rss;    /* peak of rss_anon + rss_shmem + rss_file */
	unsigned long swapents;	      /* PTEs holding a swap entry (VmSwap) */
	unsigned long pgtables_pages; /* page-table pages below pgd */
	struct inode *exe_inode;      /* the program's file (Linux's exe_file), its
				       * writes denied while this mm lives */
};

struct task_struct;
struct inode;

/* Copies len bytes from (write=false) or to another task's memory at addr,
 * as /proc/PID/cmdline needs; returns the bytes copied. */
size_t access_process_vm(struct task_struct *t, unsigned long addr, void *buf, size_t len,
			 bool write);

#endif

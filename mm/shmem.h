/* Shared anonymous memory objects (mm/shmem.c). */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include "mm/mm.h"
#include "mm/swap.h"

/* A new object of nr_pages, all untouched; NULL if out of memory. */
struct shmem_object *shmem_create(unsigned long nr_pages);
void shmem_get(struct shmem_object *obj);
/* Drops a reference; the last one frees the object's pages. */
void shmem_put(struct shmem_object *obj);
/* The page at index (allocated zeroed on first use, under the NUMA
 * policy of vma at addr; read back from swap if reclaim wrote it out,
 * setting *major), with a reference for the caller's mapping; NULL if
 * out of memory or out of range. */
struct page *shmem_get_page(struct shmem_object *obj, unsigned long index,
			    struct vm_area_struct *vma, unsigned long addr, bool *major);
/* Reclaim's step for a shmem page already written to swap slot e and in
 * the swap cache: unmap it everywhere and leave e in the object's slot.
 * False (nothing lost: the page stays the object's) if someone else still
 * holds it. */
bool shmem_writeout(struct page *page, swp_entry_t e);
/* swapoff: reads back every object page on swap area type. 0 or -ENOMEM. */
int shmem_unuse(int type);

/* Drops one reference to a user page; frees it when none is left. */
void put_page(struct page *page);

#endif

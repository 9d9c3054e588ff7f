/* Shared anonymous memory objects (mm/shmem.c). */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include "mm/mm.h"

/* A new object of nr_pages, all untouched; NULL if out of memory. */
struct shmem_object *shmem_create(unsigned long nr_pages);
void shmem_get(struct shmem_object *obj);
/* Drops a reference; the last one frees the object's pages. */
void shmem_put(struct shmem_object *obj);
/* The page at index (allocated zeroed on first use, under the NUMA
 * policy of vma at addr), with a reference for the caller's mapping;
 * NULL if out of memory or out of range. */
struct page *shmem_get_page(struct shmem_object *obj, unsigned long index,
			    struct vm_area_struct *vma, unsigned long addr);

/* Drops one reference to a user page; frees it when none is left. */
void put_page(struct page *page);

#endif

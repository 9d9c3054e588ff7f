/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the pages live in a
 * shmem_object that every VMA mapping it points to, so a page faulted in
 * by one process after fork is the page the other sees. */
#include "mm/shmem.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/vmstat.h"

struct shmem_object *shmem_create(unsigned long nr_pages)
{
	struct shmem_object *obj =
		kzalloc(sizeof(*obj) + nr_pages * sizeof(struct page *), GFP_KERNEL);

	if (obj) {
		obj->refs = 1;
		obj->nr_pages = nr_pages;
	}
	return obj;
}

void shmem_get(struct shmem_object *obj)
{
	obj->refs++;
}

void shmem_put(struct shmem_object *obj)
{
	if (--obj->refs)
		return;
	for (unsigned long i = 0; i < obj->nr_pages; i++)
		if (obj->pages[i])
			put_page(obj->pages[i]);
	kfree(obj);
}

struct page *shmem_get_page(struct shmem_object *obj, unsigned long index,
			    struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page;

	if (index >= obj->nr_pages)
		return NULL;
	page = obj->pages[index];
	if (!page) {
		page = alloc_page_vma(GFP_KERNEL | __GFP_ZERO, vma, addr);
		if (!page)
			return NULL;
		SetPageFlag(page, PG_shmem);
		mod_node_page_state(page, NR_SHMEM, 1);
		obj->pages[index] = page; /* the object's reference */
	}
	page->_refcount++; /* the caller's mapping */
	return page;
}

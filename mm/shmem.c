/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the pages live in a
 * shmem_object that every VMA mapping it points to, so a page faulted in
 * by one process after fork is the page the other sees.
 *
 * Its pages are swap-backed, as Linux's shmem: they sit on the anon LRU
 * lists, and reclaim (mm/vmscan.c, reclaim_page) writes a cold one to a
 * swap slot, clears every PTE that maps it (found through the VMAs whose
 * shm is this object, mm/rmap.c) and leaves the swap entry in the
 * object's slot. The next fault on any of those addresses finds the entry
 * there and reads the page back (a major fault, pswpin); the slot is then
 * freed, as Linux's shmem_swapin_folio does. */
#include "mm/shmem.h"
#include "kernel/errno.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static struct list_head shmem_objects = LIST_HEAD_INIT(shmem_objects);

/* An object slot: a swap entry rather than a page? */
static bool shmem_slot_is_swap(const struct page *slot)
{
	return (unsigned long)slot & 1;
}

static swp_entry_t shmem_slot_to_swp(const struct page *slot)
{
	return (swp_entry_t){(unsigned long)slot >> 1};
}

static struct page *swp_to_slot(swp_entry_t e)
{
	return (struct page *)((e.val << 1) | 1);
}

struct shmem_object *shmem_create(unsigned long nr_pages)
{
	struct shmem_object *obj =
		kzalloc(sizeof(*obj) + nr_pages * sizeof(struct page *), GFP_KERNEL);

	if (obj) {
		obj->refs = 1;
		obj->nr_pages = nr_pages;
		list_add(&obj->list, &shmem_objects);
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
	for (unsigned long i = 0; i < obj->nr_pages; i++) {
		struct page *slot = obj->pages[i];

		if (shmem_slot_is_swap(slot)) {
			swp_entry_t e = shmem_slot_to_swp(slot);

			swap_free(e);	     /* the object's reference to the slot */
			try_to_free_swap(e); /* and a copy only the swap cache holds */
		} else if (slot) {
			put_page(slot);
		}
	}
	list_del(&obj->list);
	kfree(obj);
}

/* A page of the object at index, holding the object's reference: new,
 * or back from swap (then it may still be a shmem page on its LRU). */
static void shmem_add_page(struct shmem_object *obj, unsigned long index, struct page *page)
{
	if (!PageFlag(page, PG_shmem)) {
		SetPageFlag(page, PG_shmem);
		mod_node_page_state(page, NR_SHMEM, 1);
	}
	page->mapping = obj;
	page->index = index;
	obj->pages[index] = page;
	if (!PageFlag(page, PG_lru))
		lru_cache_add(page);
}

/* Reads the page behind the swap entry in slot index back into the
 * object and frees the swap slot. The page, or NULL if memory or the
 * disk failed (the entry then stays). */
static struct page *shmem_swapin(struct shmem_object *obj, unsigned long index,
				 struct vm_area_struct *vma, unsigned long addr, bool *major)
{
	swp_entry_t e = shmem_slot_to_swp(obj->pages[index]);
	struct page *page = lookup_swap_cache(e);

	if (page) {
		/* Still in the swap cache: take it out, keeping the page. */
		page->_refcount++;
		delete_from_swap_cache(page);
	} else {
		void *shadow = *swap_cache_slot(e);

		page = alloc_page_vma(GFP_KERNEL, vma, addr);
		if (!page)
			return NULL;
		if (swap_readpage(page, e)) {
			__free_page(page);
			return NULL;
		}
		*major = true;
		if (is_shadow_entry(shadow)) /* evicted by reclaim: refault detection */
			workingset_refault(page, shadow);
	}
	swap_free(e); /* the object's reference: the slot is free again */
	shmem_add_page(obj, index, page);
	return page;
}

struct page *shmem_get_page(struct shmem_object *obj, unsigned long index,
			    struct vm_area_struct *vma, unsigned long addr, bool *major)
{
	struct page *page;

	if (index >= obj->nr_pages)
		return NULL;
	page = obj->pages[index];
	if (shmem_slot_is_swap(page)) {
		page = shmem_swapin(obj, index, vma, addr, major);
		if (!page)
			return NULL;
	} else if (!page) {
		page = alloc_page_vma(GFP_KERNEL | __GFP_ZERO, vma, addr);
		if (!page)
			return NULL;
		shmem_add_page(obj, index, page);
	}
	page->_refcount++; /* the caller's mapping */
	return page;
}

bool shmem_writeout(struct page *page, swp_entry_t e)
{
	struct shmem_object *obj = page->mapping;

	try_to_unmap_shmem(page);
	if (page->_refcount != 2)
		return false; /* held by someone besides the object and the swap cache */
	swap_duplicate(e);    /* the object's reference to the slot */
	obj->pages[page->index] = swp_to_slot(e);
	page->mapping = NULL;
	put_page(page); /* the object's page reference: the swap cache's is left */
	return true;
}

int shmem_unuse(int type)
{
	struct shmem_object *obj;

	list_for_each_entry(obj, &shmem_objects, list)
	{
		for (unsigned long i = 0; i < obj->nr_pages; i++) {
			bool major = false;

			if (!shmem_slot_is_swap(obj->pages[i]) ||
			    swp_type(shmem_slot_to_swp(obj->pages[i])) != (unsigned int)type)
				continue;
			if (!shmem_swapin(obj, i, NULL, 0, &major))
				return -ENOMEM;
		}
	}
	return 0;
}

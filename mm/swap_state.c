/* The swap cache and swap I/O. A page being written to swap, or just read
 * back while other PTEs still hold its swap entry, is found through the
 * cache (one slot per swap slot), so every process sharing it gets the
 * same page and the disk is read once. The cache holds one reference to
 * the page and one to the slot. Once reclaim has freed the page, the slot's
 * cache entry keeps a shadow entry instead (mm/workingset.c) until the
 * slot is freed. I/O is synchronous, through the block layer
 * (kernel/block.h). */
#include "mm/swap.h"
#include "kernel/block.h"
#include "mm/gfp.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"

/* A slot's cache entry is a page, a shadow entry (an evicted page's
 * record for mm/workingset.c) or NULL. */
struct page *lookup_swap_cache(swp_entry_t e)
{
	struct page *page = *swap_cache_slot(e);

	return is_shadow_entry(page) ? NULL : page;
}

/* The caller gives the cache its slot reference (get_swap_page's, or a
 * swap_duplicate); the cache takes a page reference here. */
void add_to_swap_cache(struct page *page, swp_entry_t e, void **shadowp)
{
	struct page **slot = swap_cache_slot(e);

	if (shadowp)
		*shadowp = is_shadow_entry(*slot) ? *slot : NULL;
	*slot = page;
	SetPageFlag(page, PG_swapcache);
	page->private = e.val;
	mod_node_page_state(page, NR_SWAPCACHE, 1);
	page->_refcount++;
}

/* Takes page out of the cache, dropping the cache's page and slot refs,
 * and leaves shadow (or NULL) in the slot: swap_free clears it when the
 * slot itself is freed. */
void __delete_from_swap_cache(struct page *page, void *shadow)
{
	swp_entry_t e = {page->private};

	*swap_cache_slot(e) = shadow;
	ClearPageFlag(page, PG_swapcache);
	ClearPageFlag(page, PG_readahead);
	page->private = 0;
	mod_node_page_state(page, NR_SWAPCACHE, -1);
	swap_free(e);
	put_page(page);
}

void delete_from_swap_cache(struct page *page)
{
	__delete_from_swap_cache(page, NULL);
}

void try_to_free_swap(swp_entry_t e)
{
	struct page *page = lookup_swap_cache(e);

	if (page && swap_count(e) == 1)
		delete_from_swap_cache(page);
}

int swap_writepage(struct page *page, swp_entry_t e)
{
	int err = bdev_write(swap_bdev(e), swp_offset(e) * SECTORS_PER_PAGE, page_address(page),
			     SECTORS_PER_PAGE);

	if (!err)
		count_vm_events(PSWPOUT, 1);
	return err;
}

int swap_readpage(struct page *page, swp_entry_t e)
{
	int err = bdev_read(swap_bdev(e), swp_offset(e) * SECTORS_PER_PAGE, page_address(page),
			    SECTORS_PER_PAGE);

	if (!err)
		count_vm_events(PSWPIN, 1);
	return err;
}

/* The page cache (concept C9): reads of a disk file go through whole
 * pages kept per file in a struct address_space. A miss allocates a page,
 * has the file system fill it (a_ops->readpage, synchronous I/O through
 * the block layer) and inserts it; a hit copies from memory. Each cached
 * page holds one reference owned by the cache, is counted in
 * NR_FILE_PAGES (Cached in /proc/meminfo) and sits on its node's
 * LRU_INACTIVE_FILE list, where reclaim can drop it with
 * remove_from_page_cache once it is clean (the disk has the same bytes).
 *
 * Writes (write(), stores through MAP_SHARED mappings) change the cached
 * page and mark it PG_dirty (nr_dirty, Dirty in /proc/meminfo); the disk
 * is written later, synchronously, by write_one_page: from fsync/msync/
 * sync, from reclaim before it frees the page (mm/vmscan.c), never by
 * drop_caches, which only drops clean pages. */
#include "mm/filemap.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static struct list_head all_mappings = LIST_HEAD_INIT(all_mappings);

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops)
{
	mapping->host = host;
	mapping->a_ops = a_ops;
	mapping->pages = NULL;
	mapping->nr_slots = 0;
	mapping->nrpages = 0;
	mapping->nrdirty = 0;
	mapping->wb_err = 0;
	list_add_tail(&mapping->list, &all_mappings);
}

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	struct page *page;

	if (index >= mapping->nr_slots)
		return NULL;
	page = mapping->pages[index];
	if (page)
		page->_refcount++;
	return page;
}

/* Makes pages[] long enough for index (doubling). 0 or -ENOMEM. */
static int grow_slots(struct address_space *mapping, unsigned long index)
{
	unsigned long n = mapping->nr_slots ? mapping->nr_slots : 16;
	struct page **pages;

	if (index < mapping->nr_slots)
		return 0;
	while (n <= index)
		n *= 2;
	if (n > 4 * MiB / sizeof(*pages)) /* the largest kmalloc block */
		return -EFBIG;
	pages = kzalloc(n * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (mapping->nr_slots)
		memcpy(pages, mapping->pages, mapping->nr_slots * sizeof(*pages));
	kfree(mapping->pages);
	mapping->pages = pages;
	mapping->nr_slots = n;
	return 0;
}

/* Inserts an up-to-date page at index, giving the cache the caller's
 * reference. Returns 0, or -ENOMEM (the page is left to the caller). */
static int add_to_page_cache(struct page *page, struct address_space *mapping, unsigned long index)
{
	int err = grow_slots(mapping, index);

	if (err)
		return err;
	page->mapping = mapping;
	page->index = index;
	SetPageFlag(page, PG_pagecache);
	SetPageFlag(page, PG_uptodate);
	mapping->pages[index] = page;
	mapping->nrpages++;
	mod_node_page_state(page, NR_FILE_PAGES, 1);
	lru_cache_add_file(page);
	return 0;
}

struct page *read_cache_page(struct address_space *mapping, unsigned long index, int *err)
{
	struct page *page = find_get_page(mapping, index);
	struct page *raced;

	if (page)
		return page;
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	page->mapping = mapping;
	page->index = index;
	*err = mapping->a_ops->readpage(mapping, page);
	if (!*err) {
		/* The allocation or the read may have slept: someone else
		 * may have cached the same page meanwhile. Theirs wins. */
		raced = find_get_page(mapping, index);
		if (!raced)
			*err = add_to_page_cache(page, mapping, index);
		if (raced || !*err) {
			if (raced)
				put_page(page);
			else
				page->_refcount++; /* the caller's, next to the cache's */
			return raced ? raced : page;
		}
	}
	page->mapping = NULL;
	put_page(page);
	return NULL;
}

ssize_t filemap_read(struct inode *inode, char *buf, size_t len, u64 pos)
{
	size_t done = 0;
	int err = 0;

	if (pos >= inode->size)
		return 0;
	len = (size_t)MIN((u64)len, inode->size - pos);
	while (done < len) {
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
		size_t chunk = MIN(len - done, PAGE_SIZE - offset);
		/* A hit counts as a use (mark_page_accessed) when the read
		 * starts at the page's beginning (small sequential reads count
		 * a page once); a miss is the page's first use: it starts
		 * inactive. */
		struct page *page = find_get_page(inode->i_mapping, pos >> PAGE_SHIFT);

		if (page && offset == 0)
			mark_page_accessed(page);
		else if (!page)
			page = read_cache_page(inode->i_mapping, pos >> PAGE_SHIFT, &err);
		if (!page)
			break;
		memcpy(buf + done, (char *)page_address(page) + offset, chunk);
		put_page(page);
		done += chunk;
		pos += chunk;
	}
	return done ? (ssize_t)done : err;
}

int remove_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (!PageFlag(page, PG_pagecache) || page->_mapcount >= 0 || page->_refcount != 1 ||
	    PageFlag(page, PG_dirty) || PageFlag(page, PG_writeback))
		return -EBUSY;
	mapping->pages[page->index] = NULL;
	mapping->nrpages--;
	mod_node_page_state(page, NR_FILE_PAGES, -1);
	lru_del(page);
	ClearPageFlag(page, PG_pagecache);
	ClearPageFlag(page, PG_uptodate);
	ClearPageFlag(page, PG_referenced);
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	put_page(page);
	return 0;
}

unsigned long drop_pagecache(void)
{
	struct address_space *mapping;
	unsigned long freed = 0;

	list_for_each_entry(mapping, &all_mappings, list)
	{
		for (unsigned long i = 0; i < mapping->nr_slots && mapping->nrpages; i++)
			if (mapping->pages[i] && !remove_from_page_cache(mapping->pages[i]))
				freed++;
	}
	return freed;
}

ssize_t filemap_write(struct inode *inode, const char *buf, size_t len, u64 pos)
{
	size_t done = 0;
	int err = 0;

	while (done < len) {
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
		size_t chunk = MIN(len - done, PAGE_SIZE - offset);
		struct page *page = read_cache_page(inode->i_mapping, pos >> PAGE_SHIFT, &err);

		if (!page)
			break;
		memcpy((char *)page_address(page) + offset, buf + done, chunk);
		set_page_dirty(page);
		mark_page_accessed(page);
		put_page(page);
		done += chunk;
		pos += chunk;
		balance_dirty_pages_ratelimited();
	}
	return done ? (ssize_t)done : err;
}

bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (PageFlag(page, PG_dirty) || !PageFlag(page, PG_pagecache))
		return false;
	SetPageFlag(page, PG_dirty);
	page->private = (unsigned long)jiffies; /* for the flusher's expiry */
	mapping->nrdirty++;
	mod_node_page_state(page, NR_FILE_DIRTY, 1);
	mod_node_page_state(page, NR_DIRTIED, 1);
	current->nr_dirtied++; /* balance_dirty_pages_ratelimited's count */
	return true;
}

/* Takes a dirty page into write-back: its mappings are write-protected
 * first (page_mkclean moves their PTE dirty bits to the page, and the next
 * store faults and dirties it again), then PG_dirty -> PG_writeback with a
 * reference held. false if it was not dirty (or already being written). */
static bool begin_writeback(struct page *page)
{
	struct address_space *mapping = page->mapping;

	page_mkclean(page);
	if (!PageFlag(page, PG_dirty) || PageFlag(page, PG_writeback))
		return false;
	page->_refcount++; /* nobody frees it under us */
	ClearPageFlag(page, PG_dirty);
	mapping->nrdirty--;
	mod_node_page_state(page, NR_FILE_DIRTY, -1);
	SetPageFlag(page, PG_writeback);
	mod_node_page_state(page, NR_WRITEBACK, 1);
	return true;
}

/* Writes a page begin_writeback took, ends its write-back, drops the
 * reference. 0 or the file system's error. */
static int end_writeback(struct page *page)
{
	struct address_space *mapping = page->mapping;
	int err = mapping->a_ops->writepage(mapping, page);

	ClearPageFlag(page, PG_writeback);
	mod_node_page_state(page, NR_WRITEBACK, -1);
	if (err)
		mapping->wb_err = err; /* Linux too leaves the page clean: the data is lost */
	else
		mod_node_page_state(page, NR_WRITTEN, 1);
	put_page(page);
	return err;
}

int write_one_page(struct page *page)
{
	if (!PageFlag(page, PG_pagecache) || !begin_writeback(page))
		return 0;
	return end_writeback(page);
}

#define WB_BATCH 64

/* Sleeps while page index of mapping is under write-back by another task
 * (which yields between its writes). */
static void wait_on_page_writeback(struct address_space *mapping, unsigned long index)
{
	struct page *page;

	while ((page = mapping->pages[index]) && PageFlag(page, PG_writeback))
		schedule_timeout_until(jiffies + 1);
}

/* Writes back the dirty pages of mapping with index in [start, end] that
 * became dirty at least min_age jiffies ago, in batches: a batch's pages
 * all go under write-back first (Writeback: in meminfo counts them), then
 * are written one by one; between two writes the task yields if its time
 * slice is over, so others run during a long fsync and see the pages
 * under write-back, as in Linux. With wait (fsync, msync, sync: Linux's
 * WB_SYNC_ALL) a page another task is writing is waited for, and written
 * again if it was dirtied meanwhile, so that on return every page dirty at
 * the call is on the disk. With budget, at most *budget pages are taken
 * (and counted off it). Returns the first error. */
static int writeback_range(struct address_space *mapping, unsigned long start, unsigned long end,
			   u64 min_age, bool wait, unsigned long *budget)
{
	struct page *batch[WB_BATCH];
	unsigned long i = start;
	int err = 0;

	while (i <= end && i < mapping->nr_slots && mapping->nrdirty && (!budget || *budget)) {
		int n = 0;

		for (; i <= end && i < mapping->nr_slots && n < WB_BATCH && (!budget || *budget);
		     i++) {
			struct page *page;

			if (wait && n == 0)
				wait_on_page_writeback(mapping, i);
			page = mapping->pages[i];
			if (page && wait && PageFlag(page, PG_writeback))
				break; /* the batch so far is ours: write it, then wait */
			if (page && PageFlag(page, PG_dirty) &&
			    jiffies - page->private >= min_age && begin_writeback(page)) {
				batch[n++] = page;
				if (budget)
					(*budget)--;
			}
		}
		for (int k = 0; k < n; k++) {
			int e = end_writeback(batch[k]);

			if (e && !err)
				err = e;
			preempt_if_needed();
		}
	}
	/* Clean pages another task is still writing: wait for them too. */
	for (i = start; wait && i <= end && i < mapping->nr_slots; i++)
		wait_on_page_writeback(mapping, i);
	return err;
}

int filemap_write_and_wait_range(struct address_space *mapping, unsigned long start,
				 unsigned long end)
{
	int err = writeback_range(mapping, start, end, 0, true, NULL);

	if (!err)
		err = mapping->wb_err;
	mapping->wb_err = 0;
	return err;
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, ~0UL);
}

/* Every file, pages dirty for at least min_age jiffies; an error waits in
 * the mapping's wb_err for the next fsync. */
static unsigned long writeback_all(u64 min_age, bool wait, unsigned long *budget)
{
	struct address_space *mapping;
	unsigned long written = vm_stat[NR_WRITTEN];

	list_for_each_entry(mapping, &all_mappings, list)
	{
		if (budget && !*budget)
			break;
		if (mapping->nrdirty || wait)
			writeback_range(mapping, 0, ~0UL, min_age, wait, budget);
	}
	return vm_stat[NR_WRITTEN] - written;
}

unsigned long sync_all_mappings(void)
{
	return writeback_all(0, true, NULL);
}

unsigned long writeback_expired_pages(u64 age)
{
	return writeback_all(age, false, NULL);
}

unsigned long writeback_pages(unsigned long nr)
{
	return writeback_all(0, false, &nr);
}

void mark_page_accessed(struct page *page)
{
	ClearPageFlag(page, PG_idle); /* an access, for kidled (mm/idle.c) */
	if (!PageFlag(page, PG_referenced)) {
		SetPageFlag(page, PG_referenced);
		return;
	}
	if (PageFlag(page, PG_lru) && !PageFlag(page, PG_active)) {
		activate_page(page);
		count_vm_events(PGACTIVATE, 1);
		ClearPageFlag(page, PG_referenced);
	}
}

struct page *filemap_fault_page(struct address_space *mapping, unsigned long index, bool *major,
				int *err)
{
	struct page *page = find_get_page(mapping, index);

	*major = !page;
	if (page) {
		mark_page_accessed(page);
		return page;
	}
	return read_cache_page(mapping, index, err);
}

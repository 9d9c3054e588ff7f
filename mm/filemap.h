/* The page cache (concept C9): file data read from disk stays in memory in
 * whole pages, one struct address_space per file, so the next read of the
 * same bytes costs no I/O. Cached pages are file pages on the LRU lists
 * (LRU_INACTIVE_FILE when they arrive): reclaim frees a clean one without
 * writing anything, since the disk still holds the same bytes. */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/page.h"

struct inode;
struct address_space;

/* What a file system does for the cache (Linux's
 * address_space_operations, read side only). */
struct address_space_operations {
	/* Fills page, the file's page number page->index, from the disk;
	 * bytes past the end of the file and holes read as zeros. Returns 0,
	 * or -EIO (I/O error or corrupt on-disk data) or -ENOMEM. */
	int (*readpage)(struct address_space *mapping, struct page *page);
};

struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	/* pages[i] caches file page i (NULL: not cached). The table grows
	 * by doubling; a file's pages are few enough for one flat array. */
	struct page **pages;
	unsigned long nr_slots;
	unsigned long nrpages; /* pages in the cache */
	struct list_head list; /* all address spaces, for drop_pagecache */
};

/* Sets up an empty cache for host's data and registers it. */
void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops);

/* The cached page index of mapping with a reference taken for the caller
 * (put_page it), or NULL if it is not cached. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);

/* The page index of mapping, up to date, with a reference for the caller:
 * from the cache, or read now through a_ops->readpage and inserted.
 * NULL with *err = -ENOMEM or the readpage error. */
struct page *read_cache_page(struct address_space *mapping, unsigned long index, int *err);

/* Copies up to len bytes at pos of inode's file (inode->i_mapping) into
 * the kernel buffer buf through the cache. Returns the bytes copied (0 at
 * or past the end of file), or -errno if nothing could be read. */
ssize_t filemap_read(struct inode *inode, char *buf, size_t len, u64 pos);

/* Takes a clean, unmapped page out of its file's cache and off the LRU,
 * and drops the cache's reference, which frees it. For reclaim: the page
 * must be PG_pagecache, have _mapcount < 0 and no reference but the
 * cache's (_refcount 1). Returns 0, or -EBUSY (nothing changed) if the
 * page is mapped, in use or not in a cache. */
int remove_from_page_cache(struct page *page);

/* Removes every page no one maps or holds from every cache (echo 1 >
 * /proc/sys/vm/drop_caches). Returns the number of pages freed. */
unsigned long drop_pagecache(void);

/* mm/vmscan.c: puts a new page cache page (PG_pagecache) at the head of
 * its node's LRU_INACTIVE_FILE list. */
void lru_cache_add_file(struct page *page);

#endif

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
 * address_space_operations). */
struct address_space_operations {
	/* Fills page, the file's page number page->index, from the disk;
	 * bytes past the end of the file and holes read as zeros. Returns 0,
	 * or -EIO (I/O error or corrupt on-disk data) or -ENOMEM. */
	int (*readpage)(struct address_space *mapping, struct page *page);
	/* Writes page's bytes (those before the end of file) to its disk
	 * blocks, synchronously. 0 or -EIO. NULL: the file is never dirty. */
	int (*writepage)(struct address_space *mapping, struct page *page);
	/* May file page index become dirty? 0, or -EROFS (read-only mount)
	 * or -ENOSPC (a block of it is not allocated on disk, and this file
	 * system does not allocate). write() and MAP_SHARED writes ask. */
	int (*page_mkwrite)(struct address_space *mapping, unsigned long index);
};

struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	/* pages[i] caches file page i (NULL: not cached). The table grows
	 * by doubling; a file's pages are few enough for one flat array. */
	struct page **pages;
	unsigned long nr_slots;
	unsigned long nrpages; /* pages in the cache */
	unsigned long nrdirty; /* of them PG_dirty */
	int wb_err;	       /* a write-back error not yet reported by fsync */
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

/* Takes a clean (not dirty, not under write-back), unmapped page out of its file's cache and off the LRU,
 * and drops the cache's reference, which frees it. For reclaim: the page
 * must be PG_pagecache, have _mapcount < 0 and no reference but the
 * cache's (_refcount 1). Returns 0, or -EBUSY (nothing changed) if the
 * page is mapped, in use or not in a cache. */
int remove_from_page_cache(struct page *page);

/* Removes every page no one maps or holds from every cache (echo 1 >
 * /proc/sys/vm/drop_caches). Returns the number of pages freed. */
unsigned long drop_pagecache(void);

/* Copies len bytes of the kernel buffer buf to pos of inode's file
 * through the cache: each page is read (if not cached), changed and
 * marked dirty; the disk is written later (fsync, sync, reclaim). The
 * caller has checked the range (a_ops->page_mkwrite, the file size).
 * Returns the bytes copied or -errno if none were. */
ssize_t filemap_write(struct inode *inode, const char *buf, size_t len, u64 pos);

/* Marks a page cache page dirty (nr_dirty, nr_dirtied); true if it was
 * clean. */
bool set_page_dirty(struct page *page);

/* Writes a dirty page cache page back now (synchronous): its mappings
 * are write-protected first (page_mkclean) so the next store through
 * one dirties it again. PG_dirty -> PG_writeback -> clean; nr_written.
 * Returns 0 (also for a clean page) or the file system's -EIO. */
int write_one_page(struct page *page);

/* Writes back every dirty page of mapping with index in [start, end]
 * and reports (then forgets) an earlier write-back error (fsync's,
 * msync's MS_SYNC). 0 or -EIO. */
int filemap_write_and_wait_range(struct address_space *mapping, unsigned long start,
				 unsigned long end);
int filemap_fdatawrite(struct address_space *mapping);

/* Writes back every dirty page of every file (sync(2)). Returns the
 * number of pages written. */
unsigned long sync_all_mappings(void);

/* Writes back the dirty pages that have been dirty for at least age
 * jiffies (page->private holds when each became dirty). The flusher's
 * work (mm/page_writeback.c). Returns the number written. */
unsigned long writeback_expired_pages(u64 age);

/* Writes back up to nr dirty pages, file by file, without waiting for
 * pages others are writing (a throttled writer's and the flusher's
 * background work). Returns the number written. */
unsigned long writeback_pages(unsigned long nr);

/* mm/page_writeback.c: the flusher thread, dirty throttling and their
 * sysctls (/proc/sys/vm/dirty_writeback_centisecs, dirty_expire_centisecs,
 * dirty_ratio, dirty_background_ratio, dirty_bytes,
 * dirty_background_bytes). */
extern int dirty_writeback_centisecs, dirty_expire_centisecs;
extern int vm_dirty_ratio, dirty_background_ratio;
extern unsigned long vm_dirty_bytes, dirty_background_bytes;
void flusher_init(void);

/* Linux's global_dirty_limits: the background and the hard limit on
 * dirty + write-back pages, from the ratios (percent of the dirtyable
 * memory: free pages above the reserves plus the file LRU) or the bytes
 * settings (/proc/vmstat: nr_dirty_background_threshold,
 * nr_dirty_threshold). */
void global_dirty_limits(unsigned long *background, unsigned long *dirty);

/* Called after a task dirtied pages (write(), a store to a shared file
 * mapping): every few pages it checks the limits, and a task over the
 * hard limit writes pages back itself until it is under it again (Linux's
 * balance_dirty_pages before 3.2, when writers did their own I/O); over
 * the background limit it wakes the flusher. */
void balance_dirty_pages_ratelimited(void);

/* A read() or fault hit page: the first hit sets PG_referenced, the
 * second moves an inactive page to the active list (Linux's
 * mark_page_accessed), so a page used twice outlives one used once. */
void mark_page_accessed(struct page *page);

/* The page for a fault at file page index: cached (minor; marked
 * accessed) or read now (*major = true). NULL with *err as
 * read_cache_page. */
struct page *filemap_fault_page(struct address_space *mapping, unsigned long index, bool *major,
				int *err);

/* mm/vmscan.c: puts a new page cache page (PG_pagecache) at the head of
 * its node's LRU_INACTIVE_FILE list. */
void lru_cache_add_file(struct page *page);
/* mm/vmscan.c: moves an inactive LRU page to its active list. */
void activate_page(struct page *page);

/* mm/rmap.c, for file pages: every PTE mapping page (a process's VMA
 * of the page's file covering page->index) is found by walking the
 * processes' VMAs. page_mkclean write-protects them and moves their
 * dirty bits to the page (before write-back); try_to_unmap_file
 * removes them (reclaim), true if none is left. */
void page_mkclean(struct page *page);
bool try_to_unmap_file(struct page *page);
/* A PTE now maps / no longer maps the page cache page: _mapcount (-1
 * when unmapped) and nr_mapped (Mapped in meminfo: pages, not PTEs). */
void page_add_file_rmap(struct page *page);
void page_remove_file_rmap(struct page *page);

#endif

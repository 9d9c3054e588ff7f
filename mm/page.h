/* struct page: one per physical page frame, in the mem_map array indexed
 * by page frame number. The buddy allocator, the kernel heap and (later)
 * the LRU lists, reverse maps and swap all keep their per-frame state here,
 * with Linux's field names. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "kernel/list.h"
#include "mm/layout.h"

struct kmem_cache;

enum pageflags {
	PG_reserved,   /* not managed by the buddy allocator (firmware, kernel image) */
	PG_buddy,      /* free, heading a block of 2^order pages in a free_area */
	PG_slab,       /* owned by the kernel heap (mm/kmalloc.c) */
	PG_anon,       /* private anonymous memory of user processes */
	PG_shmem,      /* MAP_SHARED anonymous memory */
	PG_lru,	       /* on one of its node's LRU lists */
	PG_active,     /* on an active list (else inactive) */
	PG_swapcache,  /* in the swap cache: private holds its swap entry */
	PG_pagecache,  /* in a file's page cache: mapping and index say where */
	PG_uptodate,   /* holds the file's current data (the read completed) */
	PG_dirty,      /* a page cache page newer than the disk: write it back first */
	PG_writeback,  /* being written to the disk */
	PG_referenced, /* used once (a read(), a fault, or an anon page's accessed bit
			  seen by reclaim): the next use activates it */
	PG_idle,       /* kidled (mm/idle.c): not accessed since its last look */
	PG_young,      /* kidled cleared an accessed bit that reclaim has not seen */
	PG_readahead,  /* in the swap cache by swap readahead, not used yet */
	PG_workingset, /* was active (mm/workingset.c): its refault is the workingset's */
	NR_PAGEFLAGS,
};

/* The node id lives in the top bits of flags, as in Linux. */
#define NODE_SHIFT 56

struct page {
	unsigned long flags;
	union {
		struct {		      /* buddy, page cache, anonymous */
			struct list_head lru; /* free_area list or LRU list */
			void *mapping;
			unsigned long index;
			unsigned long private; /* buddy: the block's order */
		};
		struct { /* kernel heap (mm/kmalloc.c) */
			struct list_head slab_list;
			struct kmem_cache *slab_cache;
			void *freelist;
			unsigned int inuse;
		};
	};
	int _mapcount;
	int _refcount;
};

extern struct page *mem_map;
extern unsigned long max_pfn;

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *va)
{
	return pfn_to_page(PFN_DOWN(virt_to_phys(va)));
}

static inline bool PageFlag(const struct page *p, enum pageflags f)
{
	return (p->flags >> f) & 1;
}

static inline void SetPageFlag(struct page *p, enum pageflags f)
{
	p->flags |= 1UL << f;
}

static inline void ClearPageFlag(struct page *p, enum pageflags f)
{
	p->flags &= ~(1UL << f);
}

#define PageReserved(p) PageFlag(p, PG_reserved)
#define PageBuddy(p)	PageFlag(p, PG_buddy)
#define PageSlab(p)	PageFlag(p, PG_slab)

static inline int page_to_nid(const struct page *p)
{
	return (int)(p->flags >> NODE_SHIFT);
}

static inline void set_page_node(struct page *p, int nid)
{
	p->flags = (p->flags & ((1UL << NODE_SHIFT) - 1)) | ((unsigned long)nid << NODE_SHIFT);
}

/* Zero or copy one page with 8-byte string stores, as Linux's clear_page_rep
 * and copy_page do: 512 iterations instead of rep stosb's 4096. Under this
 * project's KVM (kvm_pvm, which emulates the guest kernel's instructions;
 * see docs/vm.md, Benchmark) every iteration of a string instruction costs
 * about 2000 cycles, so this is most of a demand-zero fault's cost there;
 * on bare hardware both forms run at memory speed. */
static inline void clear_page(void *page)
{
	unsigned long n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(page), "+c"(n) : "a"(0UL) : "memory");
}

static inline void copy_page(void *to, const void *from)
{
	unsigned long n = PAGE_SIZE / 8;

	__asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

#endif

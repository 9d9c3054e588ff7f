/* Kernel heap (see mm/kmalloc.h). A slab is one page carved into objects
 * of one size class; its struct page records the cache, the free-object
 * list and the count in use, so kfree finds everything from the pointer
 * alone via virt_to_page(). Partly used slabs sit on their cache's list;
 * a slab whose last object is freed goes back to the buddy allocator. */
#include "mm/kmalloc.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "kernel/x86.h"
#include "mm/mmzone.h"

#define KMALLOC_MIN_SHIFT 4  /* 16 bytes */
#define KMALLOC_MAX_SHIFT 11 /* 2048 bytes; larger goes to whole pages */
#define NR_KMALLOC_CACHES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
#define LARGE_PAGE_MAGIC  0x4c415247454b4d4cUL

#define STATE_ALLOCATED 0xa110ca7edUL
#define STATE_FREE	0xf7eef7eeUL
#define POISON_FREE	0x6b /* Linux's POISON_FREE byte */

struct kmem_cache {
	const char *name;
	size_t object_size;	  /* slot size, trailer included */
	struct list_head partial; /* slabs with at least one free object */
	unsigned long live;
};

/* In debug builds, the last 16 bytes of every slot. */
struct kmalloc_trailer {
	unsigned long state;  /* STATE_ALLOCATED or STATE_FREE */
	unsigned long caller; /* return address of the kmalloc call */
};

/* Page-sized and larger allocations carry this header in their first 16
 * bytes, so the caller gets memory 16-byte aligned. */
struct large_header {
	unsigned long magic;
	unsigned long order;
};

static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static const char *const cache_names[NR_KMALLOC_CACHES] = {
	"kmalloc-16",  "kmalloc-32",  "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
};
static unsigned long large_live;
static unsigned long pages_held; /* slab pages + page-sized blocks: Slab */
unsigned long kmalloc_debug_errors;

#define TRAILER_SIZE (KMALLOC_DEBUG ? sizeof(struct kmalloc_trailer) : 0)

void kmalloc_init(void)
{
	for (int i = 0; i < NR_KMALLOC_CACHES; i++) {
		kmalloc_caches[i].name = cache_names[i];
		kmalloc_caches[i].object_size = 1UL << (KMALLOC_MIN_SHIFT + i);
		INIT_LIST_HEAD(&kmalloc_caches[i].partial);
	}
}

static struct kmem_cache *cache_for(size_t size)
{
	for (int i = 0; i < NR_KMALLOC_CACHES; i++)
		if (size + TRAILER_SIZE <= kmalloc_caches[i].object_size)
			return &kmalloc_caches[i];
	return NULL;
}

static struct kmalloc_trailer *trailer_of(const struct kmem_cache *c, const void *obj)
{
	return (struct kmalloc_trailer *)((char *)obj + c->object_size - TRAILER_SIZE);
}

/* Takes a fresh page and threads all its slots onto its free list. */
static struct page *new_slab(struct kmem_cache *c, gfp_t gfp)
{
	struct page *page = alloc_page(gfp & ~__GFP_ZERO);
	char *base;
	size_t n = PAGE_SIZE / c->object_size;

	if (!page)
		return NULL;
	pages_held++;
	SetPageFlag(page, PG_slab);
	page->slab_cache = c;
	page->inuse = 0;
	page->freelist = NULL;
	base = page_address(page);
	for (size_t i = n; i-- > 0;) {
		void **slot = (void **)(base + i * c->object_size);

		*slot = page->freelist;
		page->freelist = slot;
		if (KMALLOC_DEBUG)
			trailer_of(c, slot)->state = STATE_FREE;
	}
	list_add(&page->slab_list, &c->partial);
	return page;
}

static void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	struct page *page;
	void **obj;

	if (list_empty(&c->partial) && !new_slab(c, gfp))
		return NULL;
	page = list_first_entry(&c->partial, struct page, slab_list);
	obj = page->freelist;
	page->freelist = *obj;
	if (++page->inuse == PAGE_SIZE / c->object_size)
		list_del(&page->slab_list); /* full slabs are on no list */
	c->live++;
	if (KMALLOC_DEBUG) {
		struct kmalloc_trailer *t = trailer_of(c, obj);

		t->state = STATE_ALLOCATED;
		t->caller = caller;
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size - TRAILER_SIZE);
	return obj;
}

static void *large_alloc(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct large_header *h;

	while ((PAGE_SIZE << order) < size + sizeof(*h))
		if (++order > MAX_ORDER)
			return NULL;
	h = get_free_pages(gfp, order);
	if (!h)
		return NULL;
	h->magic = LARGE_PAGE_MAGIC;
	h->order = order;
	large_live++;
	pages_held += 1UL << order;
	return h + 1;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct kmem_cache *c;
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	u64 flags;
	void *p;

	if (!size)
		return NULL;
	c = cache_for(size);
	flags = irq_save();
	p = c ? slab_alloc(c, gfp, caller) : large_alloc(size, gfp);
	irq_restore(flags);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static void report_bad_free(const char *what, const void *p, unsigned long caller)
{
	kmalloc_debug_errors++;
	pr_err("kmalloc: %s %p (allocated by %pS)\n", what, p, (void *)caller);
	dump_backtrace((unsigned long)__builtin_return_address(0),
		       (unsigned long)__builtin_frame_address(0));
}

/* Debug checks before an object goes back; returns false to refuse it. */
static bool slab_free_ok(struct kmem_cache *c, struct page *page, const void *p)
{
	struct kmalloc_trailer *t = trailer_of(c, p);
	unsigned long offset = (unsigned long)p - (unsigned long)page_address(page);

	if (offset % c->object_size) {
		report_bad_free("free of a pointer inside an object:", p, 0);
		return false;
	}
	if (t->state == STATE_FREE) {
		report_bad_free("double free of", p, t->caller);
		return false;
	}
	if (t->state != STATE_ALLOCATED) {
		report_bad_free("redzone overwritten (buffer overrun?) at", p, 0);
		return false;
	}
	t->state = STATE_FREE;
	memset((void *)p, POISON_FREE, c->object_size - TRAILER_SIZE);
	return true;
}

static void slab_free(struct page *page, void *p)
{
	struct kmem_cache *c = page->slab_cache;

	if (KMALLOC_DEBUG && !slab_free_ok(c, page, p))
		return;
	if (page->inuse == PAGE_SIZE / c->object_size)
		list_add(&page->slab_list, &c->partial);
	*(void **)p = page->freelist;
	page->freelist = p;
	c->live--;
	if (--page->inuse == 0) {
		list_del(&page->slab_list);
		ClearPageFlag(page, PG_slab);
		page->slab_cache = NULL;
		page->freelist = NULL;
		pages_held--;
		__free_page(page);
	}
}

void kfree(const void *p)
{
	struct page *page;
	u64 flags;

	if (!p)
		return;
	flags = irq_save();
	page = virt_to_page(p);
	if (PageSlab(page)) {
		slab_free(page, (void *)p);
	} else {
		struct large_header *h = (struct large_header *)p - 1;

		if (IS_ALIGNED((unsigned long)h, PAGE_SIZE) && h->magic == LARGE_PAGE_MAGIC) {
			h->magic = 0;
			large_live--;
			pages_held -= 1UL << h->order;
			free_pages(h, (unsigned int)h->order);
		} else {
			report_bad_free("free of a pointer kmalloc never returned:", p, 0);
		}
	}
	irq_restore(flags);
}

unsigned long kmalloc_pages(void)
{
	return pages_held;
}

unsigned long kmalloc_live_objects(void)
{
	unsigned long n = large_live;

	for (int i = 0; i < NR_KMALLOC_CACHES; i++)
		n += kmalloc_caches[i].live;
	return n;
}

/* Walks every slab page in mem_map (full slabs are on no list) and prints
 * each allocated object with the function that allocated it. */
unsigned long kmalloc_leak_report(void)
{
	unsigned long n = 0;

	if (!KMALLOC_DEBUG)
		return 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		struct kmem_cache *c = page->slab_cache;
		char *base = page_address(page);

		if (!PageSlab(page))
			continue;
		for (size_t off = 0; off + c->object_size <= PAGE_SIZE; off += c->object_size) {
			struct kmalloc_trailer *t = trailer_of(c, base + off);

			if (t->state != STATE_ALLOCATED)
				continue;
			pr_info("kmalloc: live %s object %p from %pS\n", c->name, base + off,
				(void *)t->caller);
			n++;
		}
	}
	return n;
}

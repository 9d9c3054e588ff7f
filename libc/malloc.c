/*
 * malloc: a boundary-tag allocator over a brk heap, with mmap for big blocks.
 * Claims C1, C2, C14, C15, C16, C17 (docs/malloc.md tells the whole story).
 *
 * C14: every block ("chunk") starts with a 16-byte header; malloc returns the
 *      address just past it, and free reads the size and flags back from it.
 * C2:  requests below mmap_threshold (128 KiB) are carved from a heap grown
 *      with brk; bigger ones get a private mmap each (C1: both are syscalls,
 *      malloc itself is not).
 * C15: freed heap chunks stay in the pool (quick lists and bins) for reuse;
 *      mmapped chunks go back with munmap at once. The real nuance: the free
 *      top of the heap is handed back with brk above trim_threshold.
 * C16: the pool answers most calls with no system call at all.
 * C17: holes between live chunks can only be reused, never returned.
 *
 * Chunk layout (sizes are multiples of 16, the flags live in the low 4 bits):
 *
 *   chunk -> +------------------------------+
 *            | prev_size: size of the chunk |  valid only if PREV_FREE is set;
 *            | before, when that one is free|  else it is the tail of the
 *            +------------------------------+  previous chunk's payload
 *            | head: size | flags           |
 *   ptr   -> +------------------------------+
 *            | payload (free: list links)   |
 *            +------------------------------+ <- next chunk's prev_size
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <stdlib.h>
#include "malloc.h"
#include "malloc_sys.h"

/*
 * The unit tests build this file a second time with MALLOC_PREFIX=tm_ so that
 * the allocator under test (tm_malloc ...) lives beside the host's malloc.
 */
#define MALLOC_CAT2(a, b) a##b
#define MALLOC_CAT(a, b)  MALLOC_CAT2(a, b)
#ifdef MALLOC_PREFIX
#define API(name) MALLOC_CAT(MALLOC_PREFIX, name)
#else
#define API(name) name
#endif
#define EXPORT	    __attribute__((visibility("default")))
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

struct chunk {
	size_t prev_size;
	size_t head;
	struct chunk *next; /* free-list links, only while the chunk is free */
	struct chunk *prev;
};

#define IN_USE	  1UL /* handed out (or parked in a quick list) */
#define PREV_FREE 2UL /* the chunk before is free; prev_size says how big */
#define MMAPPED	  4UL /* has a mapping of its own; prev_size = bytes before it */
#define QUICK	  8UL /* freed into a quick list: a second free is a double free */
#define FLAGS	  15UL

#define HEADER		      16UL
#define MIN_CHUNK	      32UL /* header + two links */
#define ALIGNMENT	      16UL
#define MAX_REQUEST	      (SIZE_MAX / 2)
#define PAGE		      SYS_PAGE_SIZE
#define QUICK_LISTS	      65      /* one per chunk size 16*i, up to 1024 bytes */
#define QUICK_REQUEST	      1017    /* requests below this fit a quick-list chunk */
#define FRESH_WINDOW	      8192UL  /* fresh heap carved between two merges of parked chunks */
#define FRESH_FLUSH_MIN	      8192UL  /* parked bytes worth merging before fresh heap is carved */
#define QUICK_FLUSH_MIN	      8192UL  /* parked bytes that a big request merges back */
#define QUICK_KEEP_MAX	      16384UL /* parked bytes a flush may leave parked */
#define WALK_PREFETCH	      1024    /* bytes ahead the heap walk prefetches */
#define WALK_FRACTION	      4	      /* flush by walking the heap when 1/4 of it is parked */
#define SMALL_BINS	      64      /* exact sizes below 1024 bytes */
#define BINS		      (SMALL_BINS + 54 * 8)
#define MAP_WORDS	      ((BINS + 63) / 64)
#define FIRST_FIT_MAX	      32	    /* chunks tried in one large bin before moving up */
#define CONSOLIDATE	      (64UL * 1024) /* freeing this much empties the quick lists */
#define POOL_MMAP_MIN	      (1024UL * 1024)
#define MAX_SEGMENTS	      64
#define DYNAMIC_THRESHOLD_MAX (32UL << 20)  /* glibc's limit on 64-bit */
#define DYNAMIC_TRIM_MAX      (256UL << 20) /* most top a regrowth makes us keep */

/* A stretch of contiguous heap: the brk heap, or a pool taken with mmap. */
struct segment {
	uintptr_t start, end;
};

static struct malloc_state {
	struct malloc_lock lock;
	int ready;
	int check;			  /* 0 off, 1 O(1) checks, 2 whole heap on every call */
	size_t quick_limit;		  /* malloc(n < this) may take the inline path */
	size_t quick_bytes;		  /* bytes parked in quick lists */
	size_t kept_bytes;		  /* bytes parked in kept lists */
	struct chunk *kept[QUICK_LISTS];  /* parked chunks a merge left alone */
	struct chunk *quick[QUICK_LISTS]; /* LIFO, linked through ->next */
	struct chunk *bin[BINS];	  /* coalesced free chunks, doubly linked */
	uint64_t binmap[MAP_WORDS];	  /* bit i set iff bin[i] is not empty */
	uint64_t binwords;		  /* bit w set iff binmap[w] is not 0 */
	struct chunk *top;		  /* free space at the end of the newest segment */
	struct chunk *remainder;	  /* free, in no bin: what small requests split */
	uintptr_t fresh;		  /* memory at and above this was never handed out */
	uintptr_t fresh_mark;		  /* fresh at the last merge of the quick lists */
	int top_in_brk;			  /* the newest segment ends at our program break */
	struct segment seg[MAX_SEGMENTS];
	int nseg;
	size_t mmap_threshold, trim_threshold, top_pad, mmap_max;
	int dynamic_threshold; /* until mallopt: raise mmap_threshold on free */
	size_t trimmed;	       /* bytes the last trim gave back, until the heap regrows */
	size_t heap_bytes, mmap_count, mmap_bytes, max_mmap_count, max_mmap_bytes;
} st = {
	.mmap_threshold = 128 * 1024,
	.trim_threshold = 128 * 1024,
	.top_pad = 128 * 1024,
	.mmap_max = 65536,
	.dynamic_threshold = 1,
};

static inline size_t chunk_size(const struct chunk *c)
{
	return c->head & ~FLAGS;
}

static inline struct chunk *chunk_at(const void *base, size_t offset)
{
	return (struct chunk *)((char *)base + offset);
}

/* The free chunk in front of c, found through the boundary tag prev_size. */
static inline struct chunk *chunk_before(const struct chunk *c)
{
	return (struct chunk *)((char *)c - c->prev_size);
}

static inline void *chunk_to_mem(struct chunk *c)
{
	return (char *)c + HEADER;
}

static inline struct chunk *mem_to_chunk(void *p)
{
	return (struct chunk *)((char *)p - HEADER);
}

static inline uintptr_t align_up(uintptr_t x, uintptr_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/*
 * Chunk size for a request of n bytes: payload + the 8-byte head, rounded to
 * 16; the next chunk's prev_size word is ours while we are in use, which is
 * why only 8 of the 16 header bytes count against the request.
 */
static inline size_t request_to_size(size_t n)
{
	size_t size = (n + 8 + ALIGNMENT - 1) & ~(ALIGNMENT - 1);

	return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/* ---------------------------------------------------------------- errors */

/* Format x as 0x... into buf; returns the number of characters written. */
static int format_hex(char *buf, uintptr_t x)
{
	int n = 0;

	buf[n++] = '0';
	buf[n++] = 'x';
	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned digit = (x >> shift) & 15;

		if (digit || n > 2 || shift == 0)
			buf[n++] = "0123456789abcdef"[digit];
	}
	return n;
}

/* Print "memos-malloc: <what>: <why> <address>" on stderr and abort. */
static void __attribute__((noreturn)) malloc_fail(const char *what, const char *why, const void *p)
{
	char line[160];
	size_t n = 0;
	const char *parts[] = {"memos-malloc: ", what, ": ", why, " "};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const char *s = parts[i]; *s && n < 120; s++)
			line[n++] = *s;
	n += format_hex(line + n, (uintptr_t)p);
	line[n++] = '\n';
	sys_write_all(2, line, n);
	sys_abort();
}

/* ------------------------------------------------------------------ bins */

/* Bin for a free chunk of this size: exact below 1 KiB, then 8 per power of 2. */
static inline unsigned bin_index(size_t size)
{
	unsigned lg;

	if (size < 1024)
		return (unsigned)(size >> 4);
	lg = 63 - (unsigned)__builtin_clzl(size);
	return SMALL_BINS + (lg - 10) * 8 + (unsigned)((size >> (lg - 3)) & 7);
}

/* Put free chunk c at the head of its bin and mark the bin non-empty. */
static inline void bin_insert(struct chunk *c)
{
	unsigned i = bin_index(chunk_size(c));

	c->next = st.bin[i];
	if (c->next)
		c->next->prev = c;
	st.bin[i] = c;
	st.binmap[i / 64] |= 1UL << (i % 64);
	st.binwords |= 1UL << (i / 64);
}

/*
 * Take free chunk c out of its bin; aborts if the links were overwritten.
 * The head of a bin is recognised by st.bin[i], so its prev link is never
 * read and need not be cleared: taking the head (what malloc does) touches
 * no other chunk, one cache miss fewer than a full unlink.
 */
static inline void bin_remove(struct chunk *c)
{
	unsigned i = bin_index(chunk_size(c));

	if (st.bin[i] == c) {
		st.bin[i] = c->next;
		if (!c->next && !(st.binmap[i / 64] &= ~(1UL << (i % 64))))
			st.binwords &= ~(1UL << (i / 64));
		return;
	}
	if (unlikely((c->next && c->next->prev != c) || c->prev->next != c))
		malloc_fail("malloc", "corrupted free list at", c);
	if (c->next)
		c->next->prev = c->prev;
	c->prev->next = c->next;
}

/* Take free chunk c out of where it is kept: its bin, or the remainder slot. */
static inline void unlink_free(struct chunk *c)
{
	if (c == st.remainder)
		st.remainder = NULL;
	else
		bin_remove(c);
}

/*
 * First non-empty bin at index >= i; returns BINS if there is none. One ctz
 * in i's word of the bitmap, else one in the summary (bit w set iff word w
 * has a bit set) and one in the word it names.
 */
static unsigned next_bin(unsigned i)
{
	unsigned w = i / 64;
	uint64_t bits, words;

	if (w >= MAP_WORDS)
		return BINS;
	bits = st.binmap[w] & (~0UL << (i % 64));
	if (bits)
		return w * 64 + (unsigned)__builtin_ctzl(bits);
	words = st.binwords & (~0UL << (w + 1));
	if (!words)
		return BINS;
	w = (unsigned)__builtin_ctzl(words);
	return w * 64 + (unsigned)__builtin_ctzl(st.binmap[w]);
}

/*
 * Mark free chunk c (size bytes) as free for its neighbours: the next chunk
 * learns our size (the boundary tag) and that we are free. Then bin it.
 */
static inline void make_free(struct chunk *c, size_t size)
{
	struct chunk *next = chunk_at(c, size);

	c->head = size;
	next->prev_size = size;
	next->head |= PREV_FREE;
	bin_insert(c);
}

/*
 * Return the heap chunk c to the pool, merged with free neighbours (the top
 * chunk included). Returns the free chunk it ended up in.
 */
static struct chunk *release_chunk(struct chunk *c)
{
	size_t size = chunk_size(c);
	struct chunk *next = chunk_at(c, size);

	if (c->head & PREV_FREE) {
		struct chunk *prev = chunk_before(c);

		unlink_free(prev);
		c->head = 0; /* a stale header would hide a later double free */
		size += c->prev_size;
		c = prev;
	}
	if (next == st.top) {
		size += chunk_size(next);
		next->head = 0;
		st.top = c;
		c->head = size;
		return c;
	}
	if (!(next->head & IN_USE)) {
		unlink_free(next);
		size += chunk_size(next);
		next->head = 0;
	}
	make_free(c, size);
	return c;
}

/*
 * Cut chunk c (in use, size >= need) down to need bytes when the rest can
 * form a chunk of its own, and free the rest.
 */
static void split_tail(struct chunk *c, size_t need)
{
	size_t size = chunk_size(c);
	struct chunk *rest;

	if (size - need < MIN_CHUNK)
		return;
	c->head = need | (c->head & FLAGS);
	rest = chunk_at(c, need);
	rest->head = (size - need) | IN_USE;
	release_chunk(rest);
}

/* Hand out free chunk c (already out of its bin), trimmed to need bytes. */
static struct chunk *use_free_chunk(struct chunk *c, size_t need)
{
	size_t size = chunk_size(c);

	chunk_at(c, size)->head &= ~PREV_FREE;
	c->head = size | IN_USE;
	split_tail(c, need);
	return c;
}

/*
 * Carve need bytes off the front of the remainder, the free chunk that the
 * last split of a bigger chunk for a small request left over (glibc's
 * last_remainder, dlmalloc's "dv"): consecutive small requests come out side
 * by side, with no bin search and no bin insertion. NULL if it is too small.
 */
static inline struct chunk *take_from_remainder(size_t need)
{
	struct chunk *c = st.remainder;
	size_t size;

	if (!c || chunk_size(c) < need)
		return NULL;
	size = chunk_size(c);
	if (size - need < MIN_CHUNK) {
		st.remainder = NULL;
		chunk_at(c, size)->head &= ~PREV_FREE;
		c->head = size | IN_USE;
		return c;
	}
	st.remainder = chunk_at(c, need);
	st.remainder->head = size - need;
	chunk_at(c, size)->prev_size = size - need;
	c->head = need | IN_USE;
	return c;
}

/*
 * Best-fitting free chunk of at least need bytes from the bins: the exact
 * small bin, a bounded first-fit scan of need's own large bin, then the head
 * of the next non-empty bin (all of its chunks are big enough). A small
 * request tries the remainder before that, and a chunk it splits becomes the
 * new remainder (the old one goes to its bin). NULL if none.
 */
static struct chunk *take_from_bins(size_t need)
{
	unsigned i = bin_index(need);
	struct chunk *c = st.bin[i];

	if (i < SMALL_BINS) {
		if (c) {
			bin_remove(c);
			return use_free_chunk(c, need);
		}
		c = take_from_remainder(need);
		if (c)
			return c;
	}
	for (int tries = 0; c && tries < FIRST_FIT_MAX; c = c->next, tries++) {
		if (chunk_size(c) >= need) {
			bin_remove(c);
			return use_free_chunk(c, need);
		}
	}
	i = next_bin(i + 1);
	if (i == BINS)
		return NULL;
	c = st.bin[i];
	bin_remove(c);
	if (need >= SMALL_BINS * ALIGNMENT)
		return use_free_chunk(c, need);
	if (st.remainder)
		bin_insert(st.remainder);
	st.remainder = c;
	return take_from_remainder(need);
}

/* --------------------------------------------------------- quick lists */

/*
 * Small chunks freed into a quick list keep IN_USE set, so their neighbours
 * do not merge with them: free and the next malloc of that size are a push
 * and a pop. Merging them back into the bins (flush_quick) is what lets the
 * heap coalesce at all.
 */

/* Merge the parked chunks of list c into the bins. */
static void release_list(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		c->head &= ~QUICK;
		release_chunk(c);
		c = next;
	}
}

/*
 * Merge the quick lists into the bins one by one. A chunk whose neighbours
 * are both in use would only move from its quick list to the bin of its own
 * size, so it moves to the kept list of its size instead (up to
 * QUICK_KEEP_MAX bytes): malloc still finds it there, and the next merge
 * does not look at it again. With all set, the kept lists are merged too.
 */
static void release_quick_lists(int all)
{
	for (size_t i = 0; i < QUICK_LISTS; i++) {
		size_t size = i * ALIGNMENT;
		struct chunk *c = st.quick[i];

		st.quick[i] = NULL;
		while (c) {
			struct chunk *next = c->next;
			struct chunk *after = chunk_at(c, size);

			if (!all && st.kept_bytes < QUICK_KEEP_MAX && !(c->head & PREV_FREE) &&
			    after != st.top && (after->head & (IN_USE | QUICK)) == IN_USE) {
				c->next = st.kept[i];
				st.kept[i] = c;
				st.kept_bytes += size;
			} else {
				c->head &= ~QUICK;
				release_chunk(c);
			}
			c = next;
		}
		if (all) {
			release_list(st.kept[i]);
			st.kept[i] = NULL;
		}
	}
	st.quick_bytes = 0;
	if (all)
		st.kept_bytes = 0;
}

/*
 * Merge the run of free and parked chunks [run, run + size) of n chunks into
 * one free chunk, or into the top chunk when top follows it. A lone binned
 * chunk stays as it is; the run's first chunk is still binned if it was free.
 */
static void merge_run(struct chunk *run, size_t size, int n, struct chunk *next)
{
	if (n == 1 && !(run->head & IN_USE) && next != st.top)
		return;
	if (!(run->head & IN_USE))
		unlink_free(run);
	if (next == st.top) {
		st.top = run;
		run->head = size + chunk_size(next);
		next->head = 0;
		return;
	}
	make_free(run, size);
}

/*
 * Merge parked chunks by walking segment s in address order (deferred
 * coalescing): each run of neighbours that are free or parked becomes one
 * free chunk with one bin insertion, and the walk reads the heap in order,
 * which the hardware prefetches, where merging chunk by chunk would touch
 * random list neighbours for every chunk.
 */
static void consolidate_segment(const struct segment *s)
{
	struct chunk *c = (struct chunk *)s->start;
	struct chunk *run = NULL;
	size_t run_size = 0;
	int n = 0;

	while ((uintptr_t)c < s->end && c != st.top) {
		size_t size = chunk_size(c);
		int mergeable = !(c->head & IN_USE) || (c->head & QUICK);

		/*
		 * Each step's address comes from the header before it, so the
		 * loads wait for each other; fetch the next lines early.
		 */
		__builtin_prefetch((char *)c + WALK_PREFETCH, 1);

		if (mergeable && run) {
			if (!(c->head & IN_USE))
				unlink_free(c);
			c->head = 0; /* a stale header would hide a later double free */
			run_size += size;
			n++;
		} else if (mergeable) {
			run = c;
			run_size = size;
			n = 1;
		} else if (run) {
			merge_run(run, run_size, n, c);
			run = NULL;
		}
		c = chunk_at(c, size);
	}
	if (run)
		merge_run(run, run_size, n, c);
}

/*
 * Empty the quick lists (with all, the kept lists too) into the bins. When at
 * least a quarter of the heap below the top is parked, walk the heap once (every
 * segment must still be known); else merge chunk by chunk.
 */
static void flush_quick(int all)
{
	size_t used = st.heap_bytes - (st.top ? chunk_size(st.top) : 0);

	if (!st.quick_bytes && !(all && st.kept_bytes))
		return;
	st.fresh_mark = st.fresh;
	if (st.quick_bytes + st.kept_bytes >= used / WALK_FRACTION && st.nseg < MAX_SEGMENTS) {
		for (int i = 0; i < st.nseg; i++)
			consolidate_segment(&st.seg[i]);
		for (int i = 0; i < QUICK_LISTS; i++)
			st.quick[i] = st.kept[i] = NULL;
		st.quick_bytes = st.kept_bytes = 0;
		return;
	}
	release_quick_lists(all);
}

/* ------------------------------------------------------------- the heap */

/* Remember [start, end) as heap, merging with the last segment if they touch. */
static void add_segment(uintptr_t start, uintptr_t end)
{
	st.heap_bytes += end - start;
	if (st.nseg > 0 && st.seg[st.nseg - 1].end == start) {
		st.seg[st.nseg - 1].end = end;
		return;
	}
	/* Full: forget the oldest-but-one; only checking mode looks back there. */
	if (st.nseg == MAX_SEGMENTS)
		st.nseg--;
	st.seg[st.nseg++] = (struct segment){start, end};
}

/* End of the newest segment, which is where the top chunk ends. */
static uintptr_t heap_end(void)
{
	return st.seg[st.nseg - 1].end;
}

/*
 * The top chunk is about to be abandoned for a new, non-adjacent segment:
 * fence off its last 16 bytes as a chunk that is always in use, so nothing
 * ever merges past the end, and bin what is left.
 */
static void retire_top(void)
{
	struct chunk *top = st.top;
	size_t size = chunk_size(top);
	struct chunk *fence;

	if (size < MIN_CHUNK + HEADER) {
		top->head = size | IN_USE;
		return;
	}
	fence = chunk_at(top, size - HEADER);
	fence->head = HEADER | IN_USE;
	make_free(top, size - HEADER);
}

/* Make [start, end) the newest segment, all of it one top chunk. */
static void new_top(uintptr_t start, uintptr_t end, int in_brk)
{
	if (st.top)
		retire_top();
	add_segment(start, end);
	st.top = (struct chunk *)start;
	st.top->head = end - start;
	st.fresh = start;
	st.top_in_brk = in_brk;
}

/* Grow the heap with brk by at least len bytes; returns 0, or -1 if brk failed. */
static int grow_with_brk(size_t len)
{
	uintptr_t cur = sys_brk(0);
	uintptr_t start = align_up(cur, ALIGNMENT);

	if (st.top && st.top_in_brk && cur == heap_end()) {
		if (sys_brk(cur + len) != cur + len)
			return -1;
		add_segment(cur, cur + len);
		st.top->head += len;
		return 0;
	}
	/* First growth, or someone else moved the break: start a new segment. */
	if (start + len < start || sys_brk(start + len) != start + len)
		return -1;
	new_top(start, start + len, 1);
	return 0;
}

/*
 * The dynamic trim threshold, the same reasoning as glibc's dynamic mmap
 * threshold: the heap has to grow again after a trim gave memory back, so
 * the program's heap breathes by that much, and giving it back each time
 * costs a page fault per page when it comes back (C16). From now on keep a
 * free top of that size (peak RSS is unchanged: the memory was resident).
 */
static void raise_trim_threshold(void)
{
	size_t keep = st.trimmed + st.top_pad + PAGE;

	if (keep > DYNAMIC_TRIM_MAX)
		keep = DYNAMIC_TRIM_MAX;
	if (keep > st.trim_threshold)
		st.trim_threshold = keep;
	st.trimmed = 0;
}

/*
 * Make the top chunk at least need + MIN_CHUNK bytes: brk, or if the break
 * cannot move, a fresh mmap as the pool. Returns 0, or -1 out of memory.
 */
static int grow_heap(size_t need)
{
	size_t len = align_up(need + MIN_CHUNK + HEADER + st.top_pad, PAGE);
	void *pool;

	if (len < need)
		return -1;
	if (st.trimmed && st.dynamic_threshold)
		raise_trim_threshold();
	if (grow_with_brk(len) == 0)
		return 0;
	if (len < POOL_MMAP_MIN)
		len = POOL_MMAP_MIN;
	pool = sys_mmap(len);
	if (!pool)
		return -1;
	new_top((uintptr_t)pool, (uintptr_t)pool + len, 0);
	return 0;
}

/* Carve need bytes off the front of the top chunk; NULL if it is too small. */
static struct chunk *take_from_top(size_t need, int *zeroed)
{
	struct chunk *c = st.top;
	size_t size;

	if (!c || chunk_size(c) < need + MIN_CHUNK)
		return NULL;
	size = chunk_size(c);
	/* Never-used memory is still the kernel's zeroes: calloc can skip memset. */
	*zeroed = (uintptr_t)c + HEADER >= st.fresh;
	if (st.fresh < (uintptr_t)c + need + HEADER)
		st.fresh = (uintptr_t)c + need + HEADER;
	st.top = chunk_at(c, need);
	st.top->head = size - need;
	c->head = need | IN_USE;
	return c;
}

/*
 * Give the free top of the brk heap above pad bytes back to the kernel.
 * Returns 1 if the break moved down, 0 if there was nothing to give.
 */
static int trim_top(size_t pad)
{
	size_t size = st.top ? chunk_size(st.top) : 0;
	uintptr_t end, cut;
	size_t release;

	if (!st.top_in_brk || size < pad + MIN_CHUNK + PAGE)
		return 0;
	end = heap_end();
	cut = align_up((uintptr_t)st.top + pad + MIN_CHUNK, PAGE);
	if (cut >= end || sys_brk(0) != end)
		return 0;
	release = end - cut;
	if (sys_brk(cut) != cut)
		return 0;
	st.top->head = size - release;
	st.seg[st.nseg - 1].end = cut;
	st.heap_bytes -= release;
	st.trimmed = release;
	if (st.fresh > cut)
		st.fresh = cut;
	return 1;
}

/* ------------------------------------------------------- mmapped chunks */

/*
 * A block with a mapping of its own: pad bytes of the mapping are in front
 * of the chunk (for memalign); prev_size records them so that free can find
 * the start. Returns the chunk, or NULL if mmap failed.
 */
static struct chunk *mmap_chunk(size_t n, size_t align)
{
	size_t len;
	char *map;
	struct chunk *c;

	if (n > MAX_REQUEST || st.mmap_count >= st.mmap_max)
		return NULL;
	len = align_up(n + HEADER + align, PAGE);
	map = sys_mmap(len);
	if (!map)
		return NULL;
	c = (struct chunk *)(align_up((uintptr_t)map + HEADER, align) - HEADER);
	c->prev_size = (uintptr_t)c - (uintptr_t)map;
	c->head = (len - c->prev_size) | MMAPPED | IN_USE;
	st.mmap_count++;
	st.mmap_bytes += len;
	if (st.mmap_count > st.max_mmap_count)
		st.max_mmap_count = st.mmap_count;
	if (st.mmap_bytes > st.max_mmap_bytes)
		st.max_mmap_bytes = st.mmap_bytes;
	return c;
}

/*
 * Return an mmapped chunk's whole mapping to the kernel (claim C15).
 * glibc's dynamic threshold, copied as behaviour: a freed mapping bigger
 * than the threshold shows that blocks this big come and go, so later ones
 * of that size are served from the heap, where they are reused without new
 * page faults (C16). mallopt of any threshold turns this off.
 */
static void munmap_chunk(struct chunk *c)
{
	size_t len = chunk_size(c) + c->prev_size;

	if (st.dynamic_threshold && len > st.mmap_threshold && len <= DYNAMIC_THRESHOLD_MAX) {
		st.mmap_threshold = len;
		if (st.trim_threshold < 2 * len)
			st.trim_threshold = 2 * len;
	}
	st.mmap_count--;
	st.mmap_bytes -= len;
	sys_munmap((char *)c - c->prev_size, len);
}

/*
 * Resize mmapped chunk c for n bytes with mremap: the kernel moves page-table
 * entries instead of us copying bytes (glibc does the same). Returns the
 * chunk, which may have moved, or NULL if the kernel refused.
 */
static struct chunk *remap_chunk(struct chunk *c, size_t n)
{
	size_t pad = c->prev_size;
	size_t old_len = chunk_size(c) + pad;
	size_t new_len = align_up(n + HEADER + pad, PAGE);
	char *map;

	if (new_len == old_len)
		return c;
	map = sys_mremap((char *)c - pad, old_len, new_len);
	if (!map)
		return NULL;
	c = (struct chunk *)(map + pad);
	c->head = (new_len - pad) | MMAPPED | IN_USE;
	st.mmap_bytes = st.mmap_bytes - old_len + new_len;
	if (st.mmap_bytes > st.max_mmap_bytes)
		st.max_mmap_bytes = st.mmap_bytes;
	return c;
}

/* ------------------------------------------------------------- checking */

/* Index of the segment holding [a, a+len), or -1. */
static int find_segment(uintptr_t a, size_t len)
{
	for (int i = 0; i < st.nseg; i++)
		if (a >= st.seg[i].start && a + len <= st.seg[i].end && a + len >= a)
			return i;
	return -1;
}

/*
 * Checking mode, O(1) part: is p a chunk we handed out and still in use?
 * Aborts with a one-line message naming the problem otherwise.
 */
static void check_pointer(const char *what, void *p)
{
	struct chunk *c = mem_to_chunk(p);
	size_t size = chunk_size(c);

	if ((uintptr_t)p % ALIGNMENT)
		malloc_fail(what, "invalid pointer", p);
	if (c->head & MMAPPED) {
		if (((uintptr_t)c - c->prev_size) % PAGE || (size + c->prev_size) % PAGE)
			malloc_fail(what, "invalid pointer", p);
		return;
	}
	if (find_segment((uintptr_t)c, HEADER) < 0)
		malloc_fail(what, "invalid pointer", p);
	if (!(c->head & IN_USE) || (c->head & QUICK))
		malloc_fail(what, "double free of", p);
	if (size < MIN_CHUNK || find_segment((uintptr_t)c, size) < 0)
		malloc_fail(what, "corrupted header at", p);
	if ((c->head & PREV_FREE) && (find_segment((uintptr_t)chunk_before(c), c->prev_size) < 0 ||
				      chunk_before(c)->head != c->prev_size))
		malloc_fail(what, "corrupted header at", p);
}

/* Checking mode, level 2: walk one segment chunk by chunk; returns free chunks. */
static size_t check_segment(const struct segment *s)
{
	struct chunk *c = (struct chunk *)s->start;
	size_t prev_free = 0, free_chunks = 0;

	while ((uintptr_t)c < s->end) {
		size_t size = chunk_size(c);

		if (size < HEADER || size > s->end - (uintptr_t)c ||
		    !!(c->head & PREV_FREE) != !!prev_free ||
		    (prev_free && c->prev_size != prev_free))
			malloc_fail("check", "corrupted header at", chunk_to_mem(c));
		if (c == st.top)
			break;
		prev_free = (c->head & IN_USE) ? 0 : size;
		free_chunks += prev_free != 0;
		c = chunk_at(c, size);
	}
	return free_chunks;
}

/* Checking mode, level 2: quick or kept list i; returns its bytes. */
static size_t check_parked(const struct chunk *c, size_t i)
{
	size_t bytes = 0;

	for (; c; c = c->next, bytes += i * ALIGNMENT)
		if ((c->head & (IN_USE | QUICK)) != (IN_USE | QUICK) ||
		    chunk_size(c) != i * ALIGNMENT)
			malloc_fail("check", "corrupted quick list at",
				    chunk_to_mem((struct chunk *)c));
	return bytes;
}

/* Checking mode, level 2: every list; returns free chunks (bins, remainder). */
static size_t check_lists(void)
{
	size_t binned = 0, quick = 0, kept = 0;

	for (unsigned i = 0; i < BINS; i++) {
		int set = !!(st.binmap[i / 64] & (1UL << (i % 64)));

		if (set != (st.bin[i] != NULL))
			malloc_fail("check", "corrupted bin map at", &st.bin[i]);
		for (struct chunk *c = st.bin[i]; c; c = c->next, binned++)
			if ((c->head & IN_USE) || bin_index(chunk_size(c)) != i ||
			    (c->next && c->next->prev != c))
				malloc_fail("check", "corrupted free list at", chunk_to_mem(c));
	}
	for (unsigned w = 0; w < MAP_WORDS; w++)
		if (!st.binmap[w] != !(st.binwords & (1UL << w)))
			malloc_fail("check", "corrupted bin map at", &st.binmap[w]);
	for (size_t i = 0; i < QUICK_LISTS; i++) {
		quick += check_parked(st.quick[i], i);
		kept += check_parked(st.kept[i], i);
	}
	if (quick != st.quick_bytes || kept != st.kept_bytes)
		malloc_fail("check", "corrupted quick list count at", &st.quick_bytes);
	if (st.remainder && (st.remainder->head & (IN_USE | PREV_FREE)))
		malloc_fail("check", "corrupted remainder at", chunk_to_mem(st.remainder));
	return binned + (st.remainder != NULL);
}

/* Checking mode, level 2: the whole heap and every list agree. */
static void check_heap(void)
{
	size_t free_chunks = 0;

	for (int i = 0; i < st.nseg; i++)
		free_chunks += check_segment(&st.seg[i]);
	if (free_chunks != check_lists())
		malloc_fail("check", "free chunk missing from the bins near", st.top);
}

/* Run the checks the checking level asks for, before an operation on p. */
static void check_call(const char *what, void *p)
{
	if (p)
		check_pointer(what, p);
	if (st.check >= 2)
		check_heap();
}

/* ----------------------------------------------------- malloc and free */

/* Parse a small non-negative decimal (the checking level); 0 if not a number. */
static int parse_level(const char *s)
{
	int level = 0;

	while (s && *s >= '0' && *s <= '9' && level < 100)
		level = level * 10 + (*s++ - '0');
	return level;
}

/*
 * Open or close the inline paths of malloc and free: closed while checking
 * (every call must be checked) and above the mmap threshold (mallopt can
 * lower it to 0, and then every request must get its own mapping).
 */
static void update_quick_limit(void)
{
	st.quick_limit = st.mmap_threshold < QUICK_REQUEST ? st.mmap_threshold : QUICK_REQUEST;
	if (st.check)
		st.quick_limit = 0;
}

#ifdef __GLIBC__
/*
 * fork in a threaded program copies only the calling thread. Had another
 * thread been halfway through malloc, the child would inherit half-updated
 * lists. So the lock is held across fork, as glibc does for its own malloc
 * (but not for a preloaded one). Our libc has no threads: nothing to do.
 */
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));
static int fork_locked;

/* Before fork: wait until no other thread is inside the allocator. */
static void fork_prepare(void)
{
	fork_locked = malloc_lock_take(&st.lock);
}

/* After fork, in the parent and in the child: release what prepare took. */
static void fork_done(void)
{
	malloc_lock_give(&st.lock, fork_locked);
}

/* At load time, before any thread can exist: register the fork handlers. */
__attribute__((constructor)) static void register_fork_handlers(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}
#endif

/* First call: read MEMOS_MALLOC_CHECK. */
static void malloc_init(void)
{
	st.check = parse_level(getenv("MEMOS_MALLOC_CHECK"));
	st.ready = 1;
	update_quick_limit();
}

/*
 * Find a chunk for n bytes (the lock is held): quick list, bins, top, quick
 * lists flushed and merged, then a bigger heap. Requests of at least
 * mmap_threshold get a mapping instead. *zeroed tells whether the payload is
 * known to be zero. Returns NULL (errno = ENOMEM) when memory is exhausted.
 */
static struct chunk *alloc_chunk(size_t n, int *zeroed)
{
	size_t need = request_to_size(n);
	struct chunk *c;

	*zeroed = 0;
	if (unlikely(n >= st.mmap_threshold)) {
		c = mmap_chunk(n, ALIGNMENT);
		if (c) {
			*zeroed = 1;
			return c;
		}
	}
	if (unlikely(n > MAX_REQUEST))
		goto out_of_memory;
	if (need / ALIGNMENT < QUICK_LISTS && st.quick[need / ALIGNMENT]) {
		c = st.quick[need / ALIGNMENT];
		st.quick[need / ALIGNMENT] = c->next;
		st.quick_bytes -= need;
		c->head &= ~QUICK;
		return c;
	}
	if (need / ALIGNMENT < QUICK_LISTS && st.kept[need / ALIGNMENT]) {
		c = st.kept[need / ALIGNMENT];
		st.kept[need / ALIGNMENT] = c->next;
		st.kept_bytes -= need;
		c->head &= ~QUICK;
		return c;
	}
	/*
	 * Parked chunks only serve their own size; a big request is the moment
	 * to merge them back, or they pin holes all over the heap (C17).
	 */
	if (need >= QUICK_LISTS * ALIGNMENT && st.quick_bytes > QUICK_FLUSH_MIN)
		flush_quick(0);
	c = take_from_bins(need);
	/*
	 * Carving the top beyond what was ever handed out faults in fresh
	 * pages (peak RSS), and a batch of frees rarely gives back each size
	 * exactly as often as the next batch asks for it. So once FRESH_WINDOW
	 * fresh bytes were carved since the last merge, merge what is parked
	 * first: at most one merge per FRESH_WINDOW of heap growth.
	 */
	if (!c && st.quick_bytes >= FRESH_FLUSH_MIN && st.top &&
	    (uintptr_t)st.top + need + HEADER > st.fresh &&
	    (uintptr_t)st.top + need + HEADER > st.fresh_mark + FRESH_WINDOW) {
		flush_quick(0);
		c = take_from_bins(need);
	}
	if (!c)
		c = take_from_top(need, zeroed);
	if (!c && (st.quick_bytes || st.kept_bytes)) {
		flush_quick(1);
		c = take_from_bins(need);
	}
	while (!c) {
		if (grow_heap(need) < 0)
			goto out_of_memory;
		c = take_from_top(need, zeroed);
	}
	return c;
out_of_memory:
	errno = ENOMEM;
	return NULL;
}

/* malloc with the lock held; NULL and ENOMEM on failure. */
static void *do_malloc(size_t n, int *zeroed)
{
	struct chunk *c;

	if (unlikely(!st.ready))
		malloc_init();
	if (unlikely(st.check))
		check_call("malloc", NULL);
	c = alloc_chunk(n, zeroed);
	return c ? chunk_to_mem(c) : NULL;
}

/* free with the lock held. Aborts on a pointer that is not in use. */
static void do_free(void *p)
{
	struct chunk *c = mem_to_chunk(p);
	size_t size = chunk_size(c);
	struct chunk *merged;

	if (unlikely(st.check))
		check_call("free", p);
	if (unlikely((c->head & (IN_USE | QUICK | MMAPPED)) != IN_USE)) {
		if ((c->head & (IN_USE | QUICK | MMAPPED)) != (IN_USE | MMAPPED))
			malloc_fail("free", "double free or invalid pointer", p);
		munmap_chunk(c);
		update_quick_limit();
		return;
	}
	if (size / ALIGNMENT < QUICK_LISTS) {
		c->head |= QUICK;
		c->next = st.quick[size / ALIGNMENT];
		st.quick[size / ALIGNMENT] = c;
		st.quick_bytes += size;
		return;
	}
	merged = release_chunk(c);
	if (chunk_size(merged) >= CONSOLIDATE && st.quick_bytes)
		flush_quick(0);
	if (merged == st.top && chunk_size(st.top) >= st.trim_threshold)
		trim_top(st.top_pad);
}

/*
 * Pop a parked chunk of exactly size i*16 for a request of n bytes from
 * quick list i, else from kept list i, if the inline path is open (the lock
 * is held, or the process has a single thread); NULL if both are empty.
 */
static inline void *quick_pop(size_t n, size_t i)
{
	struct chunk *c;

	if (n >= st.quick_limit)
		return NULL;
	if (likely((c = st.quick[i]) != NULL)) {
		st.quick[i] = c->next;
		st.quick_bytes -= i * ALIGNMENT;
	} else if ((c = st.kept[i]) != NULL) {
		st.kept[i] = c->next;
		st.kept_bytes -= i * ALIGNMENT;
	} else {
		return NULL;
	}
	c->head &= ~QUICK;
	return chunk_to_mem(c);
}

/*
 * Park chunk c, whose head word is head, on its quick list if it is a small
 * heap chunk in use and the inline path is open; returns 0 if it did not.
 */
static inline int quick_push(struct chunk *c, size_t head)
{
	size_t i = head / ALIGNMENT;

	if ((head & (IN_USE | QUICK | MMAPPED)) != IN_USE || i >= QUICK_LISTS || !st.quick_limit)
		return 0;
	c->head = head | QUICK;
	c->next = st.quick[i];
	st.quick[i] = c;
	st.quick_bytes += i * ALIGNMENT;
	return 1;
}

/*
 * Carve a small chunk of need bytes off the front of the remainder, when
 * that is what alloc_chunk would do next (nothing parked or binned of this
 * size) and the inline path is open; NULL otherwise. Consecutive small
 * requests then come out side by side with no lock and no search.
 */
static inline void *remainder_pop(size_t n)
{
	size_t need = request_to_size(n);
	struct chunk *c;

	if (n >= st.quick_limit || need >= SMALL_BINS * ALIGNMENT || st.bin[need / ALIGNMENT])
		return NULL;
	c = take_from_remainder(need);
	return c ? chunk_to_mem(c) : NULL;
}

/*
 * A small request that no parked chunk answers (the lock is held, the inline
 * path is open): a chunk of exactly need bytes from its bin, or the front of
 * the remainder. This is what alloc_chunk would try first, without its
 * checks for big, mmapped or impossible requests. NULL if neither has one.
 */
static void *take_small(size_t need)
{
	struct chunk *c = st.bin[need / ALIGNMENT];

	if (c) {
		bin_remove(c);
		chunk_at(c, need)->head &= ~PREV_FREE;
		c->head = need | IN_USE;
	} else {
		c = take_from_remainder(need);
	}
	return c ? chunk_to_mem(c) : NULL;
}

/* malloc's path with the lock: the quick list again, then everything else. */
static __attribute__((noinline)) void *malloc_locked(size_t n)
{
	int locked = malloc_lock_take(&st.lock);
	int zeroed;
	size_t need = request_to_size(n);
	void *p = quick_pop(n, need / ALIGNMENT);

	if (!p && n < st.quick_limit && need < SMALL_BINS * ALIGNMENT)
		p = take_small(need);
	if (!p)
		p = do_malloc(n, &zeroed);
	malloc_lock_give(&st.lock, locked);
	return p;
}

/*
 * malloc with a single thread when nothing of this size is parked: the
 * remainder, still with no lock and no stack frame, else the locked path.
 * Kept out of malloc itself so that the quick-list pop stays as short.
 */
static __attribute__((noinline)) void *malloc_unparked(size_t n)
{
	void *p = remainder_pop(n);

	return p ? p : malloc_locked(n);
}

/*
 * Allocate n bytes, 16-byte aligned; NULL and errno = ENOMEM on failure.
 * The common case is inline and needs no stack frame: one thread, and a
 * chunk of exactly this size parked. Everything else is a tail call.
 */
EXPORT void *API(malloc)(size_t n)
{
	void *p;

	if (unlikely(!malloc_single_threaded()))
		return malloc_locked(n);
	if (likely((p = quick_pop(n, request_to_size(n) / ALIGNMENT)) != NULL))
		return p;
	return malloc_unparked(n);
}

/* free's path with the lock: the quick list again, then everything else. */
static __attribute__((noinline)) void free_locked(void *p)
{
	struct chunk *c = mem_to_chunk(p);
	int locked = malloc_lock_take(&st.lock);

	if (!quick_push(c, c->head))
		do_free(p);
	malloc_lock_give(&st.lock, locked);
}

/*
 * Give back a block from malloc; keeps errno; aborts on a bad pointer. The
 * common case is inline like malloc's: park a small chunk on its quick list.
 */
EXPORT void API(free)(void *p)
{
	struct chunk *c;

	if (!p)
		return;
	c = mem_to_chunk(p);
	if (likely(malloc_single_threaded()) && likely(quick_push(c, c->head)))
		return;
	free_locked(p);
}

/* Allocate nmemb*size zeroed bytes; NULL and ENOMEM on overflow or failure. */
EXPORT void *API(calloc)(size_t nmemb, size_t size)
{
	int locked;
	size_t n;
	int zeroed;
	void *p;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	locked = malloc_lock_take(&st.lock);
	p = do_malloc(n, &zeroed);
	malloc_lock_give(&st.lock, locked);
	if (p && !zeroed)
		memset(p, 0, n);
	return p;
}

/* Bytes the caller may use at p (at least what was asked for); 0 for NULL. */
static size_t usable_size(void *p)
{
	struct chunk *c = mem_to_chunk(p);

	return chunk_size(c) - ((c->head & MMAPPED) ? HEADER : HEADER - 8);
}

/*
 * Resize heap chunk c to need bytes where it lies: shrink by freeing the
 * tail, or grow into the top chunk or a free next chunk. Returns 1 if done.
 */
static int resize_in_place(struct chunk *c, size_t need)
{
	size_t size = chunk_size(c);
	struct chunk *next = chunk_at(c, size);

	if (need <= size) {
		split_tail(c, need);
		return 1;
	}
	if (next == st.top && size + chunk_size(next) >= need + MIN_CHUNK) {
		size_t top_size = chunk_size(next);

		if (st.fresh < (uintptr_t)c + need + HEADER)
			st.fresh = (uintptr_t)c + need + HEADER;
		st.top = chunk_at(c, need);
		st.top->head = size + top_size - need;
		c->head = need | (c->head & FLAGS);
		return 1;
	}
	if (next != st.top && !(next->head & IN_USE) && size + chunk_size(next) >= need) {
		unlink_free(next);
		size += chunk_size(next);
		chunk_at(c, size)->head &= ~PREV_FREE;
		c->head = size | (c->head & FLAGS);
		split_tail(c, need);
		return 1;
	}
	return 0;
}

/* realloc with the lock held: in place if possible, else move. */
static void *do_realloc(void *p, size_t n)
{
	struct chunk *c = mem_to_chunk(p);
	size_t old = usable_size(p);
	int zeroed;
	void *q;

	if (unlikely(st.check))
		check_call("realloc", p);
	if (unlikely((c->head & (IN_USE | QUICK)) != IN_USE))
		malloc_fail("realloc", "invalid pointer", p);
	if (n > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	if (c->head & MMAPPED) {
		/* Still big enough for a mapping of its own: resize the mapping. */
		if (n >= st.mmap_threshold && (c = remap_chunk(c, n)) != NULL)
			return chunk_to_mem(c);
	} else if (resize_in_place(c, request_to_size(n))) {
		return p;
	}
	q = do_malloc(n, &zeroed);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	do_free(p);
	return q;
}

/*
 * Resize the block at p to n bytes, keeping its contents; realloc(NULL, n)
 * is malloc(n), realloc(p, 0) frees p and returns NULL (as glibc does).
 * On failure returns NULL with ENOMEM and leaves p untouched.
 */
EXPORT void *API(realloc)(void *p, size_t n)
{
	int locked;
	void *q;

	if (!p)
		return API(malloc)(n);
	if (n == 0) {
		API(free)(p);
		return NULL;
	}
	locked = malloc_lock_take(&st.lock);
	q = do_realloc(p, n);
	malloc_lock_give(&st.lock, locked);
	return q;
}

/* realloc for nmemb*size bytes; NULL and ENOMEM on overflow. */
EXPORT void *API(reallocarray)(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return API(realloc)(p, n);
}

/* ------------------------------------------------------------ alignment */

/*
 * Heap chunk of n bytes whose payload is align-aligned: allocate enough to
 * find an aligned spot inside, free the part in front and the tail.
 */
static struct chunk *alloc_aligned_heap(size_t n, size_t align)
{
	size_t need = request_to_size(n);
	int zeroed;
	struct chunk *c = alloc_chunk(need + align + MIN_CHUNK, &zeroed);
	uintptr_t mem, aligned;
	struct chunk *a;

	if (!c)
		return NULL;
	mem = (uintptr_t)chunk_to_mem(c);
	aligned = align_up(mem, align);
	if (aligned != mem && aligned - mem < MIN_CHUNK)
		aligned += align;
	if (c->head & MMAPPED) {
		/* alloc_chunk chose mmap after all: slide the chunk forward. */
		size_t pad = aligned - mem;

		a = mem_to_chunk((void *)aligned);
		a->prev_size = c->prev_size + pad;
		a->head = (chunk_size(c) - pad) | MMAPPED | IN_USE;
		return a;
	}
	if (aligned != mem) {
		a = mem_to_chunk((void *)aligned);
		a->head = (chunk_size(c) - (aligned - mem)) | IN_USE;
		c->head = (aligned - mem) | IN_USE | (c->head & PREV_FREE);
		release_chunk(c);
		c = a;
	}
	split_tail(c, need);
	return c;
}

/* memalign with the lock held: align is a power of two above 16. */
static void *do_memalign(size_t align, size_t n)
{
	struct chunk *c = NULL;

	if (unlikely(!st.ready))
		malloc_init();
	if (align > MAX_REQUEST || n > MAX_REQUEST - align - 2 * MIN_CHUNK) {
		errno = ENOMEM;
		return NULL;
	}
	if (n >= st.mmap_threshold)
		c = mmap_chunk(n, align);
	if (!c)
		c = alloc_aligned_heap(n, align);
	return c ? chunk_to_mem(c) : NULL;
}

/* n bytes aligned to align (rounded up to a power of two); NULL and ENOMEM. */
EXPORT void *API(memalign)(size_t align, size_t n)
{
	int locked;
	void *p;

	if (align <= ALIGNMENT)
		return API(malloc)(n);
	if (align & (align - 1)) {
		if (align > MAX_REQUEST) {
			errno = EINVAL;
			return NULL;
		}
		align = 1UL << (64 - __builtin_clzl(align));
	}
	locked = malloc_lock_take(&st.lock);
	p = do_memalign(align, n);
	malloc_lock_give(&st.lock, locked);
	return p;
}

/* C11 aligned_alloc: align must be a power of two, else NULL and EINVAL. */
EXPORT void *API(aligned_alloc)(size_t align, size_t n)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return API(memalign)(align, n);
}

/* POSIX: 0 and *out set, EINVAL for a bad alignment, ENOMEM if no memory. */
EXPORT int API(posix_memalign)(void **out, size_t align, size_t n)
{
	void *p;

	if (align % sizeof(void *) || (align & (align - 1)) || align == 0)
		return EINVAL;
	p = API(memalign)(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* n bytes aligned to a page; NULL and ENOMEM on failure. */
EXPORT void *API(valloc)(size_t n)
{
	return API(memalign)(PAGE, n);
}

/* n rounded up to whole pages, page aligned; NULL and ENOMEM on failure. */
EXPORT void *API(pvalloc)(size_t n)
{
	if (n > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	return API(memalign)(PAGE, n ? align_up(n, PAGE) : PAGE);
}

/* Usable bytes of the block at p (C14: read from its header); 0 for NULL. */
EXPORT size_t API(malloc_usable_size)(void *p)
{
	int locked;
	size_t n;

	if (!p)
		return 0;
	locked = malloc_lock_take(&st.lock);
	if (st.check)
		check_call("malloc_usable_size", p);
	n = usable_size(p);
	malloc_lock_give(&st.lock, locked);
	return n;
}

/* ---------------------------------------------------- tuning and stats */

/*
 * Give free heap memory back: merge the quick lists, lower the break down to
 * pad bytes above the last chunk in use, and drop the frames behind whole
 * free pages inside the heap (MADV_DONTNEED). Returns 1 if anything was freed.
 */
EXPORT int API(malloc_trim)(size_t pad)
{
	int locked;
	int released;

	locked = malloc_lock_take(&st.lock);
	flush_quick(1);
	if (st.remainder)
		bin_insert(st.remainder);
	st.remainder = NULL;
	released = trim_top(pad);
	for (unsigned i = 0; i < BINS; i++) {
		for (struct chunk *c = st.bin[i]; c; c = c->next) {
			uintptr_t from = align_up((uintptr_t)c + MIN_CHUNK, PAGE);
			uintptr_t to = ((uintptr_t)c + chunk_size(c)) & ~(PAGE - 1);

			if (to > from && sys_madvise_dontneed((void *)from, to - from) == 0)
				released = 1;
		}
	}
	malloc_lock_give(&st.lock, locked);
	return released;
}

/* Set a tuning parameter (glibc's numbers); returns 1, or 0 if unknown/bad. */
EXPORT int API(mallopt)(int param, int value)
{
	int locked;
	int ok = value >= 0;

	locked = malloc_lock_take(&st.lock);
	if (!st.ready)
		malloc_init();
	if (ok && param == M_MMAP_THRESHOLD)
		st.mmap_threshold = (size_t)value;
	else if (ok && param == M_TRIM_THRESHOLD)
		st.trim_threshold = (size_t)value;
	else if (ok && param == M_TOP_PAD)
		st.top_pad = (size_t)value;
	else if (ok && param == M_MMAP_MAX)
		st.mmap_max = (size_t)value;
	else if (ok && param == M_MEMOS_CHECK)
		st.check = value;
	else
		ok = 0;
	if (ok && param != M_MEMOS_CHECK)
		st.dynamic_threshold = 0;
	update_quick_limit();
	malloc_lock_give(&st.lock, locked);
	return ok;
}

/* Statistics with the lock held: walks the free lists, so it is O(free chunks). */
static struct mallinfo2 collect_info(void)
{
	struct mallinfo2 mi = {0};

	for (unsigned i = 0; i < BINS; i++) {
		for (struct chunk *c = st.bin[i]; c; c = c->next) {
			mi.ordblks++;
			mi.fordblks += chunk_size(c);
		}
	}
	for (int i = 0; i < QUICK_LISTS; i++) {
		for (struct chunk *c = st.quick[i]; c; c = c->next)
			mi.smblks++;
		for (struct chunk *c = st.kept[i]; c; c = c->next)
			mi.smblks++;
	}
	mi.fsmblks = st.quick_bytes + st.kept_bytes;
	if (st.remainder) {
		mi.ordblks++;
		mi.fordblks += chunk_size(st.remainder);
	}
	if (st.top) {
		mi.ordblks++;
		mi.keepcost = chunk_size(st.top);
	}
	mi.fordblks += mi.fsmblks + mi.keepcost;
	mi.arena = st.heap_bytes;
	mi.uordblks = mi.arena - mi.fordblks;
	mi.hblks = st.mmap_count;
	mi.hblkhd = st.mmap_bytes;
	return mi;
}

/* Heap and mmap statistics (glibc's struct mallinfo2). */
EXPORT struct mallinfo2 API(mallinfo2)(void)
{
	int locked;
	struct mallinfo2 mi;

	locked = malloc_lock_take(&st.lock);
	mi = collect_info();
	malloc_lock_give(&st.lock, locked);
	return mi;
}

/* Append "label = value" with value right-aligned in 10 columns to buf. */
static size_t stats_line(char *buf, const char *label, size_t value)
{
	char digits[24];
	int nd = 0;
	size_t n = 0;

	while (*label)
		buf[n++] = *label++;
	do {
		digits[nd++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	for (int pad = nd; pad < 10; pad++)
		buf[n++] = ' ';
	while (nd > 0)
		buf[n++] = digits[--nd];
	buf[n++] = '\n';
	return n;
}

/* Print glibc-style statistics on stderr with write(2) (stdio might malloc). */
EXPORT void API(malloc_stats)(void)
{
	int locked;
	char buf[512];
	size_t n = 0;
	struct mallinfo2 mi;
	size_t max_count, max_bytes;

	locked = malloc_lock_take(&st.lock);
	mi = collect_info();
	max_count = st.max_mmap_count;
	max_bytes = st.max_mmap_bytes;
	malloc_lock_give(&st.lock, locked);
	n += stats_line(buf + n, "Arena 0:\nsystem bytes     = ", mi.arena);
	n += stats_line(buf + n, "in use bytes     = ", mi.uordblks);
	n += stats_line(buf + n, "Total (incl. mmap):\nsystem bytes     = ", mi.arena + mi.hblkhd);
	n += stats_line(buf + n, "in use bytes     = ", mi.uordblks + mi.hblkhd);
	n += stats_line(buf + n, "max mmap regions = ", max_count);
	n += stats_line(buf + n, "max mmap bytes   = ", max_bytes);
	sys_write_all(2, buf, n);
}

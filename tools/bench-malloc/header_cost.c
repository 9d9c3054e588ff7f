/*
 * What does the C14 header cost free()? An experiment for docs/malloc.md:
 * mimalloc (no header: it finds a block's size in its page descriptor) with
 * one change, made by this LD_PRELOAD wrapper: free first reads the 8 bytes
 * in front of the pointer, as a header-based free must.
 *
 *   HEADER_READ=0  plain forwarding (the wrapper's own cost)
 *   HEADER_READ=1  the word feeds only a branch (it is loaded, then compared)
 *   HEADER_READ=2  the word picks a per-size counter to bump, as a header-based
 *                  free picks the list to push on (&list[size / 16])
 *   HEADER_READ=3  as 1, and the word of the previous free picks the counter
 *                  (one free later its line is in the cache)
 *
 * Built by `make bench-malloc-header`, which times the four variants on the
 * inverse-square and fragmentation workloads (tools/bench-malloc/workloads.c).
 */
#include <stddef.h>

void *mi_malloc(size_t n);
void *mi_calloc(size_t nmemb, size_t size);
void *mi_realloc(void *p, size_t n);
void mi_free(void *p);
size_t mi_usable_size(const void *p);
void *mi_memalign(size_t align, size_t n);
void *mi_aligned_alloc(size_t align, size_t n);
int mi_posix_memalign(void **out, size_t align, size_t n);

#define EXPORT __attribute__((visibility("default")))

#if HEADER_READ > 0
static size_t per_size[64]; /* what the header word indexes */
#endif

/* The word in front of p, read as a header would be. */
static inline size_t word_before(const void *p)
{
	return ((const volatile size_t *)p)[-1];
}

EXPORT void free(void *p)
{
#if HEADER_READ == 1
	if (p && word_before(p) == 3)
		per_size[0]++;
#elif HEADER_READ == 2
	if (p)
		per_size[(word_before(p) >> 4) & 63]++;
#elif HEADER_READ == 3
	static const void *last;

	if (p && word_before(p) == 3)
		per_size[0]++;
	if (last)
		per_size[(word_before(last) >> 4) & 63]++;
	last = p;
#endif
	mi_free(p);
}

EXPORT void *malloc(size_t n)
{
	return mi_malloc(n);
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	return mi_calloc(nmemb, size);
}

EXPORT void *realloc(void *p, size_t n)
{
	return mi_realloc(p, n);
}

EXPORT size_t malloc_usable_size(void *p)
{
	return mi_usable_size(p);
}

EXPORT void *memalign(size_t align, size_t n)
{
	return mi_memalign(align, n);
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	return mi_aligned_alloc(align, n);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	return mi_posix_memalign(out, align, n);
}

/*
 * malloc.h: the allocator's extras beyond stdlib.h (libc/malloc.c): tuning
 * with mallopt, statistics, alignment helpers. Names, numbers and the
 * mallinfo2 layout are glibc's, so programs written for Linux build unchanged.
 */
#ifndef _MALLOC_H
#define _MALLOC_H

#include <stddef.h>

/* mallopt parameters, with glibc's numeric values. */
#define M_TRIM_THRESHOLD -1   /* free top of the heap above this goes back with brk */
#define M_TOP_PAD	 -2   /* extra bytes asked for on each brk, and kept on trim */
#define M_MMAP_THRESHOLD -3   /* requests of at least this many bytes get their own mmap */
#define M_MMAP_MAX	 -4   /* most mmapped blocks at once; 0 = never use mmap */
#define M_MEMOS_CHECK	 -100 /* memos only: checking level, like MEMOS_MALLOC_CHECK */

/* Allocator statistics, field for field glibc's struct mallinfo2. */
struct mallinfo2 {
	size_t arena;	 /* bytes of heap obtained with brk (or mmap as a pool) */
	size_t ordblks;	 /* free chunks in the pool (top included) */
	size_t smblks;	 /* free chunks waiting in quick lists */
	size_t hblks;	 /* blocks that have their own mmap */
	size_t hblkhd;	 /* bytes in those blocks */
	size_t usmblks;	 /* always 0, as in glibc */
	size_t fsmblks;	 /* bytes in quick-list chunks */
	size_t uordblks; /* bytes of heap chunks in use */
	size_t fordblks; /* bytes of heap chunks free (quick lists and top included) */
	size_t keepcost; /* bytes in the top chunk, the part malloc_trim could release */
};

int mallopt(int param, int value);
struct mallinfo2 mallinfo2(void);
void malloc_stats(void);
int malloc_trim(size_t pad);
size_t malloc_usable_size(void *ptr);
void *memalign(size_t alignment, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);

#endif

/*
 * free-return: what free() gives back to the kernel (concept C15).
 *
 *   1. a block from the brk heap: free keeps it in malloc's pool. VmRSS,
 *      the break and /proc/self/maps do not change, and the next malloc of
 *      that size gets the same address back;
 *   2. a block with its own mmap: free unmaps it at once. Its maps line
 *      disappears and VmRSS drops by its size;
 *   3. the nuance the seed leaves out: when the free chunk at the *top* of
 *      the heap exceeds M_TRIM_THRESHOLD (128 KiB), free lowers the break
 *      (glibc does the same); and malloc_trim(0) also gives back the
 *      frames behind free pages in the middle of the heap
 *      (madvise(MADV_DONTNEED)), which no brk can reach.
 *
 * VmRSS comes from /proc/self/status, the break from brk(0). All numbers
 * are measured; the summary lines ("free-return: ...") are for the tests.
 * Runs unchanged on Linux and on memos.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lib/procfs.h"

#define KIB	    1024UL
#define BLOCKS	    8
#define BLOCK_SIZE  (100 * KIB)	 /* below the threshold: from the heap */
#define MAPPED_SIZE (1024 * KIB) /* above it: its own mapping */
#define GUARD_SIZE  (2 * KIB)	 /* over the quick lists' 1 KiB: free coalesces it */

/* The counters this demo compares. */
struct snapshot {
	long rss_kb;
	unsigned long brk;
	char maps[16384];
};

static struct snapshot before, after;
static char status_buf[8192];

/* Reads VmRSS, the break and /proc/self/maps into s (no malloc). */
static void take_snapshot(struct snapshot *s)
{
	unsigned long rss = 0;

	if (read_file("/proc/self/status", status_buf, sizeof(status_buf)) < 0 ||
	    !proc_field(status_buf, "VmRSS", &rss))
		rss = 0;
	s->rss_kb = (long)rss;
	s->brk = (unsigned long)syscall(SYS_brk, 0);
	if (read_file("/proc/self/maps", s->maps, sizeof(s->maps)) < 0)
		s->maps[0] = '\0';
}

/* Prints the maps line containing addr in s, or says there is none;
 * returns 1 if there is one. */
static int print_mapping(const struct snapshot *s, const void *addr)
{
	const char *line = s->maps;

	while (*line) {
		char *end;
		unsigned long lo = strtoul(line, &end, 16);
		unsigned long hi = strtoul(end + 1, NULL, 16);
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			printf("      %.*s\n", len, line);
			return 1;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	printf("      (no mapping contains %p)\n", addr);
	return 0;
}

/* Prints VmRSS and the break of s, and the mapping of addr. */
static int print_snapshot(const char *when, const struct snapshot *s, const void *addr)
{
	printf("    %-7s VmRSS %6ld kB   break %#lx\n", when, s->rss_kb, s->brk);
	return print_mapping(s, addr);
}

/* Fills size bytes so every page is resident. */
static void touch(void *p, size_t size)
{
	memset(p, 0x5a, size);
}

/* Case 1: heap blocks in the middle of the heap go back to the pool. */
static void free_brk_blocks(void **blocks, void **guard)
{
	void *again;
	int same_maps;

	printf("1. free() of %d heap blocks of %lu KiB (below the threshold), with a\n"
	       "   %lu KiB block above them so they are not at the top of the heap\n",
	       BLOCKS, BLOCK_SIZE / KIB, GUARD_SIZE / KIB);
	for (int i = 0; i < BLOCKS; i++) {
		blocks[i] = malloc(BLOCK_SIZE);
		touch(blocks[i], BLOCK_SIZE);
	}
	*guard = malloc(GUARD_SIZE);
	take_snapshot(&before);
	for (int i = 0; i < BLOCKS; i++)
		free(blocks[i]);
	take_snapshot(&after);
	print_snapshot("before", &before, blocks[0]);
	print_snapshot("after", &after, blocks[0]);
	same_maps = strcmp(before.maps, after.maps) == 0;
	again = malloc(BLOCK_SIZE);
	printf("    /proc/self/maps %s; malloc(%lu KiB) again = %p (first block was %p)\n",
	       same_maps ? "unchanged" : "changed", BLOCK_SIZE / KIB, again, blocks[0]);
	printf("free-return: brk_free rss_delta_kb=%ld break_delta=%ld maps_changed=%s "
	       "reused=%s\n\n",
	       after.rss_kb - before.rss_kb, (long)(after.brk - before.brk),
	       same_maps ? "no" : "yes", again == blocks[0] ? "yes" : "no");
	free(again);
}

/* Case 2: a block with its own mapping is unmapped by free. */
static void free_mapped_block(void)
{
	void *p = malloc(MAPPED_SIZE);
	int mapped_before, mapped_after;

	printf("2. free() of one %lu KiB block (above the threshold: its own mmap)\n",
	       MAPPED_SIZE / KIB);
	touch(p, MAPPED_SIZE);
	take_snapshot(&before);
	free(p);
	take_snapshot(&after);
	mapped_before = print_snapshot("before", &before, p);
	mapped_after = print_snapshot("after", &after, p);
	printf("free-return: mmap_free size_kb=%lu rss_delta_kb=%ld mapped_before=%s "
	       "mapped_after=%s\n\n",
	       MAPPED_SIZE / KIB, after.rss_kb - before.rss_kb, mapped_before ? "yes" : "no",
	       mapped_after ? "yes" : "no");
}

/* Case 3: freeing the block that pinned the top lets free trim the heap. */
static void trim_top(void *guard, const void *heap_addr)
{
	printf("3a. free() of the %lu KiB block at the top: it merges with the free blocks\n"
	       "    below and the top chunk, which is now over\n"
	       "    M_TRIM_THRESHOLD (128 KiB), so free lowers the break with brk\n",
	       GUARD_SIZE / KIB);
	take_snapshot(&before);
	free(guard);
	take_snapshot(&after);
	print_snapshot("before", &before, heap_addr);
	print_snapshot("after", &after, heap_addr);
	printf("free-return: trim break_delta=%ld rss_delta_kb=%ld\n\n",
	       (long)(after.brk - before.brk), after.rss_kb - before.rss_kb);
}

/* Case 4: malloc_trim(0) releases whole free pages inside the heap. */
static void trim_holes(void **blocks)
{
	void *guard;
	int released;

	printf("3b. malloc_trim(0): the same %d heap blocks freed below a live block\n"
	       "    (a hole no brk can reach); malloc_trim drops the frames behind it\n",
	       BLOCKS);
	for (int i = 0; i < BLOCKS; i++) {
		blocks[i] = malloc(BLOCK_SIZE);
		touch(blocks[i], BLOCK_SIZE);
	}
	guard = malloc(GUARD_SIZE);
	for (int i = 0; i < BLOCKS; i++)
		free(blocks[i]);
	take_snapshot(&before);
	released = malloc_trim(0);
	take_snapshot(&after);
	print_snapshot("before", &before, blocks[0]);
	print_snapshot("after", &after, blocks[0]);
	printf("free-return: malloc_trim returned=%d rss_delta_kb=%ld break_delta=%ld\n", released,
	       after.rss_kb - before.rss_kb, (long)(after.brk - before.brk));
	free(guard);
}

int main(void)
{
	void *blocks[BLOCKS], *guard;

	/* A fixed threshold: freeing the mapped block must not raise it
	 * (glibc's dynamic rule, shown by malloc-threshold). */
	mallopt(M_MMAP_THRESHOLD, 128 * KIB);
	printf("free-return: M_MMAP_THRESHOLD 128 KiB, M_TRIM_THRESHOLD 128 KiB\n\n");
	free_brk_blocks(blocks, &guard);
	free_mapped_block();
	trim_top(guard, blocks[0]);
	trim_holes(blocks);
	return 0;
}

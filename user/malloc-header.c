/*
 * malloc-header: free() knows a block's size because malloc returns an
 * address 16 bytes past the block's start, and those 16 bytes describe the
 * block (concept C14).
 *
 * For a few sizes it prints the two 8-byte words in front of the pointer
 * (prev_size and head = size | flags, libc/malloc.c, docs/malloc.md),
 * decodes them, and compares them with malloc_usable_size() and with the
 * documented rule: a heap chunk for n bytes is max(32, round_up(n + 8, 16))
 * bytes with size - 8 usable (the next chunk's prev_size word is ours while
 * we are in use); an mmapped chunk is page-rounded with size - 16 usable.
 * Then it shows free() reading them: the freed chunk's flags change, the
 * same size comes back at the same address, the mapped block's mapping
 * disappears, and a corrupted header is caught by the checking mode.
 *
 * Summary lines for the tests:
 *   malloc-header: n=24 size=32 flags=0x1 usable=24 expected_size=32 match=yes
 * Runs unchanged on Linux and on memos.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/procfs.h"

/* Header flags, as in libc/malloc.c. */
#define IN_USE	  1UL
#define PREV_FREE 2UL
#define MMAPPED	  4UL
#define QUICK	  8UL

#define HEADER_SIZE 16UL
#define PAGE_SIZE   4096UL

static char maps_text[16384];

/* Prints the flag bits by name. */
static void print_flags(unsigned long flags)
{
	printf("%s%s%s%s", flags & IN_USE ? " IN_USE" : "", flags & PREV_FREE ? " PREV_FREE" : "",
	       flags & MMAPPED ? " MMAPPED" : "", flags & QUICK ? " QUICK" : "");
}

/* The chunk size the allocator documents for a request of n bytes. */
static unsigned long expected_size(unsigned long n, int mmapped)
{
	if (mmapped)
		return (n + HEADER_SIZE + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	n = (n + 8 + 15) & ~15UL;
	return n < 32 ? 32 : n;
}

/* Shows the 16 bytes in front of p, decoded, next to malloc_usable_size. */
static void show_header(unsigned long n, void *p)
{
	const unsigned long *h = (const unsigned long *)p - 2;
	unsigned long size = h[1] & ~15UL, flags = h[1] & 15UL;
	unsigned long usable = malloc_usable_size(p);
	int mmapped = (flags & MMAPPED) != 0;
	unsigned long overhead = mmapped ? HEADER_SIZE : 8;
	unsigned long want = expected_size(n, mmapped);

	printf("malloc(%lu) = %p\n", n, p);
	printf("  x/2gx %p:  0x%016lx  0x%016lx\n", (const void *)h, h[0], h[1]);
	printf("  prev_size %lu, head: size %lu, flags %#lx (", h[0], size, flags);
	print_flags(flags);
	printf(" )\n");
	printf("  malloc_usable_size = %lu = size - %lu (%s)\n", usable, overhead,
	       mmapped ? "mapped chunk: the whole header is overhead"
		       : "heap chunk: the next chunk's prev_size word is ours while in use");
	printf("malloc-header: n=%lu size=%lu flags=%#lx usable=%lu expected_size=%lu match=%s\n",
	       n, size, flags, usable, want,
	       size == want && usable == size - overhead && usable >= n ? "yes" : "no");
}

/* 1 if addr lies in a mapping listed in /proc/self/maps. */
static int is_mapped(unsigned long addr)
{
	const char *line = maps_text;

	if (read_file("/proc/self/maps", maps_text, sizeof(maps_text)) < 0)
		return -1;
	while (*line) {
		char *end;
		unsigned long lo = strtoul(line, &end, 16);
		unsigned long hi = strtoul(end + 1, NULL, 16);
		const char *nl = strchr(line, '\n');

		if (addr >= lo && addr < hi)
			return 1;
		if (!nl)
			break;
		line = nl + 1;
	}
	return 0;
}

/* free() reads head at p - 8: a heap chunk goes to a pool (flags change,
 * the same size is handed out again at the same address). */
static void free_heap_chunk(unsigned long n)
{
	void *p = malloc(n);
	const volatile unsigned long *head = (const unsigned long *)p - 1;
	unsigned long before = *head, after;
	void *again;

	free(p);
	after = *head; /* reading a freed chunk's header: a demo, not a habit */
	again = malloc(n);
	printf("free(%p) of a %lu-byte chunk: head %#lx -> %#lx (", p, before & ~15UL, before,
	       after);
	print_flags(after & 15UL);
	printf(" ); malloc(%lu) again = %p\n", n, again);
	printf("malloc-header: free n=%lu head_before=%#lx head_after=%#lx reused=%s\n", n, before,
	       after, again == p ? "yes" : "no");
	free(again);
}

/* free() of a MMAPPED chunk unmaps size bytes from the chunk's start. */
static void free_mapped_chunk(unsigned long n)
{
	void *p = malloc(n);
	unsigned long chunk = (unsigned long)p - HEADER_SIZE;
	unsigned long head = ((const unsigned long *)p)[-1];
	int before = is_mapped(chunk), after;

	free(p);
	after = is_mapped(chunk);
	printf("free(%p): head %#lx (", p, head);
	print_flags(head & 15UL);
	printf(" ) -> munmap(%#lx, %lu); chunk mapped before %s, after %s\n", chunk, head & ~15UL,
	       before ? "yes" : "no", after ? "yes" : "no");
	printf("malloc-header: free n=%lu mmapped=%s mapped_before=%s mapped_after=%s\n", n,
	       head & MMAPPED ? "yes" : "no", before ? "yes" : "no", after ? "yes" : "no");
}

/* In a child: overwrite the head word with nonsense and free; the checking
 * mode (M_MEMOS_CHECK) must reject it. */
static void free_corrupted_chunk(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *p = malloc(100);

		mallopt(M_MEMOS_CHECK, 1);
		((unsigned long *)p)[-1] = 0x12345UL;
		free(p);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return;
	printf("free() of a chunk whose head was overwritten with 0x12345: child %s %d\n",
	       WIFSIGNALED(status) ? "killed by signal" : "exited with",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	printf("malloc-header: corrupted head caught=%s\n",
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT ? "yes" : "no");
}

int main(void)
{
	static const unsigned long sizes[] = {1, 24, 100, 1000, 200000};
	void *p[5];

	/* Fixed, so that freeing the 200000-byte block does not raise the
	 * threshold (glibc's dynamic rule; see malloc-threshold) and the second
	 * one is mapped too. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	printf("The 16 bytes in front of each pointer: prev_size, then head = size | flags\n"
	       "(flags: 1 IN_USE, 2 PREV_FREE, 4 MMAPPED, 8 QUICK)\n\n");
	for (int i = 0; i < 5; i++) {
		p[i] = malloc(sizes[i]);
		show_header(sizes[i], p[i]);
	}
	for (int i = 0; i < 5; i++)
		free(p[i]);

	printf("\nfree() uses them:\n");
	free_heap_chunk(100);
	free_heap_chunk(24);
	free_mapped_chunk(200000);
	free_corrupted_chunk();
	return 0;
}

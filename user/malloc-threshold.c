/*
 * malloc-threshold: requests below M_MMAP_THRESHOLD (128 KiB) come from the
 * brk heap, requests of 128 KiB or more get their own mmap (concept C2).
 *
 * For sizes around the threshold it mallocs one block and reports which
 * path it took, three ways that must agree: where the address lies (inside
 * the brk heap, between the first break and sbrk(0), or not), the MMAPPED
 * flag in the block's header (libc/malloc.c, docs/malloc.md), and what
 * changed in /proc/self/maps (the [heap] line grows, or an anonymous
 * mapping appears). Then it shows glibc's dynamic threshold (freeing a
 * mapped block raises the threshold to its size) and mallopt(), which
 * moves the threshold and switches the dynamic rule off.
 *
 * Each block prints a summary line the tests read:
 *   malloc-threshold: phase=default size=204800 path=mmap header=mmap break_delta=0
 *                     maps_changed=yes mapping=anon
 * All numbers are measured. Runs unchanged on Linux and on memos.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lib/procfs.h"

#define KIB	     1024UL
#define MMAPPED_FLAG 4UL /* header flag of a chunk with its own mapping (libc/malloc.c) */
#define MAPS_SIZE    16384
#define MAX_LINES    128

/* /proc/self/maps at one moment, split into lines (static: no malloc). */
struct maps {
	char text[MAPS_SIZE];
	char *line[MAX_LINES];
	int count;
};

static struct maps maps_before, maps_after;
static unsigned long heap_start; /* the break before our first malloc */

/* Reads /proc/self/maps into m and splits it into lines. */
static void read_maps(struct maps *m)
{
	char *p;

	m->count = 0;
	if (read_file("/proc/self/maps", m->text, sizeof(m->text)) < 0) {
		m->text[0] = '\0';
		return;
	}
	for (p = m->text; *p && m->count < MAX_LINES;) {
		char *nl = strchr(p, '\n');

		m->line[m->count++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

/* 1 if line appears in m. */
static int has_line(const struct maps *m, const char *line)
{
	for (int i = 0; i < m->count; i++)
		if (strcmp(m->line[i], line) == 0)
			return 1;
	return 0;
}

/* Prints the lines of a missing from b with the given mark; returns how many. */
static int print_missing(const struct maps *a, const struct maps *b, const char *mark)
{
	int n = 0;

	for (int i = 0; i < a->count; i++) {
		if (!has_line(b, a->line[i])) {
			printf("      %s %s\n", mark, a->line[i]);
			n++;
		}
	}
	return n;
}

/* The maps line that contains addr, or NULL. */
static const char *mapping_of(const struct maps *m, unsigned long addr)
{
	for (int i = 0; i < m->count; i++) {
		char *end;
		unsigned long lo = strtoul(m->line[i], &end, 16);
		unsigned long hi = strtoul(end + 1, NULL, 16);

		if (addr >= lo && addr < hi)
			return m->line[i];
	}
	return NULL;
}

/* The current break, from the kernel: libc's sbrk(0) only knows the moves
 * made through sbrk, and malloc calls brk directly (libc/malloc_sys.c). */
static unsigned long current_break(void)
{
	return (unsigned long)syscall(SYS_brk, 0);
}

/* The size word of the 16-byte header in front of p: size | flags. */
static unsigned long header_of(const void *p)
{
	return ((const unsigned long *)p)[-1];
}

/* mallocs size bytes and reports the path it took; returns the block. */
static void *malloc_and_report(const char *phase, unsigned long size)
{
	unsigned long brk_before = current_break(), brk_after, addr, head;
	const char *path, *line;
	void *p;
	int changed;

	read_maps(&maps_before);
	p = malloc(size);
	brk_after = current_break();
	read_maps(&maps_after);
	if (!p) {
		printf("  malloc(%lu KiB) failed\n", size / KIB);
		return NULL;
	}
	addr = (unsigned long)p;
	head = header_of(p);
	path = addr >= heap_start && addr < brk_after ? "brk" : "mmap";
	printf("  malloc(%lu KiB = %lu) = %p\n", size / KIB, size, p);
	printf("    break %#lx -> %#lx (%+ld bytes)\n", brk_before, brk_after,
	       (long)(brk_after - brk_before));
	printf("    header: size %lu, flags %#lx (%s)\n", head & ~15UL, head & 15UL,
	       head & MMAPPED_FLAG ? "MMAPPED" : "heap chunk");
	printf("    /proc/self/maps changes:\n");
	changed = print_missing(&maps_before, &maps_after, "-");
	changed += print_missing(&maps_after, &maps_before, "+");
	if (!changed)
		printf("      (none: the heap already had room)\n");
	line = mapping_of(&maps_after, addr);
	printf("    -> %s: the address is %s the brk heap [%#lx, %#lx)\n", path,
	       strcmp(path, "brk") == 0 ? "inside" : "outside", heap_start, brk_after);
	printf("malloc-threshold: phase=%s size=%lu path=%s header=%s break_delta=%ld "
	       "maps_changed=%s mapping=%s\n",
	       phase, size, path, head & MMAPPED_FLAG ? "mmap" : "brk",
	       (long)(brk_after - brk_before), changed ? "yes" : "no",
	       !line			? "none"
	       : strstr(line, "[heap]") ? "heap"
					: "anon");
	return p;
}

/* One round: malloc each size (kept live, so each one's path is fresh),
 * then free them all. */
static void round_of(const char *phase, const unsigned long *sizes, int n)
{
	void *blocks[8];

	for (int i = 0; i < n; i++)
		blocks[i] = malloc_and_report(phase, sizes[i]);
	for (int i = 0; i < n; i++)
		free(blocks[i]);
}

int main(void)
{
	static const unsigned long around[] = {100 * KIB, 127 * KIB, 128 * KIB, 200 * KIB};
	static const unsigned long after_mallopt[] = {32 * KIB, 63 * KIB, 64 * KIB, 100 * KIB,
						      200 * KIB};
	void *p;

	heap_start = current_break();
	printf("malloc-threshold: M_MMAP_THRESHOLD starts at 128 KiB; the first break is %#lx\n\n",
	       heap_start);

	printf("1. Default threshold (128 KiB): below it the brk heap, at or above it mmap\n");
	round_of("default", around, 4);

	printf("\n2. The dynamic threshold (glibc's rule, ours too): freeing the 200 KiB\n"
	       "   mapped block above raised the threshold to its size, so the same\n"
	       "   request now comes from the heap. (Programs that free and reallocate\n"
	       "   big buffers stop paying for a fresh mapping each time.)\n");
	p = malloc_and_report("dynamic", 200 * KIB);
	free(p);

	printf("\n3. mallopt(M_MMAP_THRESHOLD, 64 KiB) = %d: a fixed threshold, the\n"
	       "   dynamic rule is off\n",
	       mallopt(M_MMAP_THRESHOLD, 64 * KIB));
	round_of("mallopt64k", after_mallopt, 5);
	return 0;
}

/*
 * lazy: virtual memory that is never touched costs no physical memory
 * (concept C3), and each first touch is one minor fault and one more
 * resident page (C4, C5).
 *
 *   lazy [N]     reserve 1 GiB with mmap and with malloc, then touch N
 *                pages (default 1000) of each
 *
 * Prints MemFree (/proc/meminfo), this process's VmRSS (/proc/self/status)
 * and its minor faults (getrusage) before and after each step, and the
 * deltas. Every figure is measured; nothing is assumed. The same binary
 * runs on Linux and on memos.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "lib/procfs.h"

#define GIB	  (1UL << 30)
#define PAGE_SIZE 4096UL

/* One reading of the counters this demo is about. */
struct snapshot {
	long memfree_kb;
	long rss_kb;
	long minflt;
};

/* Static so that reading them never faults in a new page of our own. */
static char meminfo_buf[8192];
static char status_buf[8192];

/* A field of a /proc file in kB, or -1 when the file or field is missing. */
static long proc_kb(const char *file, char *buf, size_t size, const char *key)
{
	unsigned long value;

	if (proc_read(file, buf, size) < 0 || !proc_field(buf, key, &value))
		return -1;
	return (long)value;
}

/* Reads the three counters; the fault count is taken first, so the /proc
 * reads (which touch only memory already present) are not in the window. */
static struct snapshot take_snapshot(void)
{
	struct snapshot s;
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	s.minflt = ru.ru_minflt;
	s.memfree_kb = proc_kb("meminfo", meminfo_buf, sizeof(meminfo_buf), "MemFree");
	s.rss_kb = proc_kb("self/status", status_buf, sizeof(status_buf), "VmRSS");
	return s;
}

static void print_snapshot(const char *when, struct snapshot s)
{
	printf("  %-28s MemFree %8ld kB  VmRSS %8ld kB  minor faults %6ld\n", when, s.memfree_kb,
	       s.rss_kb, s.minflt);
}

static void print_delta(const char *what, struct snapshot a, struct snapshot b)
{
	printf("  %-28s MemFree %+8ld kB  VmRSS %+8ld kB  minor faults %+6ld\n", what,
	       b.memfree_kb - a.memfree_kb, b.rss_kb - a.rss_kb, b.minflt - a.minflt);
}

/* Writes one byte to each of the first n pages of region. */
static void touch_pages(char *region, long n)
{
	for (long i = 0; i < n; i++)
		region[i * PAGE_SIZE] = 1;
}

/* Touches n pages of region and prints the counters around it, with the
 * per-page figures the demo is about. */
static void touch_and_report(const char *name, char *region, long n)
{
	struct snapshot before, after;

	before = take_snapshot();
	touch_pages(region, n);
	after = take_snapshot();
	printf("%s: touch %ld pages (one byte each)\n", name, n);
	print_snapshot("before", before);
	print_snapshot("after", after);
	print_delta("delta", before, after);
	printf("lazy: %s touched=%ld minflt_delta=%ld rss_delta_pages=%ld\n", name, n,
	       after.minflt - before.minflt, (after.rss_kb - before.rss_kb) / 4);
}

/* Maps 1 GiB of private anonymous memory; if the kernel refuses (as Linux's
 * overcommit heuristic does when 1 GiB exceeds RAM + swap), says so and
 * retries with MAP_NORESERVE, which mode 0 does not account. */
static char *reserve_with_mmap(void)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	char *p = mmap(NULL, GIB, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED) {
		printf("mmap(1 GiB): refused, errno %d (%s)\n", errno, strerror(errno));
		p = mmap(NULL, GIB, PROT_READ | PROT_WRITE, flags | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			printf("mmap(1 GiB, MAP_NORESERVE): refused, errno %d (%s)\n", errno,
			       strerror(errno));
			return NULL;
		}
		printf("mmap(1 GiB, MAP_NORESERVE): %p\n", (void *)p);
	} else {
		printf("mmap(1 GiB): %p\n", (void *)p);
	}
	/* Linux may back a large region with 2 MiB pages (THP); one fault per
	 * 4 KiB page is what we count. memos does not know this advice. */
	madvise(p, GIB, MADV_NOHUGEPAGE);
	return p;
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? strtol(argv[1], NULL, 0) : 1000;
	struct snapshot start, s;
	unsigned long mode = 0;
	char *region, *block;

	if (pages < 0 || (unsigned long)pages >= GIB / PAGE_SIZE) {
		fprintf(stderr, "usage: lazy [PAGES]   (0..262143, default 1000)\n");
		return 2;
	}
	if (proc_read("sys/vm/overcommit_memory", meminfo_buf, sizeof(meminfo_buf)) > 0)
		mode = strtoul(meminfo_buf, NULL, 10);
	printf("lazy: reserve 1 GiB twice, touch %ld pages of each "
	       "(vm.overcommit_memory=%lu, MemTotal %ld kB)\n",
	       pages, mode, proc_kb("meminfo", meminfo_buf, sizeof(meminfo_buf), "MemTotal"));
	take_snapshot(); /* warm up: the buffers and the stack are now resident */
	start = take_snapshot();
	print_snapshot("start", start);

	region = reserve_with_mmap();
	s = take_snapshot();
	print_snapshot("after mmap(1 GiB)", s);
	print_delta("delta", start, s);
	if (region)
		touch_and_report("mmap", region, pages);

	start = take_snapshot();
	block = malloc(GIB);
	s = take_snapshot();
	if (!block) {
		printf("malloc(1 GiB): NULL, errno %d (%s)\n", errno, strerror(errno));
	} else {
		printf("malloc(1 GiB): %p\n", (void *)block);
		madvise((void *)((unsigned long)block & ~(PAGE_SIZE - 1)), GIB, MADV_NOHUGEPAGE);
		print_snapshot("after malloc(1 GiB)", s);
		print_delta("delta", start, s);
		/* Start at the next page: the first holds malloc's header, already touched. */
		touch_and_report("malloc",
				 (char *)(((unsigned long)block + PAGE_SIZE) & ~(PAGE_SIZE - 1)),
				 pages);
		free(block);
	}
	if (region)
		munmap(region, GIB);
	s = take_snapshot();
	print_snapshot("after free and munmap", s);
	return region && block ? 0 : 1;
}

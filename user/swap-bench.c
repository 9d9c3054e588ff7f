/* swap-bench: swap-out and swap-in throughput as a process sees it
 * (make bench-swap, tools/bench/swap_bench.py). Fills MiB of anonymous
 * memory with checksummed data, then ROUNDS times:
 *   out: madvise(MADV_PAGEOUT) over all of it (Linux 5.4's explicit
 *        reclaim: every page goes through the swap cache to a swap slot),
 *        timed with clock_gettime; the pages written are pswpout's delta;
 *   in:  reads one word of every page in order: a major fault reads the
 *        page back, with the next ones of the window when swap readahead
 *        is on (vm.page-cluster); pswpin's delta counts every page read;
 *        timed the same way;
 * and checks every word at the end. One line per direction and round:
 *   swap-bench: out round 1 pages 8192 pswpout 8192 ns 2012345678 MiB/s 15.90
 * The MiB/s figure counts the pages the kernel moved (the counters'
 * delta), not the pages asked for.
 *   swap-bench [MiB [ROUNDS]]    defaults 32 MiB, 3 rounds */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include "lib/procfs.h"

#define PAGE  4096UL
#define WORDS (PAGE / sizeof(unsigned long))

static unsigned long vmstat(const char *key)
{
	char buf[8192];
	unsigned long v = 0;

	if (proc_read("vmstat", buf, sizeof(buf)) >= 0)
		proc_field(buf, key, &v);
	return v;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static unsigned long pattern(unsigned long page, unsigned long word)
{
	return (page << 20) ^ (word * 0x9e3779b97f4a7c15UL);
}

static void report(const char *dir, unsigned long round, unsigned long pages, const char *counter,
		   unsigned long moved, unsigned long long ns)
{
	double mibps = ns ? (double)moved * PAGE / (1024.0 * 1024.0) / ((double)ns / 1e9) : 0;

	printf("swap-bench: %s round %lu pages %lu %s %lu ns %llu MiB/s %.2f\n", dir, round, pages,
	       counter, moved, ns, mibps);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 32;
	unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 3;
	unsigned long pages = mib * (1024 * 1024 / PAGE), bad = 0;
	volatile unsigned long sink = 0;
	char *mem;

	if (!mib || !rounds) {
		fprintf(stderr, "usage: swap-bench [MiB [ROUNDS]]\n");
		return 2;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("swap-bench: mmap");
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long w = 0; w < WORDS; w++)
			((unsigned long *)(mem + i * PAGE))[w] = pattern(i, w);
	for (unsigned long r = 1; r <= rounds; r++) {
		unsigned long out0 = vmstat("pswpout"), in0;
		unsigned long long t = now_ns();

		if (madvise(mem, pages * PAGE, MADV_PAGEOUT) != 0) {
			perror("swap-bench: madvise(MADV_PAGEOUT)");
			return 1;
		}
		t = now_ns() - t;
		report("out", r, pages, "pswpout", vmstat("pswpout") - out0, t);
		in0 = vmstat("pswpin");
		t = now_ns();
		for (unsigned long i = 0; i < pages; i++)
			sink += ((volatile unsigned long *)(mem + i * PAGE))[0];
		t = now_ns() - t;
		report("in", r, pages, "pswpin", vmstat("pswpin") - in0, t);
	}
	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long w = 0; w < WORDS; w++)
			bad += ((unsigned long *)(mem + i * PAGE))[w] != pattern(i, w);
	printf("swap-bench: %lu pages checked, %lu mismatched words\n", pages, bad);
	return bad ? 1 : 0;
}

/* swap-stress (concept C13): a working set larger than RAM, filled with a
 * checksummed pattern and touched in several orders, must come back intact:
 * the kernel writes idle pages to swap and reads them back on the next
 * touch (major faults). Prints the mismatches (0 expected) and the kernel's
 * counters: pswpout, pswpin, pgmajfault.
 *   swap-stress [MiB] [passes]   default: 3x MemTotal, 2 passes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "lib/procfs.h"

#define PAGE 4096UL

struct counters {
	unsigned long pswpin, pswpout, pgmajfault;
};

static void read_counters(struct counters *c)
{
	char buf[8192];

	memset(c, 0, sizeof(*c));
	if (proc_read("vmstat", buf, sizeof(buf)) < 0)
		return;
	proc_field(buf, "pswpin", &c->pswpin);
	proc_field(buf, "pswpout", &c->pswpout);
	proc_field(buf, "pgmajfault", &c->pgmajfault);
}

/* The word stored at word w of page p in pass k: a cheap hash of all three. */
static unsigned long pattern(unsigned long p, unsigned long w, unsigned long k)
{
	unsigned long x = (p * 0x9e3779b97f4a7c15UL) ^ (w * 0xbf58476d1ce4e5b9UL) ^ (k + 1);

	return x ^ (x >> 31);
}

static void fill(unsigned long *mem, unsigned long page, unsigned long pass)
{
	for (unsigned long w = 0; w < PAGE / sizeof(long); w += 64)
		mem[page * (PAGE / sizeof(long)) + w] = pattern(page, w, pass);
}

/* Returns 1 if page holds what fill wrote in pass, else 0. */
static int check(const unsigned long *mem, unsigned long page, unsigned long pass)
{
	for (unsigned long w = 0; w < PAGE / sizeof(long); w += 64)
		if (mem[page * (PAGE / sizeof(long)) + w] != pattern(page, w, pass))
			return 0;
	return 1;
}

/* The i-th page of n in visiting order: 0 forward, 1 backward, 2 strided. */
static unsigned long order(int kind, unsigned long i, unsigned long n)
{
	if (kind == 0)
		return i;
	if (kind == 1)
		return n - 1 - i;
	return (i * 7919) % n; /* 7919 is prime: a permutation unless n is a multiple */
}

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long total_kb = 0, mib, passes, pages, bad = 0;
	struct counters before, after;
	unsigned long *mem;

	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, "MemTotal", &total_kb);
	mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 3 * total_kb / 1024;
	passes = argc > 2 ? strtoul(argv[2], NULL, 10) : 2;
	pages = mib * 256;
	if (pages % 7919 == 0)
		pages++;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("swap-stress: mmap");
		return 1;
	}
	printf("swap-stress: %lu MiB working set (%lu pages), RAM %lu MiB, %lu passes\n",
	       pages / 256, pages, total_kb / 1024, passes);
	read_counters(&before);
	for (unsigned long pass = 0; pass < passes; pass++) {
		int kind = (int)(pass % 3);

		for (unsigned long i = 0; i < pages; i++)
			fill(mem, order(kind, i, pages), pass);
		for (unsigned long i = 0; i < pages; i++)
			bad += !check(mem, order((kind + 1) % 3, i, pages), pass);
		printf("  pass %lu (%s fill, %s check): %lu mismatches so far\n", pass,
		       kind == 0   ? "forward"
		       : kind == 1 ? "backward"
				   : "strided",
		       kind == 2   ? "forward"
		       : kind == 0 ? "backward"
				   : "strided",
		       bad);
		fflush(stdout);
	}
	read_counters(&after);
	printf("mismatches: %lu\n", bad);
	printf("pswpout: %lu\npswpin: %lu\npgmajfault: %lu\n", after.pswpout - before.pswpout,
	       after.pswpin - before.pswpin, after.pgmajfault - before.pgmajfault);
	munmap(mem, pages * PAGE);
	return bad ? 1 : 0;
}

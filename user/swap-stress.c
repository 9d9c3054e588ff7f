/* swap-stress (concept C13): a working set larger than RAM, filled with a
 * checksummed pattern and touched in several orders, must come back intact:
 * the kernel writes idle pages to swap and reads them back on the next
 * touch (major faults). Prints the mismatches (0 expected) and the kernel's
 * counters: pswpout, pswpin, pgmajfault.
 *   swap-stress [-s] [MiB] [passes] [SWAPDEV]   default: 3x MemTotal, 2 passes
 * -s: the working set is shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS,
 * swapped as Linux's shmem) and each pass is checked by a forked child: it
 * must see, through the object, what the parent wrote before the pages
 * went out. With SWAPDEV, the working set is then pushed out by a private
 * region as large as RAM, brought back by swapoff(2) of that device,
 * checked once more with no swap at all, and the device enabled again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
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

/* Touches a private region of bytes once and unmaps it: reclaim makes
 * room for it by pushing other pages out. */
static void push_out(unsigned long bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (unsigned long off = 0; off < bytes; off += PAGE)
		p[off] = 1;
	munmap(p, bytes);
}

/* The check of one pass, in this process, or in a forked child when the
 * memory is shared (its count comes back through a pipe). */
static unsigned long check_pass(const unsigned long *mem, unsigned long pages, int kind,
				unsigned long pass, int shared)
{
	unsigned long bad = 0;
	int fds[2], status;
	pid_t pid;

	if (shared && pipe(fds) == 0 && (pid = fork()) >= 0) {
		if (pid == 0) {
			close(fds[0]);
			for (unsigned long i = 0; i < pages; i++)
				bad += !check(mem, order(kind, i, pages), pass);
			_exit(write(fds[1], &bad, sizeof(bad)) == sizeof(bad) ? 0 : 1);
		}
		close(fds[1]);
		if (read(fds[0], &bad, sizeof(bad)) != sizeof(bad))
			bad = pages; /* the child died: nothing was checked */
		close(fds[0]);
		waitpid(pid, &status, 0);
		return bad;
	}
	for (unsigned long i = 0; i < pages; i++)
		bad += !check(mem, order(kind, i, pages), pass);
	return bad;
}

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long total_kb = 0, mib, passes, pages, bad = 0;
	struct counters before, after;
	unsigned long *mem;
	int shared = argc > 1 && !strcmp(argv[1], "-s");

	argc -= shared;
	argv += shared;
	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, "MemTotal", &total_kb);
	mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 3 * total_kb / 1024;
	passes = argc > 2 ? strtoul(argv[2], NULL, 10) : 2;
	pages = mib * 256;
	if (pages % 7919 == 0)
		pages++;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("swap-stress: mmap");
		return 1;
	}
	printf("swap-stress: %lu MiB %sworking set (%lu pages), RAM %lu MiB, %lu passes\n",
	       pages / 256, shared ? "shared " : "", pages, total_kb / 1024, passes);
	read_counters(&before);
	for (unsigned long pass = 0; pass < passes; pass++) {
		int kind = (int)(pass % 3);

		for (unsigned long i = 0; i < pages; i++)
			fill(mem, order(kind, i, pages), pass);
		bad += check_pass(mem, pages, (kind + 1) % 3, pass, shared);
		printf("  pass %lu (%s fill, %s check%s): %lu mismatches so far\n", pass,
		       kind == 0   ? "forward"
		       : kind == 1 ? "backward"
				   : "strided",
		       kind == 2   ? "forward"
		       : kind == 0 ? "backward"
				   : "strided",
		       shared ? " by a child" : "", bad);
		fflush(stdout);
	}
	if (argc > 3) {
		unsigned long resident = 0;
		long off;

		/* Push the working set out with a private region as large as
		 * RAM, touched once and unmapped again. */
		push_out(total_kb * 1024);
		for (unsigned long i = 0; i < pages; i += 256) {
			unsigned char vec[256];
			unsigned long n = pages - i < 256 ? pages - i : 256;

			if (mincore((char *)mem + i * PAGE, n * PAGE, vec) == 0)
				for (unsigned long j = 0; j < n; j++)
					resident += vec[j] & 1;
		}
		printf("resident before swapoff: %lu of %lu pages\n", resident, pages);
		off = syscall(SYS_swapoff, argv[3]);
		printf("swapoff %s: %ld\n", argv[3], off);
		if (off)
			bad++;
		bad += check_pass(mem, pages, 0, passes - 1, shared);
		printf("  after swapoff (forward check%s): %lu mismatches so far\n",
		       shared ? " by a child" : "", bad);
		if (!off && syscall(SYS_swapon, argv[3], 0))
			perror("swap-stress: swapon");
	}
	read_counters(&after);
	printf("mismatches: %lu\n", bad);
	printf("pswpout: %lu\npswpin: %lu\npgmajfault: %lu\n", after.pswpout - before.pswpout,
	       after.pswpin - before.pswpin, after.pgmajfault - before.pgmajfault);
	munmap(mem, pages * PAGE);
	return bad ? 1 : 0;
}

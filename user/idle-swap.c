/* idle-swap (concept C13, "swap happens when memory sits idle"): a
 * process fills a working set with checksummed data, then keeps only part
 * of it hot (touching it every 100 ms) and leaves the rest alone, on a
 * system that is otherwise quiet: no memory pressure, kswapd asleep. With
 * the idle-page reclaimer on (/proc/sys/vm/idle_reclaim_secs, kidled),
 * the idle part moves to swap: every second the program prints its RSS
 * and VmSwap (/proc/self/status), the system's pswpout, and how many of
 * its idle and hot pages are resident (mincore). Then it touches the idle
 * part again: it comes back with major faults (pswpin), and every page's
 * checksum is verified.
 *   idle-swap [MiB [hot_percent [seconds [age_secs]]]]
 * defaults 8 MiB, 25 % hot, 10 s, age 2 s. If idle_reclaim_secs is 0 the
 * program sets it to age_secs (and scan_ms to 500) for its run and puts
 * the old values back at the end; age_secs 0 leaves the sysctls as they
 * are (with the reclaimer off, nothing moves). On Linux the sysctl does not exist
 * (Linux's nearest is the DAMON_RECLAIM module): it says so and shows that
 * nothing moves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "lib/procfs.h"

#define PAGE	     4096UL
#define SYSCTL_SECS  "/proc/sys/vm/idle_reclaim_secs"
#define SYSCTL_SCAN  "/proc/sys/vm/idle_reclaim_scan_ms"
#define WORDS	     (PAGE / sizeof(unsigned long))
#define HOT_INTERVAL 100000000L /* ns between two passes over the hot part */

static volatile unsigned long sink; /* keeps the hot reads */

static unsigned long pattern(unsigned long page, unsigned long word)
{
	unsigned long x = (page + 1) * 0x9e3779b97f4a7c15UL ^ (word * 0xbf58476d1ce4e5b9UL);

	return x ^ (x >> 29);
}

static long read_sysctl(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static int write_sysctl(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static unsigned long status_kb(const char *key)
{
	char buf[4096];
	unsigned long v = 0;

	if (proc_read("self/status", buf, sizeof(buf)) >= 0)
		proc_field(buf, key, &v);
	return v;
}

static unsigned long vmstat(const char *key)
{
	char buf[8192];
	unsigned long v = 0;

	if (proc_read("vmstat", buf, sizeof(buf)) >= 0)
		proc_field(buf, key, &v);
	return v;
}

/* Resident pages among n pages at p. */
static unsigned long resident(char *p, unsigned long n)
{
	static unsigned char vec[65536];
	unsigned long in = 0;

	for (unsigned long done = 0; done < n;) {
		unsigned long chunk = n - done < sizeof(vec) ? n - done : sizeof(vec);

		if (mincore(p + done * PAGE, chunk * PAGE, vec) != 0) {
			perror("idle-swap: mincore");
			exit(1);
		}
		for (unsigned long i = 0; i < chunk; i++)
			in += vec[i] & 1;
		done += chunk;
	}
	return in;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
	unsigned long hot_pct = argc > 2 ? strtoul(argv[2], NULL, 10) : 25;
	unsigned long seconds = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
	long age = argc > 4 ? strtol(argv[4], NULL, 10) : 2;
	unsigned long pages = mib * 256, hot = pages * hot_pct / 100, idle = pages - hot;
	long old_secs = read_sysctl(SYSCTL_SECS), old_scan = read_sysctl(SYSCTL_SCAN);
	unsigned long pswpout0, pswpin0, ra_hit0, mismatches = 0;
	long maj0;
	double t0, t;
	char *mem;

	if (!mib || hot_pct > 100 || age < 0) {
		fprintf(stderr, "usage: idle-swap [MiB [hot_percent [seconds [age_secs]]]]\n");
		return 2;
	}
	if (old_secs < 0) {
		printf("idle-swap: %s is absent: this kernel has no idle-page reclaimer "
		       "(on Linux, the DAMON_RECLAIM module plays that role); nothing should "
		       "move\n",
		       SYSCTL_SECS);
	} else if (old_secs == 0 && age > 0) {
		if (write_sysctl(SYSCTL_SCAN, 500) || write_sysctl(SYSCTL_SECS, age)) {
			perror("idle-swap: " SYSCTL_SECS);
			return 1;
		}
		printf("idle-swap: idle_reclaim_secs 0 -> %ld, idle_reclaim_scan_ms %ld -> 500 "
		       "(restored at exit)\n",
		       age, old_scan);
	} else {
		printf("idle-swap: idle_reclaim_secs is %ld%s, idle_reclaim_scan_ms %ld\n",
		       old_secs, old_secs ? "" : " (the reclaimer is off)", old_scan);
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("idle-swap: mmap");
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long w = 0; w < WORDS; w++)
			((unsigned long *)(mem + i * PAGE))[w] = pattern(i, w);
	printf("idle-swap: %lu MiB written: %lu hot pages (touched every 100 ms), %lu idle pages\n",
	       mib, hot, idle);
	printf("%6s %10s %10s %9s %13s %12s\n", "time", "VmRSS kB", "VmSwap kB", "pswpout",
	       "idle in RAM", "hot in RAM");
	pswpout0 = vmstat("pswpout");
	t0 = now();
	for (unsigned long second = 0; second <= seconds; second++) {
		while ((t = now()) < t0 + (double)second) {
			struct timespec nap = {0, HOT_INTERVAL};

			for (unsigned long i = idle; i < pages; i++)
				sink += ((volatile unsigned long *)(mem + i * PAGE))[i % WORDS];
			nanosleep(&nap, NULL);
		}
		printf("%5lus %10lu %10lu %9lu %7lu/%-5lu %6lu/%-5lu\n", second, status_kb("VmRSS"),
		       status_kb("VmSwap"), vmstat("pswpout") - pswpout0, resident(mem, idle), idle,
		       resident(mem + idle * PAGE, hot), hot);
		fflush(stdout);
	}
	/* The idle part is wanted again: each page that went to swap comes
	 * back with a major fault, or a minor one when swap readahead
	 * (vm.page-cluster) brought it in with a neighbour's (swap_ra_hit). */
	pswpin0 = vmstat("pswpin");
	ra_hit0 = vmstat("swap_ra_hit");
	maj0 = majflt();
	t = now();
	for (unsigned long i = 0; i < pages; i++)
		for (unsigned long w = 0; w < WORDS; w++)
			mismatches += ((unsigned long *)(mem + i * PAGE))[w] != pattern(i, w);
	printf("idle-swap: touched everything again in %.2f s: %ld major faults, swap_ra_hit +%lu, "
	       "pswpin +%lu, VmSwap %lu kB, VmRSS %lu kB\n",
	       now() - t, majflt() - maj0, vmstat("swap_ra_hit") - ra_hit0,
	       vmstat("pswpin") - pswpin0, status_kb("VmSwap"), status_kb("VmRSS"));
	printf("idle-swap: %lu pages checked, %lu mismatched words\n", pages, mismatches);
	if (old_secs == 0 && age > 0) {
		write_sysctl(SYSCTL_SECS, 0);
		write_sysctl(SYSCTL_SCAN, old_scan);
	}
	munmap(mem, pages * PAGE);
	return mismatches ? 1 : 0;
}

/* reclaim (concepts C6, C11): who reclaims, kswapd or the allocating
 * process? The same amount of memory is touched twice: slowly (a pause
 * after every few pages, so kswapd, woken at the low watermark, keeps
 * ahead) and at full speed (free memory falls through min and the process
 * must reclaim itself: allocstall). Then again at full speed with a higher
 * min_free_kbytes, which wakes kswapd earlier. Needs memory pressure: run
 * it with a working set above free RAM and swap enabled.
 *   reclaim [MiB]        default: 1.5 x MemTotal */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "lib/procfs.h"

#define PAGE 4096UL

struct stats {
	unsigned long pgscan_kswapd, pgscan_direct, pgsteal_kswapd, pgsteal_direct, allocstall;
};

static void read_stats(struct stats *s)
{
	char buf[8192];

	memset(s, 0, sizeof(*s));
	if (proc_read("vmstat", buf, sizeof(buf)) < 0)
		return;
	proc_field(buf, "pgscan_kswapd", &s->pgscan_kswapd);
	proc_field(buf, "pgscan_direct", &s->pgscan_direct);
	proc_field(buf, "pgsteal_kswapd", &s->pgsteal_kswapd);
	proc_field(buf, "pgsteal_direct", &s->pgsteal_direct);
	proc_field(buf, "allocstall", &s->allocstall);
}

/* Writes a number to a /proc/sys file; returns 0 or -1. */
static int write_sysctl(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%lu\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Touches pages pages of a fresh mapping; pausing 1 ms every `every`
 * pages when every > 0. Prints the counters' deltas under label. */
static void run(const char *label, unsigned long pages, unsigned long every)
{
	struct timespec nap = {0, 1000000};
	struct stats a, b;
	char *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);

	if (mem == MAP_FAILED) {
		perror("reclaim: mmap");
		exit(1);
	}
	read_stats(&a);
	for (unsigned long i = 0; i < pages; i++) {
		mem[i * PAGE] = 1;
		if (every && i % every == every - 1)
			nanosleep(&nap, NULL);
	}
	read_stats(&b);
	printf("%-28s pgscan_kswapd %6lu  pgsteal_kswapd %6lu  pgscan_direct %6lu  "
	       "pgsteal_direct %6lu  allocstall %4lu\n",
	       label, b.pgscan_kswapd - a.pgscan_kswapd, b.pgsteal_kswapd - a.pgsteal_kswapd,
	       b.pgscan_direct - a.pgscan_direct, b.pgsteal_direct - a.pgsteal_direct,
	       b.allocstall - a.allocstall);
	fflush(stdout);
	munmap(mem, pages * PAGE);
}

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long total_kb = 0, mib, pages, min_free = 0;

	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, "MemTotal", &total_kb);
	mib = argc > 1 ? strtoul(argv[1], NULL, 10) : total_kb * 3 / 2 / 1024;
	pages = mib * 256;
	if (read_file("/proc/sys/vm/min_free_kbytes", buf, sizeof(buf)) > 0)
		min_free = strtoul(buf, NULL, 10);
	printf("reclaim: touching %lu MiB on a %lu MiB machine, min_free_kbytes %lu\n", mib,
	       total_kb / 1024, min_free);
	run("slow (1 ms pause / 16 pages)", pages, 16);
	run("fast", pages, 0);
	if (min_free && write_sysctl("/proc/sys/vm/min_free_kbytes", min_free * 4) == 0) {
		run("fast, min_free_kbytes x4", pages, 0);
		write_sysctl("/proc/sys/vm/min_free_kbytes", min_free);
	} else {
		printf("(cannot write /proc/sys/vm/min_free_kbytes: run as root to see C11)\n");
	}
	return 0;
}

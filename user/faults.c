/*
 * faults: what one demand-zero page fault costs (concepts C4, C5).
 *
 *   faults [RUNS [PAGES]]    default: 200 runs of 256 pages
 *
 * Each run maps a fresh private anonymous region of PAGES pages, writes one
 * byte to each page and times every write with the CPU's time-stamp
 * counter: the first write to a page finds no translation, the CPU raises
 * #PF, the kernel takes a zeroed frame, maps it and returns (C4, C5). The
 * figure per run is cycles / pages; the program prints the median and the
 * minimum over the runs, the minor faults per run (getrusage: one per page
 * on Linux and memos alike), and checks that every new page reads as zeros
 * apart from the byte written. The last line is for tools/bench:
 *
 *   faults: median_cycles_per_fault=NNN min_cycles_per_fault=NNN ...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include "lib/procfs.h"

#define PAGE_SIZE 4096UL
#define MAX_RUNS  10000

/* The time-stamp counter, fenced so that earlier instructions are done
 * (Intel SDM Vol. 2B, RDTSC: "LFENCE; RDTSC" waits for prior instructions). */
static inline unsigned long rdtsc_ordered(void)
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((unsigned long)hi << 32) | lo;
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static unsigned long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

static int compare_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Counts the pages of region whose bytes are all zero except byte 0,
 * which the timed write set to 1. */
static long count_zero_pages(const unsigned char *region, long pages)
{
	long good = 0;

	for (long i = 0; i < pages; i++) {
		const unsigned char *p = region + i * PAGE_SIZE;
		unsigned long j = 1;

		while (j < PAGE_SIZE && p[j] == 0)
			j++;
		good += p[0] == 1 && j == PAGE_SIZE;
	}
	return good;
}

static unsigned long cycles[MAX_RUNS], nanos[MAX_RUNS];

int main(int argc, char **argv)
{
	long runs = argc > 1 ? strtol(argv[1], NULL, 0) : 200;
	long pages = argc > 2 ? strtol(argv[2], NULL, 0) : 256;
	long zero_pages = 0, faults_total = 0, faults_min = -1, faults_max = 0;

	if (runs < 1 || runs > MAX_RUNS || pages < 1 || pages > 65536) {
		fprintf(stderr, "usage: faults [RUNS (1..%d) [PAGES (1..65536)]]\n", MAX_RUNS);
		return 2;
	}
	/* Our own text first (from a disk it comes in page by page on first
	 * use): only the region's faults are counted. */
	prefault_file_maps();
	for (long r = 0; r < runs; r++) {
		size_t len = (size_t)pages * PAGE_SIZE;
		unsigned char *region =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long t0, t1, n0, n1;
		long f0, f1;

		if (region == MAP_FAILED) {
			printf("faults: mmap of %zu bytes failed: %s\n", len, strerror(errno));
			return 1;
		}
		madvise(region, len, MADV_NOHUGEPAGE); /* Linux: 4 KiB faults only */
		f0 = minor_faults();
		n0 = now_ns();
		t0 = rdtsc_ordered();
		for (long i = 0; i < pages; i++)
			region[i * PAGE_SIZE] = 1;
		t1 = rdtsc_ordered();
		n1 = now_ns();
		f1 = minor_faults();
		cycles[r] = (t1 - t0) / (unsigned long)pages;
		nanos[r] = (n1 - n0) / (unsigned long)pages;
		faults_total += f1 - f0;
		faults_min = faults_min < 0 || f1 - f0 < faults_min ? f1 - f0 : faults_min;
		faults_max = f1 - f0 > faults_max ? f1 - f0 : faults_max;
		zero_pages += count_zero_pages(region, pages);
		munmap(region, len);
	}
	qsort(cycles, (size_t)runs, sizeof(cycles[0]), compare_ulong);
	qsort(nanos, (size_t)runs, sizeof(nanos[0]), compare_ulong);
	printf("faults: %ld runs of %ld pages, one write per page\n", runs, pages);
	printf("faults: minor faults per run: min %ld, max %ld (total %ld for %ld pages)\n",
	       faults_min, faults_max, faults_total, runs * pages);
	printf("faults: pages that read as zeros apart from the byte written: %ld of %ld\n",
	       zero_pages, runs * pages);
	printf("faults: cycles per fault: median %lu, min %lu, max %lu\n", cycles[runs / 2],
	       cycles[0], cycles[runs - 1]);
	printf("faults: median_cycles_per_fault=%lu min_cycles_per_fault=%lu "
	       "median_ns_per_fault=%lu zero_pages=%ld/%ld minflt_per_page=%ld/%ld\n",
	       cycles[runs / 2], cycles[0], nanos[runs / 2], zero_pages, runs * pages, faults_total,
	       runs * pages);
	return zero_pages == runs * pages ? 0 : 1;
}

/*
 * hog: a memory hog for trying the OOM killer by hand (concepts C7, C8).
 * Allocates MiB mebibytes with mmap, writes every page so each one costs a
 * frame (RSS), prints its pid and its oom_score, then sleeps in pause() or,
 * with -l, keeps touching its pages. -a ADJ first writes ADJ to
 * /proc/self/oom_score_adj, the way a daemon protects (-1000) or offers
 * (+1000) itself. -s touches one page per 2 MiB instead (each touch also
 * costs a page table). -f then forks once: the child shares every page
 * copy-on-write but gets its own copy of the page tables, so the fork
 * itself allocates only page tables (mm/memory.c, copy_page_range).
 *   hog [-a ADJ] [-l] [-s] [-f] MiB    e.g.  hog 20 &   hog -a -1000 30 &
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include "lib/procfs.h"

#define PAGE_SIZE 4096UL
#define PMD_SIZE  (2UL << 20) /* what one page-table page maps (Intel SDM 4.5) */

/* Write value to /proc/self/oom_score_adj; returns 0, or -1 with errno set
 * (EINVAL outside -1000..1000, EACCES lowering it without privilege). */
static int set_oom_score_adj(long value)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", value);
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, (size_t)len);
	close(fd);
	return n == len ? 0 : -1;
}

/* Print "hog: pid N: M MiB touched, oom_score_adj A, oom_score S". */
static void report(unsigned long mib)
{
	char adj[32] = "?", score[32] = "?";

	read_file("/proc/self/oom_score_adj", adj, sizeof(adj));
	read_file("/proc/self/oom_score", score, sizeof(score));
	adj[strcspn(adj, "\n")] = '\0';
	score[strcspn(score, "\n")] = '\0';
	printf("hog: pid %d: %lu MiB touched, oom_score_adj %s, oom_score %s\n", getpid(), mib, adj,
	       score);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: hog [-a ADJ] [-l] [-s] [-f] MiB\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, loop = 0, do_fork = 0, flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long mib, pages, stride = PAGE_SIZE;
	unsigned char *mem;

	while ((opt = getopt(argc, argv, "a:lsf")) != -1) {
		if (opt == 'a') {
			if (set_oom_score_adj(strtol(optarg, NULL, 10)) < 0) {
				fprintf(stderr, "hog: oom_score_adj %s: %s\n", optarg,
					strerror(errno));
				return 1;
			}
		} else if (opt == 'l') {
			loop = 1;
		} else if (opt == 'f') {
			do_fork = 1;
		} else if (opt == 's') {
			stride = PMD_SIZE;
			flags |= MAP_NORESERVE;
		} else {
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	mib = strtoul(argv[optind], NULL, 10);
	pages = mib * (1024 * 1024 / PAGE_SIZE);
	mem = mmap(NULL, pages * stride, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "hog: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	/* One write per page: the first touch of each faults in a frame. */
	for (unsigned long p = 0; p < pages; p++)
		mem[p * stride] = 1;
	report(mib);
	if (do_fork) {
		pid_t child = fork();

		if (child == 0)
			for (;;)
				pause();
		if (child < 0)
			printf("hog: pid %d: fork: %s\n", getpid(), strerror(errno));
		else
			printf("hog: pid %d: forked child %d\n", getpid(), child);
		fflush(stdout);
	}
	for (unsigned char round = 2; loop; round++)
		for (unsigned long p = 0; p < pages; p++)
			mem[p * stride] = round;
	for (;;)
		pause();
}

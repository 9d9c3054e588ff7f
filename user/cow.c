/*
 * cow: fork shares the parent's pages copy-on-write; the first write on
 * either side copies one page, and the other side keeps its data (the
 * fork path under concepts C4, C5: a write fault on a present,
 * write-protected page).
 *
 *   cow [PAGES]     default 1024 pages (4 MiB) filled before the fork
 *
 * Prints, measured on each side: MemFree (how much the fork and each write
 * cost in frames), VmRSS, minor faults, and Linux's smaps_rollup
 * Shared/Private lines when /proc has them. The same binary runs on Linux
 * and on memos.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "lib/procfs.h"

#define PAGE_SIZE 4096UL

struct snapshot {
	long memfree_kb;
	long rss_kb;
	long minflt;
};

static char buf[8192];

static long proc_kb(const char *file, const char *key)
{
	unsigned long value;

	if (proc_read(file, buf, sizeof(buf)) < 0 || !proc_field(buf, key, &value))
		return -1;
	return (long)value;
}

/* Fault count first: the /proc reads after it touch only resident memory. */
static struct snapshot take_snapshot(void)
{
	struct snapshot s;
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	s.minflt = ru.ru_minflt;
	s.memfree_kb = proc_kb("meminfo", "MemFree");
	s.rss_kb = proc_kb("self/status", "VmRSS");
	return s;
}

static void report(const char *who, const char *step, struct snapshot a, struct snapshot b)
{
	printf("%-6s %-34s MemFree %+7ld kB  VmRSS %7ld kB (%+ld)  minor faults %+ld\n", who, step,
	       b.memfree_kb - a.memfree_kb, b.rss_kb, b.rss_kb - a.rss_kb, b.minflt - a.minflt);
	fflush(stdout);
}

/* Linux's per-process sharing figures, if this kernel has them. */
static void report_sharing(const char *who)
{
	long shared = proc_kb("self/smaps_rollup", "Shared_Dirty");
	long private = proc_kb("self/smaps_rollup", "Private_Dirty");

	if (shared < 0)
		printf("%-6s smaps_rollup: not available\n", who);
	else
		printf("%-6s smaps_rollup: Shared_Dirty %ld kB  Private_Dirty %ld kB\n", who,
		       shared, private);
	fflush(stdout);
}

/* Counts pages whose first byte is not the expected one. */
static long count_bad(const unsigned char *region, long pages, unsigned char expect)
{
	long bad = 0;

	for (long i = 0; i < pages; i++)
		bad += region[i * PAGE_SIZE] != expect;
	return bad;
}

/* The child: reads everything (no copy), writes one page (one copy). */
static int child(unsigned char *region, long pages, struct snapshot at_fork, int done_fd)
{
	struct snapshot s0, s1, s2;
	long bad;

	s0 = take_snapshot();
	printf("child  right after fork: MemFree %+ld kB vs the parent before fork, VmRSS %ld kB, "
	       "minor faults since fork %ld\n",
	       s0.memfree_kb - at_fork.memfree_kb, s0.rss_kb, s0.minflt);
	report_sharing("child");
	s0 = take_snapshot();
	bad = count_bad(region, pages, 'P');
	s1 = take_snapshot();
	region[0] = 'C';
	s2 = take_snapshot();
	report("child", "read every page", s0, s1);
	report("child", "write one page", s1, s2);
	report_sharing("child");
	printf("cow: child sees_parent_data=%s own_write=%s read_faults=%ld write_faults=%ld\n",
	       bad == 0 ? "yes" : "no", region[0] == 'C' ? "yes" : "no", s1.minflt - s0.minflt,
	       s2.minflt - s1.minflt);
	fflush(stdout);
	if (write(done_fd, "w", 1) != 1)
		return 1;
	pause(); /* keep sharing until the parent has looked */
	return 0;
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? strtol(argv[1], NULL, 0) : 1024;
	size_t len = (size_t)pages * PAGE_SIZE;
	struct snapshot s0, s1, s2, s3;
	unsigned char *region;
	int pipefd[2], status;
	char c;
	pid_t pid;

	if (pages < 1 || pages > 65536) {
		fprintf(stderr, "usage: cow [PAGES]   (1..65536, default 1024)\n");
		return 2;
	}
	region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || pipe(pipefd) < 0) {
		printf("cow: setup failed: %s\n", strerror(errno));
		return 1;
	}
	memset(region, 'P', len);
	printf("cow: %ld pages (%ld kB) filled with 'P' by the parent, then fork\n", pages,
	       (long)(len / 1024));
	take_snapshot();
	s0 = take_snapshot();
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("cow: fork failed: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		_exit(child(region, pages, s0, pipefd[1]));

	if (read(pipefd[0], &c, 1) != 1)
		return 1;
	s1 = take_snapshot();
	report("parent", "fork until the child wrote", s0, s1);
	printf("cow: parent data_unchanged=%s\n",
	       count_bad(region, pages, 'P') == 0 ? "yes" : "no");
	s2 = take_snapshot();
	region[PAGE_SIZE] = 'Q';
	s3 = take_snapshot();
	report("parent", "write one page (child alive)", s2, s3);
	kill(pid, 9);
	waitpid(pid, &status, 0);
	s2 = take_snapshot();
	region[2 * PAGE_SIZE] = 'R';
	s3 = take_snapshot();
	report("parent", "write one page (child gone)", s2, s3);
	printf("cow: fork_cost_kb=%ld region_kb=%ld parent_first_byte=%c\n",
	       s0.memfree_kb - s1.memfree_kb, (long)(len / 1024), region[0]);
	munmap(region, len);
	return 0;
}

/* dirty-throttle (concept C9): a writer may not fill memory with dirty
 * pages. It writes a file from start to end with write(), 64 KiB at a time
 * (-c),
 * and after every write reads Dirty + Writeback (/proc/meminfo) and the
 * kernel's limits (/proc/vmstat: nr_dirty_threshold,
 * nr_dirty_background_threshold). Over the threshold the kernel makes the
 * writer write pages back itself (balance_dirty_pages), so dirty pages
 * peak near nr_dirty_threshold and nr_written grows during the write,
 * before any fsync; the flusher writes in the background from
 * nr_dirty_background_threshold.
 *   dirty-throttle [-r RATIO] [-c KiB] [file] [MiB]
 *     -r RATIO  set vm.dirty_ratio to RATIO for the run (restored after)
 *     -c KiB    bytes per write() (default 64 KiB); with one write of
 *               several MiB the limit is kept inside that one system call
 *     file      default /mnt/data/big (memos' disk); it is overwritten
 *     MiB       how much to write (default: the whole file)
 * Output: one line per MiB written, then a summary line:
 *   dirty-throttle: ratio R wrote_kb N peak_dirty_kb P threshold_kb T
 *   background_kb B written_during_kb W fsync_kb F ms M
 * (peak_dirty_kb is the highest Dirty + Writeback seen; threshold_kb the
 * nr_dirty_threshold read at that moment). Runs on Linux too. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lib/procfs.h"

struct sample {
	unsigned long dirty_kb, thresh_kb, bg_kb, written_pages;
};

static void take(struct sample *s)
{
	static char buf[8192];
	unsigned long dirty = 0, wb = 0, thresh = 0, bg = 0;

	if (proc_read("meminfo", buf, sizeof(buf)) > 0) {
		proc_field(buf, "Dirty", &dirty);
		proc_field(buf, "Writeback", &wb);
	}
	s->dirty_kb = dirty + wb;
	s->written_pages = 0;
	if (proc_read("vmstat", buf, sizeof(buf)) > 0) {
		proc_field(buf, "nr_dirty_threshold", &thresh);
		proc_field(buf, "nr_dirty_background_threshold", &bg);
		proc_field(buf, "nr_written", &s->written_pages);
	}
	s->thresh_kb = thresh * 4;
	s->bg_kb = bg * 4;
}

/* Reads /proc/sys/vm/NAME into old (if given), then writes value (if
 * given). 0 or -1. */
static int sysctl(const char *name, char *old, size_t oldsize, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	if (old && read_file(path, old, oldsize) < 0)
		return -1;
	return value ? write_file(path, value) : 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char **argv)
{
	const char *ratio = NULL, *path = "/mnt/data/big";
	char old_ratio[32] = "", old_bytes[32] = "", *buf;
	unsigned long mib = 0, total, done = 0, chunk = 64 * 1024;
	struct sample start, now, peak = {0};
	struct timespec t0;
	struct stat st;
	int fd, opt, ret = 0;

	while ((opt = getopt(argc, argv, "r:c:")) != -1) {
		if (opt == 'r') {
			ratio = optarg;
		} else if (opt == 'c' && strtoul(optarg, NULL, 10) > 0) {
			chunk = strtoul(optarg, NULL, 10) * 1024;
		} else {
			fprintf(stderr, "usage: dirty-throttle [-r RATIO] [-c KiB] [file] [MiB]\n");
			return 2;
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		mib = strtoul(argv[optind], NULL, 10);
	fd = open(path, O_WRONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		return 1;
	}
	total = mib ? mib << 20 : (unsigned long)st.st_size;
	if (total > (unsigned long)st.st_size)
		total = (unsigned long)st.st_size;
	total -= total % chunk;
	if (ratio) {
		/* Keep both settings: writing dirty_ratio clears dirty_bytes. */
		char nl[40];

		snprintf(nl, sizeof(nl), "%s\n", ratio);
		sysctl("dirty_bytes", old_bytes, sizeof(old_bytes), NULL);
		if (sysctl("dirty_ratio", old_ratio, sizeof(old_ratio), nl) != 0) {
			fprintf(stderr, "dirty-throttle: cannot set vm.dirty_ratio to %s\n", ratio);
			return 1;
		}
	}
	buf = malloc(chunk);
	if (!buf)
		return 1;
	sync(); /* start from no dirty pages */
	take(&start);
	printf("dirty-throttle: writing %lu KiB of %s; nr_dirty_threshold %lu kB, "
	       "nr_dirty_background_threshold %lu kB\n",
	       total >> 10, path, start.thresh_kb, start.bg_kb);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < total) {
		for (unsigned long i = 0; i < chunk; i += 8)
			*(unsigned long *)(buf + i) = done + i;
		if (write(fd, buf, chunk) != (ssize_t)chunk) {
			perror("dirty-throttle: write");
			ret = 1;
			break;
		}
		done += chunk;
		take(&now);
		if (now.dirty_kb > peak.dirty_kb)
			peak = now;
		if (done % (1UL << 20) < chunk)
			printf("  %4lu MiB: Dirty+Writeback %6lu kB (threshold %6lu kB), "
			       "written back so far %6lu kB\n",
			       done >> 20, now.dirty_kb, now.thresh_kb,
			       (now.written_pages - start.written_pages) * 4);
	}
	take(&now);
	{
		unsigned long during = now.written_pages - start.written_pages;
		long ms = ms_since(&t0);
		struct sample after;

		if (fsync(fd) != 0) {
			perror("dirty-throttle: fsync");
			ret = 1;
		}
		take(&after);
		printf("dirty-throttle: ratio %s wrote_kb %lu peak_dirty_kb %lu threshold_kb %lu "
		       "background_kb %lu written_during_kb %lu fsync_kb %lu ms %ld\n",
		       ratio ? ratio : "default", done >> 10, peak.dirty_kb, peak.thresh_kb,
		       peak.bg_kb, during * 4, (after.written_pages - now.written_pages) * 4, ms);
	}
	close(fd);
	if (ratio) {
		if (strtoul(old_bytes, NULL, 10))
			sysctl("dirty_bytes", NULL, 0, old_bytes);
		else
			sysctl("dirty_ratio", NULL, 0, old_ratio);
	}
	free(buf);
	return ret;
}

/* filecache (concept C9): file pages in memory, clean and dirty.
 *   1. read a large file: Cached grows by its size, read from the disk
 *      (pgpgin);
 *   2. anonymous memory pressure: the clean file pages are dropped
 *      (pgsteal_file) without writing anything (pgpgout, nr_written);
 *   3. store into a MAP_SHARED mapping of the file: Dirty grows;
 *   4. pressure again: the dirty pages are written back first (nr_written,
 *      pgpgout), then dropped;
 *   5. dirty again, then msync(MS_SYNC) and write()+fsync write them now,
 *      while a second process samples Writeback (pages under write-back);
 *   6. every byte written is read back and checked.
 * Every number is a difference of /proc/meminfo or /proc/vmstat around
 * the step. Swappiness is set to 0 during the pressure steps (if
 * writable) so that reclaim takes file pages rather than swapping.
 *   filecache [file] [MiB]   default /mnt/data/big (memos' disk), all of it
 * The file is changed (a pattern of its offsets). On Linux: any file on
 * a disk, e.g. filecache /var/tmp/big 256 (create it first), as root in a
 * small VM: the pressure steps touch MemFree plus the file's size of
 * anonymous memory, so they are skipped when that is over 1 GiB unless
 * FILECACHE_MAX_MB allows more. vm.swappiness is restored on exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/procfs.h"

#define PAGE 4096UL

struct snap {
	unsigned long cached, dirty, writeback, mapped, memfree, memtotal;
	unsigned long pgpgin, pgpgout, pgsteal_file, nr_written, nr_dirtied, pswpout, pgmajfault;
};

static void take(struct snap *s)
{
	static char buf[16384];

	memset(s, 0, sizeof(*s));
	if (proc_read("meminfo", buf, sizeof(buf)) > 0) {
		proc_field(buf, "Cached", &s->cached);
		proc_field(buf, "Dirty", &s->dirty);
		proc_field(buf, "Writeback", &s->writeback);
		proc_field(buf, "Mapped", &s->mapped);
		proc_field(buf, "MemFree", &s->memfree);
		proc_field(buf, "MemTotal", &s->memtotal);
	}
	if (proc_read("vmstat", buf, sizeof(buf)) > 0) {
		proc_field(buf, "pgpgin", &s->pgpgin);
		proc_field(buf, "pgpgout", &s->pgpgout);
		proc_field(buf, "pgsteal_file", &s->pgsteal_file);
		proc_field(buf, "nr_written", &s->nr_written);
		proc_field(buf, "nr_dirtied", &s->nr_dirtied);
		proc_field(buf, "pswpout", &s->pswpout);
		proc_field(buf, "pgmajfault", &s->pgmajfault);
	}
}

static long d(unsigned long after, unsigned long before)
{
	return (long)(after - before);
}

/* One report line per step, then key=value lines a test can parse. */
static void report(const char *step, const struct snap *a, const struct snap *b)
{
	printf("%s: Cached %+ld kB, Dirty %+ld kB (now %lu), Writeback now %lu kB, Mapped %+ld "
	       "kB\n",
	       step, d(b->cached, a->cached), d(b->dirty, a->dirty), b->dirty, b->writeback,
	       d(b->mapped, a->mapped));
	printf("%s: pgpgin %+ld kB, pgpgout %+ld kB, pgsteal_file %+ld, nr_dirtied %+ld, "
	       "nr_written %+ld, pswpout %+ld\n",
	       step, d(b->pgpgin, a->pgpgin), d(b->pgpgout, a->pgpgout),
	       d(b->pgsteal_file, a->pgsteal_file), d(b->nr_dirtied, a->nr_dirtied),
	       d(b->nr_written, a->nr_written), d(b->pswpout, a->pswpout));
	printf("%s.cached_kb=%ld %s.dirty_kb=%ld %s.pgpgin_kb=%ld %s.pgpgout_kb=%ld "
	       "%s.pgsteal_file=%ld %s.nr_written=%ld %s.nr_dirtied=%ld %s.pswpout=%ld "
	       "%s.mapped_kb=%ld\n",
	       step, d(b->cached, a->cached), step, d(b->dirty, a->dirty), step,
	       d(b->pgpgin, a->pgpgin), step, d(b->pgpgout, a->pgpgout), step,
	       d(b->pgsteal_file, a->pgsteal_file), step, d(b->nr_written, a->nr_written), step,
	       d(b->nr_dirtied, a->nr_dirtied), step, d(b->pswpout, a->pswpout), step,
	       d(b->mapped, a->mapped));
	fflush(stdout);
}

static char old_swappiness[16] = "60\n";

static void read_swappiness(void)
{
	int fd = open("/proc/sys/vm/swappiness", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, old_swappiness, sizeof(old_swappiness) - 1) : -1;

	if (n > 0)
		old_swappiness[n] = '\0';
	if (fd >= 0)
		close(fd);
}

/* Touches anonymous memory until pgsteal_file (or, with written, also
 * nr_written) has grown by want pages, or limit_kb is touched; then gives
 * it back. Skipped (with a message) above FILECACHE_MAX_MB (1 GiB). */
static void pressure(unsigned long want, unsigned long limit_kb, int written)
{
	size_t chunk = 1UL << 20, done = 0;
	const char *max = getenv("FILECACHE_MAX_MB");
	unsigned long max_kb = (max ? strtoul(max, NULL, 10) : 1024) * 1024;
	char *mem;
	struct snap start, now;

	if (limit_kb > max_kb) {
		printf("  (pressure skipped: it would touch %lu MiB, more than %lu MiB; run in a "
		       "smaller machine or set FILECACHE_MAX_MB)\n",
		       limit_kb / 1024, max_kb / 1024);
		return;
	}
	mem = mmap(NULL, limit_kb * 1024, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (mem == MAP_FAILED) {
		perror("filecache: mmap");
		exit(1);
	}
	take(&start);
	for (;;) {
		for (size_t o = 0; o < chunk && done + o < limit_kb * 1024; o += PAGE)
			mem[done + o] = 1;
		done += chunk;
		take(&now);
		if ((now.pgsteal_file - start.pgsteal_file >= want &&
		     (!written || now.nr_written - start.nr_written >= want)) ||
		    done >= limit_kb * 1024)
			break;
	}
	printf("  (touched %zu MiB of anonymous memory)\n", done >> 20);
	munmap(mem, limit_kb * 1024);
}

/* A child that reads Writeback from /proc/meminfo until told to stop,
 * and leaves the largest value seen in shared memory. */
static volatile unsigned long *shared;
static pid_t sampler;

static void sampler_start(void)
{
	if (!shared)
		shared =
			mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		shared = NULL;
		return;
	}
	shared[0] = 0; /* stop */
	shared[1] = 0; /* largest Writeback seen, kB */
	shared[2] = 0; /* samples */
	sampler = fork();
	if (sampler == 0) {
		while (!shared[0]) {
			struct snap s;

			take(&s);
			if (s.writeback > shared[1])
				shared[1] = s.writeback;
			shared[2]++;
		}
		_exit(0);
	}
	while (sampler > 0 && !shared[2])
		sched_yield(); /* let it take its first sample */
}

static void sampler_stop(const char *step)
{
	if (!shared || sampler <= 0)
		return;
	shared[0] = 1;
	waitpid(sampler, NULL, 0);
	printf("%s: a second process saw Writeback up to %lu kB (%lu samples)\n"
	       "%s.writeback_max_kb=%lu\n",
	       step, shared[1], shared[2], step, shared[1]);
	fflush(stdout);
}

/* The byte the demo stores at offset off: its page number and offset. */
static unsigned char pattern(unsigned long off, unsigned int round)
{
	return (unsigned char)((off / PAGE) * 7 + off % 251 + round * 13 + 1);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/mnt/data/big";
	static char buf[65536];
	unsigned long size, pages, half, mismatches = 0;
	struct snap a, b;
	struct stat st;
	unsigned char *map;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "filecache: %s: %s\n", path, strerror(errno));
		return 1;
	}
	size = argc > 2 ? strtoul(argv[2], NULL, 10) << 20 : (unsigned long)st.st_size;
	size = (size < (unsigned long)st.st_size ? size : (unsigned long)st.st_size) & ~(PAGE - 1);
	pages = size / PAGE;
	half = pages / 2;
	printf("filecache: %s, %lu KiB used (%lu pages)\n", path, size / 1024, pages);
	sync();
	if (write_file("/proc/sys/vm/drop_caches", "3\n"))
		printf("  (cannot write drop_caches: not root? the file may be cached already)\n");

	/* 1. Read it all. */
	take(&a);
	for (unsigned long off = 0; off < size;) {
		ssize_t n = pread(fd, buf, size - off < sizeof(buf) ? size - off : sizeof(buf),
				  (off_t)off);

		if (n <= 0)
			break;
		off += (unsigned long)n;
	}
	take(&b);
	report("read", &a, &b);

	/* 2. Pressure: clean pages go, no I/O. */
	read_swappiness();
	write_file("/proc/sys/vm/swappiness", "0\n");
	take(&a);
	pressure(half, a.memfree + size / 1024, 0);
	take(&b);
	report("clean-pressure", &a, &b);

	/* 3. Dirty half the pages through a shared mapping. */
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("filecache: mmap of the file");
		return 1;
	}
	take(&a);
	for (unsigned long p = 0; p < half; p++)
		for (unsigned long o = 0; o < PAGE; o += 512)
			map[p * PAGE + o] = pattern(p * PAGE + o, 1);
	take(&b);
	report("dirty-mmap", &a, &b);

	/* 4. Pressure again: the dirty pages are written, then dropped. */
	take(&a);
	pressure(half / 2, a.memfree + size / 1024, 1);
	take(&b);
	report("dirty-pressure", &a, &b);
	write_file("/proc/sys/vm/swappiness", old_swappiness);

	/* 5. Dirty again; msync(MS_SYNC) writes the mapping's pages; write()
	 * then fsync writes the others. */
	for (unsigned long p = 0; p < half; p++)
		map[p * PAGE + 8] = pattern(p * PAGE + 8, 2);
	take(&a);
	sampler_start();
	if (msync(map, size, MS_SYNC))
		perror("filecache: msync");
	take(&b);
	report("msync", &a, &b);
	sampler_stop("msync");
	for (unsigned long p = half; p < pages; p++) {
		unsigned char c = pattern(p * PAGE + 16, 2);

		if (pwrite(fd, &c, 1, (off_t)(p * PAGE + 16)) != 1)
			perror("filecache: pwrite");
	}
	take(&a);
	if (fsync(fd))
		perror("filecache: fsync");
	take(&b);
	report("write+fsync", &a, &b);

	/* 6. Check everything, from the disk if the cache can be dropped. */
	munmap(map, size);
	write_file("/proc/sys/vm/drop_caches", "3\n");
	for (unsigned long p = 0; p < pages; p++) {
		unsigned char got[PAGE];

		if (pread(fd, got, PAGE, (off_t)(p * PAGE)) != (ssize_t)PAGE) {
			mismatches++;
			continue;
		}
		if (p < half) {
			for (unsigned long o = 512; o < PAGE; o += 512)
				mismatches += got[o] != pattern(p * PAGE + o, 1);
			mismatches += got[0] != pattern(p * PAGE, 1) ||
				      got[8] != pattern(p * PAGE + 8, 2);
		} else {
			mismatches += got[16] != pattern(p * PAGE + 16, 2);
		}
	}
	printf("verify: %lu mismatches\nverify.mismatches=%lu\n", mismatches, mismatches);
	close(fd);
	return mismatches ? 1 : 0;
}

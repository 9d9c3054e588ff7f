/* swappiness (concepts C9, C10): the same mixed pressure at different
 * vm.swappiness values. Each run fills the page cache by reading every
 * file under a directory (default /mnt/bin, the disk's ext2), then touches
 * anonymous memory beyond free RAM, and reports what reclaim took: anon
 * pages written to swap (pswpout) or clean file pages dropped without any
 * I/O (pgsteal_file). 0 prefers file pages; 200 weighs anon as cheap.
 *   swappiness [anon-MiB] [dir] [values...]   default: MemTotal, /mnt/bin, 0 60 200 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lib/procfs.h"

#define PAGE 4096UL

struct counters {
	unsigned long pswpout, pgsteal_file, pgsteal_anon, cached_kb;
};

static void read_counters(struct counters *c)
{
	char buf[8192];

	memset(c, 0, sizeof(*c));
	if (proc_read("vmstat", buf, sizeof(buf)) > 0) {
		proc_field(buf, "pswpout", &c->pswpout);
		proc_field(buf, "pgsteal_file", &c->pgsteal_file);
		proc_field(buf, "pgsteal_anon", &c->pgsteal_anon);
	}
	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, "Cached", &c->cached_kb);
}

/* Reads every regular file in dir once, so their pages are cached. */
static void read_all(const char *dir)
{
	static char buf[65536];
	char path[512];
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fd = open(path, O_RDONLY);
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
}

static int set_swappiness(int v)
{
	FILE *f = fopen("/proc/sys/vm/swappiness", "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%d\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long total_kb = 0, mib;
	const char *dir = argc > 2 ? argv[2] : "/mnt/bin";
	static const int defaults[] = {0, 60, 200};

	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, "MemTotal", &total_kb);
	mib = argc > 1 ? strtoul(argv[1], NULL, 10) : total_kb / 1024;
	printf("swappiness: %lu MiB of anon pressure on %lu MiB, page cache from %s\n", mib,
	       total_kb / 1024, dir);
	for (int i = 0; i < (argc > 3 ? argc - 3 : 3); i++) {
		int v = argc > 3 ? atoi(argv[3 + i]) : defaults[i];
		struct counters a, b;
		char *mem;

		if (set_swappiness(v)) {
			printf("cannot write /proc/sys/vm/swappiness (root needed)\n");
			return 1;
		}
		read_all(dir);
		read_counters(&a);
		mem = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			   0);
		if (mem == MAP_FAILED) {
			perror("swappiness: mmap");
			return 1;
		}
		for (unsigned long p = 0; p < (mib << 20) / PAGE; p++)
			mem[p * PAGE] = 1;
		read_counters(&b);
		munmap(mem, mib << 20);
		printf("swappiness %3d: cached %5lu kB before, pswpout %6lu  pgsteal_anon %6lu  "
		       "pgsteal_file %6lu\n",
		       v, a.cached_kb, b.pswpout - a.pswpout, b.pgsteal_anon - a.pgsteal_anon,
		       b.pgsteal_file - a.pgsteal_file);
		fflush(stdout);
	}
	set_swappiness(60);
	return 0;
}

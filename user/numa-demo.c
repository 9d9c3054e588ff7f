/*
 * numa-demo: what the kernel does when a node runs out (concept C12).
 * Needs 2+ nodes (make run NUMA=2). Three runs, each printed per node
 * before and after, every number measured:
 *   1. zone_reclaim_mode=0: a process on node 0 (MPOL_PREFERRED node 0)
 *      with node 0's page cache full of /mnt files allocates more than
 *      node 0 has free: the rest comes from node 1 (numa_miss on node 1,
 *      numa_foreign on node 0), the page cache on node 0 stays.
 *   2. zone_reclaim_mode=1: the same, but node 0 first drops its clean
 *      page cache (node_reclaim), so more of the memory is local.
 *   3. MPOL_INTERLEAVE over all nodes: pages alternate between nodes.
 * Where each page landed is asked page by page with get_mempolicy
 * (MPOL_F_NODE|MPOL_F_ADDR). QEMU's memory is equally fast on every node,
 * so this shows the kernel's choices, not remote latency.
 *   numa-demo [EXTRA_MB]   allocate node 0's free memory + EXTRA_MB (16)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <numaif.h>
#include <sys/mman.h>
#include "lib/numa.h"
#include "lib/procfs.h"

#define PAGE	  4096UL
#define MAX_NODES 8

struct node_state {
	unsigned long free_kb, file_kb, hit, miss, foreign, il_hit;
};

static int nodes;

static void sample(struct node_state *s)
{
	for (int nid = 0; nid < nodes; nid++) {
		node_meminfo(nid, "MemFree", &s[nid].free_kb);
		node_meminfo(nid, "FilePages", &s[nid].file_kb);
		node_numastat(nid, "numa_hit", &s[nid].hit);
		node_numastat(nid, "numa_miss", &s[nid].miss);
		node_numastat(nid, "numa_foreign", &s[nid].foreign);
		node_numastat(nid, "interleave_hit", &s[nid].il_hit);
	}
}

static void print_table(const struct node_state *a, const struct node_state *b, const int *pages)
{
	printf("  node  MemFree kB (before -> after)  FilePages kB (before -> after)  pages here"
	       "  numa_hit  numa_miss  numa_foreign  interleave_hit\n");
	for (int nid = 0; nid < nodes; nid++)
		printf("  %4d  %9lu -> %-9lu          %9lu -> %-9lu            %8d  %+8ld  %+9ld  "
		       "%+12ld  "
		       "%+14ld\n",
		       nid, a[nid].free_kb, b[nid].free_kb, a[nid].file_kb, b[nid].file_kb,
		       pages[nid], (long)(b[nid].hit - a[nid].hit),
		       (long)(b[nid].miss - a[nid].miss), (long)(b[nid].foreign - a[nid].foreign),
		       (long)(b[nid].il_hit - a[nid].il_hit));
}

static void write_sysctl(const char *path, const char *value)
{
	if (write_file(path, value) != 0)
		perror(path);
}

/* Fills the page cache from dir; returns KiB read. */
static unsigned long read_dir(const char *dir)
{
	long n = read_dir_files(dir);

	return n < 0 ? 0 : (unsigned long)n / 1024;
}

/* Maps len bytes, touches every page, counts pages per node into pages[]. */
static char *touch_and_count(unsigned long len, int *pages)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (unsigned long off = 0; off < len; off += PAGE)
		p[off] = 1;
	memset(pages, 0, MAX_NODES * sizeof(int));
	for (unsigned long off = 0; off < len; off += PAGE) {
		int nid = page_node(p + off);

		if (nid >= 0 && nid < MAX_NODES)
			pages[nid]++;
	}
	return p;
}

static void spill_run(const char *mode, unsigned long extra_mb)
{
	struct node_state a[MAX_NODES], b[MAX_NODES];
	unsigned long node0 = 1, len, cache;
	int pages[MAX_NODES];
	char *p;

	printf("\n== zone_reclaim_mode=%s: MPOL_PREFERRED node 0, more than node 0 has free ==\n",
	       mode);
	write_sysctl("/proc/sys/vm/drop_caches", "1");
	write_sysctl("/proc/sys/vm/zone_reclaim_mode", mode);
	cache = read_dir("/mnt/bin");
	set_mempolicy(MPOL_PREFERRED, &node0, NUMA_MAXNODE);
	sample(a);
	printf("read %lu kB of /mnt/bin into the page cache; node 0 FilePages %lu kB\n", cache,
	       a[0].file_kb);
	len = (a[0].free_kb + extra_mb * 1024) * 1024;
	printf("allocating %lu kB (node 0 free %lu kB + %lu MB)\n", len / 1024, a[0].free_kb,
	       extra_mb);
	p = touch_and_count(len, pages);
	sample(b);
	print_table(a, b, pages);
	printf("result: %d of %lu pages on node 0, %lu on other nodes; node 0 page cache %lu -> "
	       "%lu "
	       "kB\n",
	       pages[0], len / PAGE, len / PAGE - (unsigned long)pages[0], a[0].file_kb,
	       b[0].file_kb);
	munmap(p, len);
	set_mempolicy(MPOL_DEFAULT, NULL, 0);
}

static void interleave_run(void)
{
	struct node_state a[MAX_NODES], b[MAX_NODES];
	unsigned long all = (1UL << nodes) - 1, len = 8UL << 20;
	int pages[MAX_NODES];
	char *p;

	printf("\n== MPOL_INTERLEAVE over nodes 0-%d: 8 MB ==\n", nodes - 1);
	set_mempolicy(MPOL_INTERLEAVE, &all, NUMA_MAXNODE);
	sample(a);
	p = touch_and_count(len, pages);
	sample(b);
	set_mempolicy(MPOL_DEFAULT, NULL, 0);
	print_table(a, b, pages);
	printf("result:");
	for (int nid = 0; nid < nodes; nid++)
		printf(" node %d: %d pages", nid, pages[nid]);
	printf(" (of %lu)\n", len / PAGE);
	munmap(p, len);
}

int main(int argc, char **argv)
{
	unsigned long extra = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;

	nodes = numa_nodes();
	if (nodes < 2) {
		printf("numa-demo: one node only; boot with more (make run NUMA=2)\n");
		return 1;
	}
	if (nodes > MAX_NODES)
		nodes = MAX_NODES;
	spill_run("0", extra);
	spill_run("1", extra);
	write_sysctl("/proc/sys/vm/zone_reclaim_mode", "0");
	interleave_run();
	return 0;
}

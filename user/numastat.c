/*
 * numastat: per-node allocation statistics, laid out as numastat(8):
 * one column per node, one row per counter of
 * /sys/devices/system/node/nodeN/numastat (pages; see docs/numa.md for
 * what each counts). With -m: the nodes' meminfo in MB instead.
 *   numastat [-m]
 */
#include <stdio.h>
#include <string.h>
#include "lib/numa.h"
#include "lib/procfs.h"

#define MAX_NODES 64

static const char *const counters[] = {"numa_hit",	 "numa_miss",  "numa_foreign",
				       "interleave_hit", "local_node", "other_node"};
static const char *const meminfo_keys[] = {"MemTotal", "MemFree",   "MemUsed",	 "Active",
					   "Inactive", "FilePages", "AnonPages", "Shmem"};

static void header(int n, bool total)
{
	char name[16];

	printf("%-16s", "");
	for (int nid = 0; nid < n; nid++) {
		snprintf(name, sizeof(name), "node%d", nid);
		printf("%16s", name);
	}
	if (total)
		printf("%16s", "Total");
	printf("\n");
}

int main(int argc, char **argv)
{
	int n = numa_nodes();
	bool mb = argc > 1 && !strcmp(argv[1], "-m");

	if (argc > 1 && !mb) {
		fprintf(stderr, "usage: numastat [-m]\n");
		return 1;
	}
	if (mb) {
		printf("\nPer-node system memory usage (in MBs):\n");
		header(n, true);
		for (size_t k = 0; k < sizeof(meminfo_keys) / sizeof(meminfo_keys[0]); k++) {
			unsigned long kb, sum = 0;

			printf("%-16s", meminfo_keys[k]);
			for (int nid = 0; nid < n; nid++) {
				kb = 0;
				node_meminfo(nid, meminfo_keys[k], &kb);
				sum += kb;
				printf("%16.2f", kb / 1024.0);
			}
			printf("%16.2f\n", sum / 1024.0);
		}
		return 0;
	}
	/* One read per node: each column is one consistent snapshot. */
	static char text[MAX_NODES][512];
	char path[96];

	if (n > MAX_NODES)
		n = MAX_NODES;
	for (int nid = 0; nid < n; nid++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/numastat", nid);
		if (read_file(path, text[nid], sizeof(text[nid])) < 0)
			text[nid][0] = '\0';
	}
	header(n, false);
	for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++) {
		printf("%-16s", counters[k]);
		for (int nid = 0; nid < n; nid++) {
			unsigned long v = 0;

			proc_field(text[nid], counters[k], &v);
			printf("%16lu", v);
		}
		printf("\n");
	}
	return 0;
}

/* NUMA set-up (mm/numa.c), called by mm/init.c. */
#ifndef MM_NUMA_H
#define MM_NUMA_H

#include "mm/mmzone.h"

#define NR_NODE_MEMBLKS (MAX_NUMNODES * 4)

/* The memory ranges of the nodes, as Linux's struct numa_meminfo. */
struct numa_memblk {
	u64 start, end;
	int nid;
};

struct numa_meminfo {
	int nr_blks;
	struct numa_memblk blk[NR_NODE_MEMBLKS];
};

extern struct numa_meminfo numa_meminfo;

/* Reads ACPI (SRAT, SLIT, MADT) and sets nr_online_nodes, every node's
 * pfn span, the distance table and the CPU's node. After memblock knows
 * RAM, before the zones are built. */
void numa_init(void);
/* The node whose span holds pfn (0 outside every span). */
int pfn_to_nid_early(unsigned long pfn);
/* Node nid's proximity domain (for /sys and logs). */
int node_to_pxm(int nid);
/* Fills order[0..n-1] with nodes 0..n-1 sorted by dist[local][*], ties
 * by node id: the fallback list of node local. */
void build_zonelist_order(int local, int n, const u8 dist[MAX_NUMNODES][MAX_NUMNODES],
			  int order[MAX_NUMNODES]);
/* Gives every online node its fallback list and logs it. */
void build_all_zonelists(void);

#endif

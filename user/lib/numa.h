/* numa.h: the NUMA facts the tools read from /sys/devices/system/node
 * (Linux's files and formats; kernel/fs/sysfs.c), plus node list parsing. */
#ifndef USER_NUMA_H
#define USER_NUMA_H

#include <stdbool.h>

#define NUMA_MAXNODE 65 /* set_mempolicy's maxnode for one 64-bit mask */

/* Online nodes (from "online": "0-1"), or 1 if /sys has no node files. */
int numa_nodes(void);
/* A "Node N Key:  value kB" line of nodeN/meminfo, in kB; false if absent. */
bool node_meminfo(int nid, const char *key, unsigned long *kb);
/* A "key value" line of nodeN/numastat; false if absent. */
bool node_numastat(int nid, const char *key, unsigned long *value);
/* Distance from node a to node b (nodeA/distance), or -1. */
int node_distance(int a, int b);
/* "0,2-3" or "all" -> a bitmap of nodes; false (message printed) if bad. */
bool parse_nodes(const char *s, int nr_nodes, unsigned long *mask);
/* The node of the page at addr (get_mempolicy MPOL_F_NODE|MPOL_F_ADDR), or -1. */
int page_node(void *addr);
/* Reads every file in dir (not its dot files), so their pages sit in the
 * page cache; the bytes read, or -1 if dir cannot be opened. */
long read_dir_files(const char *dir);

#endif

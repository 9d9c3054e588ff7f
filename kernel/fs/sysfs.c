/* A minimal sysfs, mounted at /sys: only the NUMA node directory Linux
 * has at /sys/devices/system/node (concept C12), in Linux's formats, so
 * numactl/numastat-style tools read what they would on Linux:
 *   online, possible, has_memory, has_cpu   node lists ("0-1")
 *   nodeN/numastat   numa_hit ... other_node, in pages
 *   nodeN/meminfo    "Node N MemTotal:   ... kB" lines
 *   nodeN/distance   the SLIT row of node N
 *   nodeN/cpulist    the online CPUs on node N
 * It is procfs's table machinery (procfs.h) with a different root; the
 * node tables are filled at boot, once the nodes are known. */
#include "kernel/fs/procfs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"

#define K(pages) ((pages) * (PAGE_SIZE / 1024))

enum {
	NODE_NUMASTAT,
	NODE_MEMINFO,
	NODE_DISTANCE,
	NODE_CPULIST,
	NR_NODE_FILES
};

static char node_names[MAX_NUMNODES][8];
static struct proc_entry node_files[MAX_NUMNODES][NR_NODE_FILES + 1];
static struct proc_entry node_dir[MAX_NUMNODES + 5];

/* Linux's node list format: "0-3", or "0" for one node. */
static void print_node_range(struct seq_buf *s, int first, int n)
{
	if (n <= 0)
		seq_printf(s, "\n");
	else if (n == 1)
		seq_printf(s, "%d\n", first);
	else
		seq_printf(s, "%d-%d\n", first, first + n - 1);
}

static int online_show(struct seq_buf *s, long unused)
{
	(void)unused;
	print_node_range(s, 0, nr_online_nodes);
	return 0;
}

static int has_cpu_show(struct seq_buf *s, long unused)
{
	(void)unused;
	print_node_range(s, numa_node_id(), 1);
	return 0;
}

static int numastat_show(struct seq_buf *s, long nid)
{
	const unsigned long *ev = NODE_DATA(nid)->numa_events;

	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", numa_stat_names[i], ev[i]);
	return 0;
}

static void node_line(struct seq_buf *s, long nid, const char *name, unsigned long pages)
{
	seq_printf(s, "Node %ld %-16s%8lu kB\n", nid, name, K(pages));
}

static int meminfo_show(struct seq_buf *s, long nid)
{
	const struct pglist_data *p = NODE_DATA(nid);
	const struct zone *z = &p->node_zone;
	const unsigned long *lru = p->nr_lru;

	node_line(s, nid, "MemTotal:", z->managed_pages);
	node_line(s, nid, "MemFree:", z->free_pages);
	node_line(s, nid, "MemUsed:", z->managed_pages - z->free_pages);
	node_line(s, nid, "Active:", lru[LRU_ACTIVE_ANON] + lru[LRU_ACTIVE_FILE]);
	node_line(s, nid, "Inactive:", lru[LRU_INACTIVE_ANON] + lru[LRU_INACTIVE_FILE]);
	node_line(s, nid, "Active(anon):", lru[LRU_ACTIVE_ANON]);
	node_line(s, nid, "Inactive(anon):", lru[LRU_INACTIVE_ANON]);
	node_line(s, nid, "Active(file):", lru[LRU_ACTIVE_FILE]);
	node_line(s, nid, "Inactive(file):", lru[LRU_INACTIVE_FILE]);
	node_line(s, nid, "Dirty:", p->vm_stat[NR_FILE_DIRTY]);
	node_line(s, nid, "Writeback:", p->vm_stat[NR_WRITEBACK]);
	node_line(s, nid, "FilePages:", p->vm_stat[NR_FILE_PAGES]);
	node_line(s, nid, "Mapped:", p->vm_stat[NR_FILE_MAPPED]);
	node_line(s, nid, "AnonPages:", p->vm_stat[NR_ANON_MAPPED]);
	node_line(s, nid, "Shmem:", p->vm_stat[NR_SHMEM]);
	node_line(s, nid, "SwapCached:", p->vm_stat[NR_SWAPCACHE]);
	return 0;
}

static int distance_show(struct seq_buf *s, long nid)
{
	for (int to = 0; to < nr_online_nodes; to++)
		seq_printf(s, "%s%d", to ? " " : "", node_distance((int)nid, to));
	seq_printf(s, "\n");
	return 0;
}

/* One CPU runs (CPU 0); the tables may list more, which we never start. */
static int cpulist_show(struct seq_buf *s, long nid)
{
	seq_printf(s, nid == numa_node_id() ? "0\n" : "\n");
	return 0;
}

#define SYS_FILE(n, fn, a)                                                  \
	{                                                                   \
		.name = n, .mode = S_IFREG | 0444, .show_arg = fn, .arg = a \
	}

static const struct proc_entry system_entries[] = {PROC_DIR("node", node_dir), {NULL}};
static const struct proc_entry devices_entries[] = {PROC_DIR("system", system_entries), {NULL}};
static const struct proc_entry sys_entries[] = {PROC_DIR("devices", devices_entries), {NULL}};
static const struct proc_entry sys_root_entry = PROC_DIR("sys", sys_entries);

struct inode *sysfs_root(void)
{
	static const struct proc_entry lists[] = {
		SYS_FILE("online", online_show, 0),
		SYS_FILE("possible", online_show, 0),
		SYS_FILE("has_memory", online_show, 0),
		SYS_FILE("has_cpu", has_cpu_show, 0),
	};
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		node_dir[n++] = lists[i];
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct proc_entry *f = node_files[nid];

		f[NODE_NUMASTAT] = (struct proc_entry)SYS_FILE("numastat", numastat_show, nid);
		f[NODE_MEMINFO] = (struct proc_entry)SYS_FILE("meminfo", meminfo_show, nid);
		f[NODE_DISTANCE] = (struct proc_entry)SYS_FILE("distance", distance_show, nid);
		f[NODE_CPULIST] = (struct proc_entry)SYS_FILE("cpulist", cpulist_show, nid);
		snprintf(node_names[nid], sizeof(node_names[nid]), "node%d", nid);
		node_dir[n++] = (struct proc_entry)PROC_DIR(node_names[nid], f);
	}
	return procfs_make_root(&sys_root_entry);
}

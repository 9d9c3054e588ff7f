/* NUMA topology (concept C12): which physical memory belongs to which
 * node, how far apart the nodes are, and in which order a node falls back
 * to the others when it runs short.
 *
 * The firmware's ACPI SRAT gives memory ranges and CPUs per proximity
 * domain (PXM); nodes are numbered in the order their domains first
 * appear, as Linux's acpi_map_pxm_to_node does. The SLIT gives the
 * distances (10 = local); without one, or with an invalid one, every
 * remote node is at 20. Without SRAT, or when its ranges do not cover
 * the RAM, there is one node holding everything, as before NUMA. The
 * zones are then built per node by mm/init.c; here, after that, each
 * node gets its fallback list.
 *
 * GDB: `print numa_distance`, `print node_data[1].zonelist`,
 * `print node_data[0].numa_events`. */
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mmzone.h"
#include "mm/numa.h"

u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES];
struct numa_meminfo numa_meminfo;
static int cpu_node;		   /* the node of the CPU we run on */
static int node_pxm[MAX_NUMNODES]; /* node -> its proximity domain */

int numa_node_id(void)
{
	return cpu_node;
}

int node_to_pxm(int nid)
{
	return node_pxm[nid];
}

/* The node of proximity domain pxm, assigning the next free id on first
 * sight; -1 if all MAX_NUMNODES ids are taken. */
static int pxm_to_node(u32 pxm, bool assign)
{
	for (int nid = 0; nid < nr_online_nodes; nid++)
		if (node_pxm[nid] == (int)pxm)
			return nid;
	if (!assign || nr_online_nodes >= MAX_NUMNODES)
		return -1;
	node_pxm[nr_online_nodes] = (int)pxm;
	return nr_online_nodes++;
}

/* Bytes of RAM (memblock.memory) inside [start, end). */
static u64 ram_in_range(u64 start, u64 end)
{
	u64 sum = 0;

	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		u64 s = MAX(start, r->base), e = MIN(end, r->base + r->size);

		if (e > s)
			sum += e - s;
	}
	return sum;
}

/* Builds numa_meminfo from the SRAT memory ranges that hold RAM. Returns
 * false (logged) if they leave RAM out or the nodes interleave. */
static bool numa_from_srat(void)
{
	u64 covered = 0, total = ram_in_range(0, ~0UL);

	for (int i = 0; i < acpi_numa.nr_memblks; i++) {
		const struct acpi_srat_memblk *b = &acpi_numa.memblk[i];
		struct numa_memblk *m;
		int nid;

		if (!ram_in_range(b->start, b->end)) {
			pr_info("ACPI: SRAT: PXM %u [mem %#010lx-%#010lx]%s: no RAM there (yet), "
				"not a node\n",
				b->pxm, b->start, b->end - 1, b->hotpluggable ? " hotplug" : "");
			continue;
		}
		nid = pxm_to_node(b->pxm, true);
		if (nid < 0 || numa_meminfo.nr_blks >= NR_NODE_MEMBLKS) {
			pr_warn("NUMA: too many nodes or ranges: PXM %u ignored\n", b->pxm);
			return false;
		}
		pr_info("ACPI: SRAT: Node %d PXM %u [mem %#010lx-%#010lx]%s\n", nid, b->pxm,
			b->start, b->end - 1, b->hotpluggable ? " hotplug" : "");
		m = &numa_meminfo.blk[numa_meminfo.nr_blks++];
		m->start = b->start;
		m->end = b->end;
		m->nid = nid;
		covered += ram_in_range(b->start, b->end);
	}
	/* Linux's numa_meminfo_cover_memory: a MiB or more left out is a bug. */
	if (total - covered >= MiB) {
		pr_warn("NUMA: nodes only cover %luMB of your %luMB e820 RAM. Not used.\n",
			covered / MiB, total / MiB);
		return false;
	}
	return nr_online_nodes > 0;
}

/* The span [start, end) of node nid's ranges, clipped to RAM's end. */
static void node_span(int nid, u64 *start, u64 *end)
{
	*start = ~0UL;
	*end = 0;
	for (int i = 0; i < numa_meminfo.nr_blks; i++) {
		const struct numa_memblk *m = &numa_meminfo.blk[i];

		if (m->nid != nid)
			continue;
		*start = MIN(*start, m->start);
		*end = MAX(*end, m->end);
	}
	*end = MIN(*end, memblock_end_of_DRAM());
}

/* Nodes own contiguous pfn spans here (one zone each): two spans that
 * overlap cannot be represented. */
static bool spans_disjoint(void)
{
	for (int a = 0; a < nr_online_nodes; a++)
		for (int b = a + 1; b < nr_online_nodes; b++) {
			u64 as, ae, bs, be;

			node_span(a, &as, &ae);
			node_span(b, &bs, &be);
			if (as < be && bs < ae) {
				pr_warn("NUMA: node %d [mem %#010lx-%#010lx] overlaps node %d [mem "
					"%#010lx-%#010lx]. Not used.\n",
					a, as, ae - 1, b, bs, be - 1);
				return false;
			}
		}
	return true;
}

/* One node with all of RAM: no SRAT, or one we could not use. */
static void numa_dummy_init(void)
{
	nr_online_nodes = 1;
	node_pxm[0] = 0;
	numa_meminfo.nr_blks = 1;
	numa_meminfo.blk[0].start = 0;
	numa_meminfo.blk[0].end = memblock_end_of_DRAM();
	numa_meminfo.blk[0].nid = 0;
	pr_info("No NUMA configuration found\n");
	pr_info("Faking a node at [mem %#018lx-%#018lx]\n", 0UL, memblock_end_of_DRAM() - 1);
}

/* Node distances from the SLIT rows of the nodes' domains, or Linux's
 * default of 10 local, 20 remote. */
static void numa_init_distance(void)
{
	for (int a = 0; a < MAX_NUMNODES; a++)
		for (int b = 0; b < MAX_NUMNODES; b++) {
			int pa = node_pxm[a], pb = node_pxm[b];
			bool from_slit = acpi_numa.slit && a < nr_online_nodes &&
					 b < nr_online_nodes && pa < acpi_numa.slit_localities &&
					 pb < acpi_numa.slit_localities;

			numa_distance[a][b] = from_slit ? acpi_numa.slit_dist[pa][pb]
					      : a == b	? LOCAL_DISTANCE
							: REMOTE_DISTANCE;
		}
	if (acpi_numa.slit)
		pr_info("NUMA: Initialized distance table, cnt=%d\n", nr_online_nodes);
}

/* Every CPU's node from its SRAT domain (logged as Linux does), and the
 * boot CPU's node: its APIC id is CPUID leaf 1, EBX[31:24]. */
static void numa_init_cpu(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	cpu_node = 0;
	for (int i = 0; i < acpi_numa.nr_cpus; i++) {
		const struct acpi_cpu *cpu = &acpi_numa.cpu[i];
		int nid = cpu->pxm < 0 ? -1 : pxm_to_node((u32)cpu->pxm, false);

		if (cpu->pxm < 0)
			continue;
		if (nid < 0) {
			pr_info("ACPI: SRAT: PXM %d -> APIC 0x%0*x: no memory there, node 0\n",
				cpu->pxm, cpu->x2apic ? 4 : 2, cpu->apic_id);
			continue;
		}
		pr_info("ACPI: SRAT: PXM %d -> APIC 0x%0*x -> Node %d\n", cpu->pxm,
			cpu->x2apic ? 4 : 2, cpu->apic_id, nid);
		if (cpu->apic_id == b >> 24)
			cpu_node = nid;
	}
}

void numa_init(void)
{
	acpi_init();
	nr_online_nodes = 0;
	numa_meminfo.nr_blks = 0;
	if (!acpi_numa.srat || !numa_from_srat() || !spans_disjoint()) {
		nr_online_nodes = 0;
		numa_dummy_init();
	}
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		u64 start, end;

		node_span(nid, &start, &end);
		NODE_DATA(nid)->node_id = nid;
		NODE_DATA(nid)->node_start_pfn = PFN_UP(start);
		NODE_DATA(nid)->node_spanned_pages = PFN_DOWN(end) - PFN_UP(start);
		pr_info("Initmem setup node %d [mem %#018lx-%#018lx]\n", nid, start, end - 1);
	}
	numa_init_distance();
	numa_init_cpu();
}

int pfn_to_nid_early(unsigned long pfn)
{
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		const struct pglist_data *p = NODE_DATA(nid);

		if (pfn >= p->node_start_pfn && pfn < p->node_start_pfn + p->node_spanned_pages)
			return nid;
	}
	return 0;
}

void build_zonelist_order(int local, int n, const u8 dist[MAX_NUMNODES][MAX_NUMNODES],
			  int order[MAX_NUMNODES])
{
	bool used[MAX_NUMNODES] = {false};

	for (int k = 0; k < n; k++) {
		int best = -1;

		/* Nearest unused node; the lower id wins a tie. */
		for (int nid = 0; nid < n; nid++)
			if (!used[nid] && (best < 0 || dist[local][nid] < dist[local][best]))
				best = nid;
		if (best < 0)
			break;
		used[best] = true;
		order[k] = best;
	}
}

void build_all_zonelists(void)
{
	char line[8 + 4 * MAX_NUMNODES];

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		size_t len = 0;

		build_zonelist_order(nid, nr_online_nodes, (const u8(*)[MAX_NUMNODES])numa_distance,
				     pgdat->zonelist);
		for (int k = 0; k < nr_online_nodes; k++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %d",
						pgdat->zonelist[k]);
		pr_info("Fallback order for Node %d:%s\n", nid, line);
	}
	pr_info("Built %d zonelists.  Total pages: %lu\n", nr_online_nodes, totalram_pages());
}

/* Memory bring-up, in the order the pieces depend on each other:
 *   1. memblock learns the RAM ranges (multiboot memory map) and what is
 *      already taken (low 1 MiB, kernel image, boot info, modules);
 *   2. the final kernel page tables: a direct map of RAM at PAGE_OFFSET with
 *      2 MiB pages where alignment allows, and the kernel image with real
 *      permissions (text RX, rodata R+NX, data/bss RW+NX);
 *   3. the mem_map array of struct page, one per frame;
 *   4. every free range goes to its node's buddy allocator (the nodes come
 *      from ACPI SRAT, mm/numa.c), the watermarks are derived from
 *      min_free_kbytes, and each node gets its fallback list. */
#include "mm/init.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mmzone.h"
#include "mm/numa.h"
#include "mm/pgtable.h"

#define EARLY_MAPPED_LIMIT (4UL * GiB) /* what boot/entry.asm maps */
#define LOW_MEMORY_END	   (1UL * MiB) /* BIOS, EBDA, VGA: never allocated */

struct page *mem_map;
unsigned long max_pfn;
extern bool pgtable_use_buddy;

/* Reserves every page that [start, end) touches. */
static void reserve_pages(phys_addr_t start, phys_addr_t end)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	memblock_reserve(start, ALIGN_UP(end, PAGE_SIZE) - start);
}

static void memblock_setup(void)
{
	memblock.limit = EARLY_MAPPED_LIMIT;
	for (int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];
		phys_addr_t start = ALIGN_UP(e->addr, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(e->addr + e->size, PAGE_SIZE);

		if (e->type == E820_TYPE_RAM && end > start)
			memblock_add(start, end - start);
	}
	memblock_reserve(0, LOW_MEMORY_END);
	memblock_reserve((phys_addr_t)_kernel_phys_start,
			 (phys_addr_t)(_kernel_phys_end - _kernel_phys_start));
	reserve_pages(boot_info.mbi_start, boot_info.mbi_end);
	for (int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		reserve_pages(m->start, m->end);
	}
	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
}

/* Maps [start, end) of physical memory into the direct map, with 2 MiB
 * pages for every aligned 2 MiB inside the range and 4 KiB pages at the
 * edges. Ranges may overlap (firmware maps do): mapped pages are skipped. */
static void direct_map_range(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t pa = ALIGN_DOWN(start, PAGE_SIZE);

	while (pa < end) {
		unsigned long va = (unsigned long)phys_to_virt(pa);
		struct pt_walk w;

		if (IS_ALIGNED(pa, PMD_SIZE) && pa + PMD_SIZE <= end) {
			pte_t *pmd_e = pgtable_walk_pmd(kernel_pgd, va, true);

			if (!pmd_e)
				panic("mm: cannot map %#lx in the direct map", pa);
			if (!(*pmd_e & PTE_PRESENT))
				*pmd_e = make_pte(pa, PAGE_KERNEL_LARGE);
			if (*pmd_e & PTE_PSE) {
				pa += PMD_SIZE;
				continue;
			}
		}
		if (!pgtable_lookup(kernel_pgd, va, &w) &&
		    map_page(kernel_pgd, va, pa, PAGE_KERNEL))
			panic("mm: cannot map %#lx in the direct map", pa);
		pa += PAGE_SIZE;
	}
}

static void map_kernel_section(const char *start, const char *end, u64 prot)
{
	for (unsigned long va = (unsigned long)start; va < (unsigned long)end; va += PAGE_SIZE)
		if (map_page(kernel_pgd, va, virt_to_phys((void *)va), prot))
			panic("mm: cannot map kernel page %#lx", va);
}

static void build_kernel_page_tables(void)
{
	kernel_pgd = phys_to_virt(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
	direct_map_range(0, LOW_MEMORY_END);
	for (int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];

		/* RAM, and the ACPI tables that the NUMA code will read. */
		if (e->type == E820_TYPE_RAM || e->type == E820_TYPE_ACPI ||
		    e->type == E820_TYPE_NVS)
			direct_map_range(e->addr, e->addr + e->size);
	}
	map_kernel_section(_stext, _etext, PAGE_KERNEL_EXEC & ~PTE_WRITE);
	map_kernel_section(_srodata, _erodata, PAGE_KERNEL_RO);
	map_kernel_section(_sdata, _ebss, PAGE_KERNEL);
	write_cr3(virt_to_phys(kernel_pgd));
	memblock.limit = ~0UL;
}

/* Frees [start, end) of one node to its zone, in the largest naturally
 * aligned blocks that fit. */
static void free_node_range(struct zone *z, unsigned long pfn, unsigned long end_pfn)
{
	while (pfn < end_pfn) {
		unsigned int order = MAX_ORDER;

		while (order && (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > end_pfn))
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++)
			ClearPageFlag(pfn_to_page(pfn + i), PG_reserved);
		z->managed_pages += 1UL << order;
		buddy_free(z, pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
}

/* A free memblock range goes to the zones of the nodes it touches: a
 * buddy block never straddles two nodes. */
static void free_range_to_buddy(phys_addr_t start, phys_addr_t end, void *unused)
{
	(void)unused;
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct zone *z = &NODE_DATA(nid)->node_zone;
		unsigned long s = MAX(PFN_UP(start), z->zone_start_pfn);
		unsigned long e = MIN(PFN_DOWN(end), zone_end_pfn(z));

		if (s < e)
			free_node_range(z, s, e);
	}
}

/* RAM pages in [start_pfn, end_pfn): the zone's present_pages. */
static unsigned long present_pages_in(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long n = 0;

	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long s = MAX(start_pfn, PFN_UP(r->base));
		unsigned long e = MIN(end_pfn, PFN_DOWN(r->base + r->size));

		if (e > s)
			n += e - s;
	}
	return n;
}

/* One zone per node, over the node's span (mm/numa.c set it), every
 * frame labelled with its node, then the free memory to the buddies. */
static void zones_init(void)
{
	phys_addr_t map_bytes = ALIGN_UP(max_pfn * sizeof(struct page), PAGE_SIZE);

	mem_map = phys_to_virt(memblock_alloc(map_bytes, PAGE_SIZE));
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		mem_map[pfn].flags = 1UL << PG_reserved;
		set_page_node(&mem_map[pfn], pfn_to_nid_early(pfn));
	}
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		struct zone *z = &pgdat->node_zone;

		z->name = "Normal";
		z->node = nid;
		z->zone_start_pfn = pgdat->node_start_pfn;
		z->spanned_pages = pgdat->node_spanned_pages;
		z->present_pages = present_pages_in(z->zone_start_pfn, zone_end_pfn(z));
		buddy_init_zone(z);
		for (int l = 0; l < NR_LRU_LISTS; l++)
			INIT_LIST_HEAD(&pgdat->lru[l]);
	}
	memblock_for_each_free_range(free_range_to_buddy, NULL);
	pgtable_use_buddy = true;
}

/* A watermark summed over the nodes (each node has its share). */
static unsigned long wmark_sum(enum zone_watermarks w)
{
	unsigned long n = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		n += NODE_DATA(nid)->node_zone._watermark[w];
	return n;
}

static void report_memory(void)
{
	unsigned long kb = PAGE_SIZE / 1024, managed = totalram_pages();
	unsigned long total = memblock_phys_mem_size() / 1024;
	unsigned long text = (unsigned long)(_etext - _stext) / 1024;
	unsigned long rodata = (unsigned long)(_erodata - _srodata) / 1024;
	unsigned long data = (unsigned long)(_edata - _sdata) / 1024;
	unsigned long bss = (unsigned long)(_ebss - _sbss) / 1024;

	pr_info("Zone ranges:\n");
	pr_info("  Normal   [mem %#018lx-%#018lx]\n", 0UL, PFN_PHYS(max_pfn) - 1);
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		const struct zone *z = &NODE_DATA(nid)->node_zone;

		pr_info("On node %d, zone Normal: %lu pages in unavailable ranges\n", nid,
			z->spanned_pages - z->present_pages);
	}
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK bss, %luK reserved)\n",
		managed * kb, total, text, data, rodata, bss, total - managed * kb);
	pr_info("min_free_kbytes: %lu, zone Normal watermarks: min %lu low %lu high %lu pages\n",
		min_free_kbytes, wmark_sum(WMARK_MIN), wmark_sum(WMARK_LOW), wmark_sum(WMARK_HIGH));
	for (int nid = 0; nid < nr_online_nodes && nr_online_nodes > 1; nid++) {
		const struct zone *z = &NODE_DATA(nid)->node_zone;

		pr_info("  Node %d: %lu pages, watermarks: min %lu low %lu high %lu\n", nid,
			z->managed_pages, z->_watermark[WMARK_MIN], z->_watermark[WMARK_LOW],
			z->_watermark[WMARK_HIGH]);
	}
}

void mm_init(void)
{
	memblock_setup();
	numa_init(); /* reads ACPI through the boot page tables */
	build_kernel_page_tables();
	zones_init();
	min_free_kbytes = calc_min_free_kbytes(totalram_pages() * (PAGE_SIZE / 1024));
	setup_per_zone_wmarks();
	report_memory();
	build_all_zonelists();
}

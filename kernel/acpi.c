/* ACPI table discovery and the NUMA tables (concept C12). GRUB hands us a
 * copy of the RSDP (Root System Description Pointer) in a Multiboot2 tag;
 * the RSDP points to the RSDT (32-bit table addresses) and, from ACPI 2.0
 * on, the XSDT (64-bit ones). Every table carries a checksum: the bytes
 * of the whole table sum to zero. A table whose sum is off is logged and
 * ignored, as Linux's ACPICA does, so a corrupt SRAT means "one node"
 * rather than a nonsense topology.
 *
 * GDB: `print acpi_numa` after boot shows what was parsed; `x/64xb` on a
 * table's direct-map address shows its raw bytes. */
#include "kernel/acpi.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/layout.h"

#define ACPI_EARLY_LIMIT (4UL * GiB) /* what the boot page tables map */
#define ACPI_MAX_TABLES	 32
#define ACPI_TABLE_MAX	 (1UL * MiB) /* a larger "length" is corrupt */

/* RSDP (ACPI 6.4, 5.2.5.3): 20 bytes in revision 0, 36 from revision 2. */
struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	u8 checksum;	   /* of the first 20 bytes */
	char oem_id[6];
	u8 revision;
	u32 rsdt_address;
	u32 length; /* revision 2+: the rest are valid */
	u64 xsdt_address;
	u8 extended_checksum; /* of all 36 bytes */
	u8 reserved[3];
} __packed;

/* MADT (5.2.12) and the two entry types that describe CPUs. */
struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
} __packed;

#define ACPI_MADT_TYPE_LOCAL_APIC   0
#define ACPI_MADT_TYPE_LOCAL_X2APIC 9
#define ACPI_MADT_ENABLED	    (1u << 0)

struct acpi_madt_local_apic {
	u8 type, length;
	u8 processor_id;
	u8 id;
	u32 lapic_flags;
} __packed;

struct acpi_madt_local_x2apic {
	u8 type, length;
	u16 reserved;
	u32 local_apic_id;
	u32 lapic_flags;
	u32 uid;
} __packed;

/* SRAT (5.2.16): a 48-byte head, then affinity structures. */
struct acpi_srat {
	struct acpi_table_header header;
	u32 table_revision;
	u64 reserved;
} __packed;

#define ACPI_SRAT_TYPE_CPU_AFFINITY	   0
#define ACPI_SRAT_TYPE_MEMORY_AFFINITY	   1
#define ACPI_SRAT_TYPE_X2APIC_CPU_AFFINITY 2
#define ACPI_SRAT_ENABLED		   (1u << 0)
#define ACPI_SRAT_MEM_HOT_PLUGGABLE	   (1u << 1)
#define ACPI_SRAT_MEM_NON_VOLATILE	   (1u << 2)

struct acpi_srat_cpu_affinity {
	u8 type, length;
	u8 proximity_domain_lo;
	u8 apic_id;
	u32 flags;
	u8 local_sapic_eid;
	u8 proximity_domain_hi[3];
	u32 clock_domain;
} __packed;

struct acpi_srat_mem_affinity {
	u8 type, length;
	u32 proximity_domain;
	u16 reserved;
	u64 base_address;
	u64 length_bytes;
	u32 reserved1;
	u32 flags;
	u64 reserved2;
} __packed;

struct acpi_srat_x2apic_cpu_affinity {
	u8 type, length;
	u16 reserved;
	u32 proximity_domain;
	u32 apic_id;
	u32 flags;
	u32 clock_domain;
	u32 reserved2;
} __packed;

/* SLIT (5.2.17): N, then an N x N byte matrix, row i = from domain i. */
struct acpi_slit {
	struct acpi_table_header header;
	u64 locality_count;
	u8 entry[];
} __packed;

struct acpi_numa_info acpi_numa;
static const struct acpi_table_header *tables[ACPI_MAX_TABLES];
static int nr_tables;

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* The direct-map address of a table at pa, or NULL if the boot page
 * tables cannot reach all of it. */
static const void *acpi_map(u64 pa, size_t len)
{
	if (!pa || pa >= ACPI_EARLY_LIMIT || len > ACPI_EARLY_LIMIT - pa)
		return NULL;
	return phys_to_virt(pa);
}

/* Linux's table line: "ACPI: SRAT 0x0000000007FE1A4F 0000D0 (v01 BOCHS  BXPC ...)". */
static void print_table_header(u64 pa, const struct acpi_table_header *h)
{
	pr_info("ACPI: %.4s %#018lx %06X (v%02u %-6.6s %-8.8s %08X %-4.4s %08X)\n", h->signature,
		pa, h->length, h->revision, h->oem_id, h->oem_table_id, h->oem_revision,
		h->asl_compiler_id, h->asl_compiler_revision);
}

/* Maps and checks the table at pa; NULL (logged) if unreachable or its
 * checksum does not add up. */
static const struct acpi_table_header *acpi_get_table(u64 pa)
{
	const struct acpi_table_header *h = acpi_map(pa, sizeof(*h));
	u8 sum;

	if (!h || h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX ||
	    !acpi_map(pa, h->length)) {
		pr_warn("ACPI: table at %#lx unreachable or of bad length, ignored\n", pa);
		return NULL;
	}
	print_table_header(pa, h);
	sum = acpi_checksum(h, h->length);
	if (sum) {
		pr_warn("ACPI: Incorrect checksum in table [%.4s] - 0x%02X, should be 0x%02X; "
			"table ignored\n",
			h->signature, h->checksum, (u8)(h->checksum - sum));
		return NULL;
	}
	return h;
}

/* Collects the tables the RSDT or XSDT lists (entry_size 4 or 8). */
static void walk_root_table(const struct acpi_table_header *root, size_t entry_size)
{
	const u8 *p = (const u8 *)(root + 1);
	size_t n = (root->length - sizeof(*root)) / entry_size;

	for (size_t i = 0; i < n && nr_tables < ACPI_MAX_TABLES; i++) {
		u64 pa = 0;
		const struct acpi_table_header *h;

		memcpy(&pa, p + i * entry_size, entry_size);
		h = acpi_get_table(pa);
		if (h)
			tables[nr_tables++] = h;
	}
}

/* Validates the RSDP copy and walks the XSDT (preferred) or the RSDT.
 * Returns false if there are no usable tables. */
static bool acpi_find_tables(void)
{
	const struct acpi_rsdp *rsdp = (const void *)boot_info.rsdp;
	const struct acpi_table_header *root = NULL;

	if (boot_info.rsdp_len < 20 || memcmp(rsdp->signature, "RSD PTR ", 8)) {
		pr_info("ACPI: no RSDP from the boot loader: no ACPI tables\n");
		return false;
	}
	if (acpi_checksum(rsdp, 20)) {
		pr_warn("ACPI: RSDP checksum is wrong: ACPI tables ignored\n");
		return false;
	}
	pr_info("ACPI: RSDP (v%02u %-6.6s)\n", rsdp->revision, rsdp->oem_id);
	if (rsdp->revision >= 2 && boot_info.rsdp_len >= sizeof(*rsdp) && rsdp->xsdt_address &&
	    !acpi_checksum(rsdp, sizeof(*rsdp))) {
		root = acpi_get_table(rsdp->xsdt_address);
		if (root)
			walk_root_table(root, 8);
	}
	if (!root) {
		root = acpi_get_table(rsdp->rsdt_address);
		if (root)
			walk_root_table(root, 4);
	}
	return root != NULL;
}

const struct acpi_table_header *acpi_find_table(const char sig[4])
{
	for (int i = 0; i < nr_tables; i++)
		if (!memcmp(tables[i]->signature, sig, 4))
			return tables[i];
	return NULL;
}

/* Calls fn for every sub-table of type (or all, type < 0) that lies
 * wholly inside the table, starting offset bytes in. */
static void for_each_subtable(const struct acpi_table_header *h, size_t offset, int type,
			      void (*fn)(const u8 *entry))
{
	const u8 *p = (const u8 *)h + offset, *end = (const u8 *)h + h->length;

	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (type < 0 || p[0] == type)
			fn(p);
		p += p[1];
	}
}

static void add_cpu(u32 apic_id, bool x2apic)
{
	if (acpi_numa.nr_cpus >= ACPI_MAX_CPUS)
		return;
	acpi_numa.cpu[acpi_numa.nr_cpus++] = (struct acpi_cpu){apic_id, x2apic, -1};
}

static void madt_entry(const u8 *e)
{
	if (e[0] == ACPI_MADT_TYPE_LOCAL_APIC && e[1] >= sizeof(struct acpi_madt_local_apic)) {
		const struct acpi_madt_local_apic *a = (const void *)e;

		if (a->lapic_flags & ACPI_MADT_ENABLED)
			add_cpu(a->id, false);
	} else if (e[0] == ACPI_MADT_TYPE_LOCAL_X2APIC &&
		   e[1] >= sizeof(struct acpi_madt_local_x2apic)) {
		const struct acpi_madt_local_x2apic *a = (const void *)e;

		if (a->lapic_flags & ACPI_MADT_ENABLED)
			add_cpu(a->local_apic_id, true);
	}
}

static void parse_madt(void)
{
	const struct acpi_table_header *h = acpi_find_table("APIC");

	if (!h)
		return;
	for_each_subtable(h, sizeof(struct acpi_madt), -1, madt_entry);
	pr_info("ACPI: MADT: %d enabled CPU(s)\n", acpi_numa.nr_cpus);
}

/* A CPU affinity entry: the CPU with this APIC id is in domain pxm. */
static void srat_cpu(u32 apic_id, u32 pxm)
{
	for (int i = 0; i < acpi_numa.nr_cpus; i++) {
		if (acpi_numa.cpu[i].apic_id == apic_id) {
			acpi_numa.cpu[i].pxm = (int)pxm; /* logged with its node by mm/numa.c */
			return;
		}
	}
	pr_info("ACPI: SRAT: PXM %u -> APIC %#x: not in MADT, ignored\n", pxm, apic_id);
}

static void srat_cpu_affinity(const u8 *e)
{
	const struct acpi_srat_cpu_affinity *a = (const void *)e;
	u32 pxm = a->proximity_domain_lo;

	if (e[1] < sizeof(*a) || !(a->flags & ACPI_SRAT_ENABLED))
		return;
	/* The high 24 bits count only from SRAT revision 2; QEMU writes 0. */
	pxm |= (u32)a->proximity_domain_hi[0] << 8 | (u32)a->proximity_domain_hi[1] << 16 |
	       (u32)a->proximity_domain_hi[2] << 24;
	srat_cpu(a->apic_id, pxm);
}

static void srat_x2apic_affinity(const u8 *e)
{
	const struct acpi_srat_x2apic_cpu_affinity *a = (const void *)e;

	if (e[1] < sizeof(*a) || !(a->flags & ACPI_SRAT_ENABLED))
		return;
	srat_cpu(a->apic_id, a->proximity_domain);
}

static void srat_memory_affinity(const u8 *e)
{
	const struct acpi_srat_mem_affinity *m = (const void *)e;
	struct acpi_srat_memblk *b;

	if (e[1] < sizeof(*m) || !(m->flags & ACPI_SRAT_ENABLED) || !m->length_bytes)
		return; /* disabled entries are placeholders (Linux skips them too) */
	if (acpi_numa.nr_memblks >= ACPI_MAX_MEMBLKS) {
		pr_warn("ACPI: SRAT: too many memory ranges, the rest ignored\n");
		return;
	}
	b = &acpi_numa.memblk[acpi_numa.nr_memblks++];
	b->start = m->base_address;
	b->end = m->base_address + m->length_bytes;
	b->pxm = m->proximity_domain;
	b->hotpluggable = m->flags & ACPI_SRAT_MEM_HOT_PLUGGABLE;
}

static void parse_srat(void)
{
	const struct acpi_table_header *h = acpi_find_table("SRAT");

	if (!h) {
		pr_info("ACPI: SRAT not present\n");
		return;
	}
	acpi_numa.srat = true;
	/* Linux's order: x2APIC entries, then local APIC ones, then memory. */
	for_each_subtable(h, sizeof(struct acpi_srat), ACPI_SRAT_TYPE_X2APIC_CPU_AFFINITY,
			  srat_x2apic_affinity);
	for_each_subtable(h, sizeof(struct acpi_srat), ACPI_SRAT_TYPE_CPU_AFFINITY,
			  srat_cpu_affinity);
	for_each_subtable(h, sizeof(struct acpi_srat), ACPI_SRAT_TYPE_MEMORY_AFFINITY,
			  srat_memory_affinity);
}

bool acpi_slit_valid(const u8 *entries, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			u8 d = entries[i * n + j];

			if (i == j ? d != LOCAL_DISTANCE : d <= LOCAL_DISTANCE)
				return false;
		}
	return true;
}

bool acpi_parse_slit(const struct acpi_table_header *h)
{
	const struct acpi_slit *slit = (const void *)h;
	u64 n = slit->locality_count;

	acpi_numa.slit = false;
	if (h->length < sizeof(*slit) || n > ACPI_MAX_PXM || n * n > h->length - sizeof(*slit)) {
		pr_info("ACPI: SLIT: %lu localities do not fit, table not used\n", n);
		return false;
	}
	if (!acpi_slit_valid(slit->entry, (int)n)) {
		pr_info("ACPI: SLIT table looks invalid. Not used.\n");
		return false;
	}
	acpi_numa.slit_localities = (int)n;
	for (u64 i = 0; i < n; i++)
		for (u64 j = 0; j < n; j++)
			acpi_numa.slit_dist[i][j] = slit->entry[i * n + j];
	acpi_numa.slit = true;
	return true;
}

void acpi_init(void)
{
	const struct acpi_table_header *slit;

	if (!acpi_find_tables())
		return;
	parse_madt();
	parse_srat();
	slit = acpi_find_table("SLIT");
	if (slit)
		acpi_parse_slit(slit);
}

/* ACPI tables (ACPI 6.4 spec, chapter 5): the RSDP the boot loader found,
 * the RSDT/XSDT list of tables, and the three tables memos reads for NUMA
 * (concept C12): MADT (the CPUs and their local APIC ids), SRAT (which
 * memory ranges and CPUs belong to which proximity domain) and SLIT (the
 * relative distance between domains). The tables are parsed once at boot
 * into the plain arrays below; mm/numa.c turns them into nodes. */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include "kernel/types.h"

#define ACPI_MAX_CPUS	 64
#define ACPI_MAX_MEMBLKS 32
#define ACPI_MAX_PXM	 16 /* proximity domains we keep a SLIT row for */

/* Linux's names (include/linux/topology.h): SLIT's unit. */
#define LOCAL_DISTANCE	10
#define REMOTE_DISTANCE 20

/* Every table starts with this header (ACPI 6.4, 5.2.6). */
struct acpi_table_header {
	char signature[4];
	u32 length; /* of the whole table, header included */
	u8 revision;
	u8 checksum; /* all bytes of the table sum to 0 (mod 256) */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __packed;

struct acpi_srat_memblk {
	u64 start, end; /* [start, end) */
	u32 pxm;
	bool hotpluggable;
};

struct acpi_cpu {
	u32 apic_id;
	bool x2apic;
	int pxm; /* -1 until SRAT names it */
};

struct acpi_numa_info {
	bool srat; /* an SRAT with a checksum that adds up was found */
	int nr_memblks;
	struct acpi_srat_memblk memblk[ACPI_MAX_MEMBLKS];
	int nr_cpus; /* enabled CPUs in MADT order (logical CPU numbers) */
	struct acpi_cpu cpu[ACPI_MAX_CPUS];
	bool slit; /* a valid SLIT was found */
	int slit_localities;
	u8 slit_dist[ACPI_MAX_PXM][ACPI_MAX_PXM];
};

extern struct acpi_numa_info acpi_numa;

/* Finds and parses MADT, SRAT and SLIT through the RSDP in boot_info.
 * Runs while the boot page tables map the first 4 GiB. Never fails: a
 * missing or corrupt table is logged and treated as absent. */
void acpi_init(void);

/* Sum of len bytes mod 256: 0 for a valid table. */
u8 acpi_checksum(const void *p, size_t len);
/* Linux's slit_valid: the diagonal is LOCAL_DISTANCE and every other
 * entry is larger. n localities, entries row by row. */
bool acpi_slit_valid(const u8 *entries, int n);
/* Checks and records a SLIT (header included); false if it was rejected.
 * Exposed for the ktest that feeds it synthetic tables. */
bool acpi_parse_slit(const struct acpi_table_header *h);
/* The table with this signature, or NULL; checksums were checked. */
const struct acpi_table_header *acpi_find_table(const char sig[4]);

#endif

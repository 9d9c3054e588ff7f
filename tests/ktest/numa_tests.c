/* In-kernel tests of the NUMA pieces that real firmware rarely exercises
 * (concept C12): the SLIT validator and table checksum on synthetic
 * tables (QEMU refuses to write an invalid SLIT itself), and the
 * distance ordering of fallback lists, ties included. ktest=numa. */
#include "kernel/acpi.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/mmzone.h"
#include "mm/numa.h"

/* A SLIT with n localities: header, count, matrix; checksum made valid. */
static void make_slit(u8 *buf, int n, const u8 *matrix)
{
	struct acpi_table_header *h = (void *)buf;
	u64 count = (u64)n;

	memset(buf, 0, sizeof(*h) + 8 + (size_t)(n * n));
	memcpy(h->signature, "SLIT", 4);
	h->length = (u32)(sizeof(*h) + 8 + (size_t)(n * n));
	h->revision = 1;
	memcpy(buf + sizeof(*h), &count, 8);
	memcpy(buf + sizeof(*h) + 8, matrix, (size_t)(n * n));
	h->checksum = (u8)(0x100 - acpi_checksum(buf, h->length));
}

KTEST(numa)
{
	static const u8 good[9] = {10, 20, 30, 20, 10, 15, 30, 15, 10};
	static const u8 bad_diag[4] = {10, 20, 20, 11};
	static const u8 bad_remote[4] = {10, 10, 20, 10};
	static const u8 dist[MAX_NUMNODES][MAX_NUMNODES] = {
		{10, 20, 40, 20}, {20, 10, 25, 35}, {40, 25, 10, 15}, {20, 35, 15, 10}};
	static const int want[4][4] = {{0, 1, 3, 2}, {1, 0, 2, 3}, {2, 3, 1, 0}, {3, 2, 0, 1}};
	u8 buf[128], saved_dist[ACPI_MAX_PXM][ACPI_MAX_PXM];
	struct acpi_numa_info saved = acpi_numa;
	int order[MAX_NUMNODES];
	bool same = true;

	memcpy(saved_dist, acpi_numa.slit_dist, sizeof(saved_dist));
	KTEST_EXPECT(acpi_slit_valid(good, 3),
		     "a SLIT with 10 on the diagonal, > 10 elsewhere: valid");
	KTEST_EXPECT(!acpi_slit_valid(bad_diag, 2), "a diagonal entry of 11: invalid");
	KTEST_EXPECT(!acpi_slit_valid(bad_remote, 2), "a remote distance of 10: invalid");

	make_slit(buf, 3, good);
	KTEST_EXPECT(acpi_checksum(buf, ((struct acpi_table_header *)buf)->length) == 0,
		     "a table with a fixed-up checksum sums to 0");
	KTEST_EXPECT(acpi_parse_slit((void *)buf) && acpi_numa.slit &&
			     acpi_numa.slit_localities == 3 && acpi_numa.slit_dist[2][1] == 15,
		     "a valid SLIT is recorded (dist[2][1] = %u)", acpi_numa.slit_dist[2][1]);
	buf[sizeof(struct acpi_table_header) + 8] = 5; /* breaks the checksum too */
	KTEST_EXPECT(acpi_checksum(buf, ((struct acpi_table_header *)buf)->length) != 0,
		     "changing a byte makes the checksum fail");
	make_slit(buf, 2, bad_remote);
	KTEST_EXPECT(!acpi_parse_slit((void *)buf) && !acpi_numa.slit,
		     "an invalid SLIT is rejected (the log says 'Not used')");
	acpi_numa = saved;
	memcpy(acpi_numa.slit_dist, saved_dist, sizeof(saved_dist));

	for (int local = 0; local < 4; local++) {
		build_zonelist_order(local, 4, dist, order);
		for (int k = 0; k < 4; k++)
			same &= order[k] == want[local][k];
	}
	KTEST_EXPECT(same, "fallback lists follow distance, ties to the lower node id");
	KTEST_EXPECT(NODE_DATA(0)->zonelist[0] == 0, "node 0's fallback list starts with node 0");
}

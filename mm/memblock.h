/* memblock: the boot-time memory manager. Before struct pages and the buddy
 * allocator exist, it records which physical ranges are RAM and which are
 * taken (kernel image, boot info, modules, early allocations), and hands
 * out memory for page tables and the struct page array. */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/types.h"

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base, size;
};

/* Sorted, non-overlapping, adjacent regions merged. */
struct memblock_type {
	int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory, reserved;
	phys_addr_t limit; /* allocations stay below this (what is mapped) */
};

extern struct memblock memblock;

void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Returns a zeroed, reserved range of size bytes aligned to align, the
 * lowest that fits; panics if none does (boot cannot go on without it). */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_end_of_DRAM(void);

/* Calls fn for every range that is memory and not reserved, in order. */
void memblock_for_each_free_range(void (*fn)(phys_addr_t start, phys_addr_t end, void *arg),
				  void *arg);

#endif

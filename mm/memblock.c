/* Boot-time physical memory bookkeeping (see mm/memblock.h). */
#include "mm/memblock.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/layout.h"

struct memblock memblock;

static void remove_region(struct memblock_type *t, int i)
{
	memmove(&t->regions[i], &t->regions[i + 1],
		(size_t)(t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/* Adds [base, base+size) to t, keeping it sorted and merging overlapping or
 * touching neighbours into one region. */
static void memblock_insert(struct memblock_type *t, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	int i = 0;

	if (!size)
		return;
	while (i < t->cnt && t->regions[i].base + t->regions[i].size < base)
		i++;
	/* Absorb every region that overlaps or touches [base, end). */
	while (i < t->cnt && t->regions[i].base <= end) {
		phys_addr_t rend = t->regions[i].base + t->regions[i].size;

		base = MIN(base, t->regions[i].base);
		end = MAX(end, rend);
		remove_region(t, i);
	}
	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		panic("memblock: more than %d regions", MEMBLOCK_MAX_REGIONS);
	memmove(&t->regions[i + 1], &t->regions[i], (size_t)(t->cnt - i) * sizeof(t->regions[0]));
	t->regions[i].base = base;
	t->regions[i].size = end - base;
	t->cnt++;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.memory, base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_insert(&memblock.reserved, base, size);
}

void memblock_for_each_free_range(void (*fn)(phys_addr_t start, phys_addr_t end, void *arg),
				  void *arg)
{
	const struct memblock_type *res = &memblock.reserved;

	for (int m = 0; m < memblock.memory.cnt; m++) {
		phys_addr_t start = memblock.memory.regions[m].base;
		phys_addr_t end = start + memblock.memory.regions[m].size;

		for (int r = 0; r < res->cnt && start < end; r++) {
			phys_addr_t rb = res->regions[r].base, re = rb + res->regions[r].size;

			if (re <= start || rb >= end)
				continue;
			if (rb > start)
				fn(start, rb, arg);
			start = MAX(start, re);
		}
		if (start < end)
			fn(start, end, arg);
	}
}

struct alloc_request {
	phys_addr_t size, align, found;
};

static void try_fit(phys_addr_t start, phys_addr_t end, void *arg)
{
	struct alloc_request *req = arg;
	phys_addr_t base = ALIGN_UP(start, req->align);

	end = MIN(end, memblock.limit);
	if (!req->found && base < end && end - base >= req->size)
		req->found = base;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	struct alloc_request req = {size, align, 0};

	memblock_for_each_free_range(try_fit, &req);
	if (!req.found)
		panic("memblock: cannot allocate %lu bytes below %#lx", size, memblock.limit);
	memblock_reserve(req.found, size);
	memset(phys_to_virt(req.found), 0, size);
	return req.found;
}

phys_addr_t memblock_phys_mem_size(void)
{
	phys_addr_t total = 0;

	for (int i = 0; i < memblock.memory.cnt; i++)
		total += memblock.memory.regions[i].size;
	return total;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

/* Page-table operations shared by the kernel map and user address spaces
 * (see mm/pgtable.h). Tables are allocated from memblock during boot and
 * from the buddy allocator afterwards. Every change to a live mapping is
 * followed by a TLB invalidation: the CPU caches translations and would
 * otherwise keep using the old one. */
#include "mm/pgtable.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/memblock.h"

pte_t *kernel_pgd;
bool pgtable_use_buddy; /* set once the buddy allocator is running */

static pte_t *alloc_table(unsigned long *nr_tables)
{
	if (nr_tables)
		(*nr_tables)++;
	if (!pgtable_use_buddy)
		return phys_to_virt(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
	/* nr_tables: a user address space's table, counted in its VmPTE. */
	return get_free_pages(nr_tables ? GFP_PGTABLE_USER : GFP_KERNEL | __GFP_ZERO, 0);
}

static pte_t *table_at(pte_t entry)
{
	return phys_to_virt(pte_addr(entry));
}

/* Returns the next-level table under *entry, creating it if asked. Tables
 * under the user half carry U/S so user pages below them can be reached;
 * the final entry alone decides the real permissions. */
static pte_t *next_table(pte_t *entry, unsigned long va, bool alloc, unsigned long *nr_tables)
{
	pte_t *table;

	if (*entry & PTE_PRESENT)
		return (*entry & PTE_PSE) ? NULL : table_at(*entry);
	if (!alloc)
		return NULL;
	table = alloc_table(nr_tables);
	if (!table) {
		if (nr_tables)
			(*nr_tables)--;
		return NULL;
	}
	*entry = make_pte(virt_to_phys(table),
			  PTE_PRESENT | PTE_WRITE | (va < USER_SPACE_END ? PTE_USER : 0));
	return table;
}

static pte_t *walk_pmd(pte_t *pgd, unsigned long va, bool alloc, unsigned long *nr_tables)
{
	pte_t *pud, *pmd;

	pud = next_table(&pgd[pgd_index(va)], va, alloc, nr_tables);
	if (!pud)
		return NULL;
	pmd = next_table(&pud[pud_index(va)], va, alloc, nr_tables);
	if (!pmd)
		return NULL;
	return &pmd[pmd_index(va)];
}

static pte_t *walk_pte(pte_t *pgd, unsigned long va, bool alloc, unsigned long *nr_tables)
{
	pte_t *pmd_e = walk_pmd(pgd, va, alloc, nr_tables), *pt;

	if (!pmd_e)
		return NULL;
	pt = next_table(pmd_e, va, alloc, nr_tables);
	if (!pt)
		return NULL;
	return &pt[pte_index(va)];
}

pte_t *pgtable_walk_pmd(pte_t *pgd, unsigned long va, bool alloc)
{
	return walk_pmd(pgd, va, alloc, NULL);
}

pte_t *pgtable_walk(pte_t *pgd, unsigned long va, bool alloc)
{
	return walk_pte(pgd, va, alloc, NULL);
}

pte_t *pgtable_alloc_pte(pte_t *pgd, unsigned long va, unsigned long *nr_tables)
{
	return walk_pte(pgd, va, true, nr_tables);
}

/* Frees every table below the user half of pgd (entries 0-255); the
 * pages they mapped must already be gone. Returns how many were freed. */
unsigned long free_user_pgtables(pte_t *pgd)
{
	unsigned long n = 0;

	for (int i = 0; i < PTRS_PER_TABLE / 2; i++) {
		if (!(pgd[i] & PTE_PRESENT))
			continue;
		pte_t *pud = table_at(pgd[i]);
		for (int j = 0; j < PTRS_PER_TABLE; j++) {
			if (!(pud[j] & PTE_PRESENT))
				continue;
			pte_t *pmd = table_at(pud[j]);
			for (int k = 0; k < PTRS_PER_TABLE; k++) {
				if (!(pmd[k] & PTE_PRESENT))
					continue;
				free_pages(table_at(pmd[k]), 0);
				n++;
			}
			free_pages(pmd, 0);
			n++;
		}
		free_pages(pud, 0);
		n++;
		pgd[i] = 0;
	}
	return n;
}

void flush_tlb_one(pte_t *pgd, unsigned long va)
{
	if (virt_to_phys(pgd) == (read_cr3() & PTE_ADDR_MASK) || va >= USER_SPACE_END)
		invlpg(va);
}

int map_page(pte_t *pgd, unsigned long va, phys_addr_t pa, u64 flags)
{
	pte_t *pte;

	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) || !va_is_canonical(va))
		return -EINVAL;
	pte = pgtable_walk(pgd, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_PRESENT)
		return -EEXIST;
	*pte = make_pte(pa, flags | PTE_PRESENT);
	/* A not-present entry is never cached by the TLB: no flush needed. */
	return 0;
}

int unmap_page(pte_t *pgd, unsigned long va, pte_t *old)
{
	pte_t *pte = pgtable_walk(pgd, va, false);

	if (!pte || !(*pte & PTE_PRESENT))
		return -ENOENT;
	if (old)
		*old = *pte;
	*pte = 0;
	flush_tlb_one(pgd, va);
	return 0;
}

int protect_page(pte_t *pgd, unsigned long va, u64 flags)
{
	pte_t *pte = pgtable_walk(pgd, va, false);

	if (!pte || !(*pte & PTE_PRESENT))
		return -ENOENT;
	*pte = make_pte(pte_addr(*pte), flags | PTE_PRESENT);
	flush_tlb_one(pgd, va);
	return 0;
}

bool pgtable_lookup(pte_t *pgd, unsigned long va, struct pt_walk *w)
{
	pte_t *table = pgd;
	static const unsigned int shifts[5] = {0, PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT, PGDIR_SHIFT};

	for (int level = 4; level >= 1; level--) {
		pte_t e = table[(va >> shifts[level]) & 511];

		w->entry[level] = e;
		w->level = level;
		if (!(e & PTE_PRESENT))
			return false;
		if (level == 1 || (level <= 3 && (e & PTE_PSE))) {
			unsigned long size = 1UL << shifts[level];

			w->phys = (pte_addr(e) & ~(size - 1)) + (va & (size - 1));
			return true;
		}
		table = table_at(e);
	}
	return false;
}

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

static pte_t *alloc_table(void)
{
	if (!pgtable_use_buddy)
		return phys_to_virt(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
	return get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);
}

static pte_t *table_at(pte_t entry)
{
	return phys_to_virt(pte_addr(entry));
}

/* Returns the next-level table under *entry, creating it if asked. Tables
 * under the user half carry U/S so user pages below them can be reached;
 * the final entry alone decides the real permissions. */
static pte_t *next_table(pte_t *entry, unsigned long va, bool alloc)
{
	pte_t *table;

	if (*entry & PTE_PRESENT)
		return (*entry & PTE_PSE) ? NULL : table_at(*entry);
	if (!alloc)
		return NULL;
	table = alloc_table();
	if (!table)
		return NULL;
	*entry = make_pte(virt_to_phys(table),
			  PTE_PRESENT | PTE_WRITE | (va < USER_SPACE_END ? PTE_USER : 0));
	return table;
}

pte_t *pgtable_walk_pmd(pte_t *pgd, unsigned long va, bool alloc)
{
	pte_t *pud, *pmd;

	pud = next_table(&pgd[pgd_index(va)], va, alloc);
	if (!pud)
		return NULL;
	pmd = next_table(&pud[pud_index(va)], va, alloc);
	if (!pmd)
		return NULL;
	return &pmd[pmd_index(va)];
}

pte_t *pgtable_walk(pte_t *pgd, unsigned long va, bool alloc)
{
	pte_t *pmd_e = pgtable_walk_pmd(pgd, va, alloc), *pt;

	if (!pmd_e)
		return NULL;
	pt = next_table(pmd_e, va, alloc);
	if (!pt)
		return NULL;
	return &pt[pte_index(va)];
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

/* x86-64 4-level page tables (Intel SDM Vol. 3A, 4.5), with Linux's level
 * names: pgd (PML4) -> pud (PDPT) -> pmd (PD) -> pte (PT). Every entry is a
 * 64-bit word: a physical address plus flag bits. One API serves the kernel
 * map and, later, every user address space. */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "mm/layout.h"

typedef u64 pte_t; /* an entry at any level */

#define PTE_PRESENT  (1UL << 0)
#define PTE_WRITE    (1UL << 1)
#define PTE_USER     (1UL << 2) /* U/S: user mode may access */
#define PTE_PWT	     (1UL << 3)
#define PTE_PCD	     (1UL << 4)	 /* cache disable */
#define PTE_ACCESSED (1UL << 5)	 /* set by the CPU on any access */
#define PTE_DIRTY    (1UL << 6)	 /* set by the CPU on a write */
#define PTE_PSE	     (1UL << 7)	 /* in a pud/pmd: maps a 1 GiB/2 MiB page */
#define PTE_GLOBAL   (1UL << 8)	 /* survives CR3 reloads (kernel mappings) */
#define PTE_NX	     (1UL << 63) /* no execute; needs EFER.NXE */

#define PTE_ADDR_MASK  0x000ffffffffff000UL /* bits 51:12 */
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

#define PGDIR_SHIFT    39
#define PUD_SHIFT      30
#define PMD_SHIFT      21
#define PTRS_PER_TABLE 512
#define PMD_SIZE       (1UL << PMD_SHIFT) /* 2 MiB */
#define PUD_SIZE       (1UL << PUD_SHIFT) /* 1 GiB */

/* Protections with Linux's names. */
#define PAGE_KERNEL	  (PTE_PRESENT | PTE_WRITE | PTE_GLOBAL | PTE_NX)
#define PAGE_KERNEL_RO	  (PTE_PRESENT | PTE_GLOBAL | PTE_NX)
#define PAGE_KERNEL_EXEC  (PTE_PRESENT | PTE_GLOBAL)
#define PAGE_KERNEL_LARGE (PAGE_KERNEL | PTE_PSE)

static inline unsigned int pgd_index(unsigned long va)
{
	return (va >> PGDIR_SHIFT) & 511;
}

static inline unsigned int pud_index(unsigned long va)
{
	return (va >> PUD_SHIFT) & 511;
}

static inline unsigned int pmd_index(unsigned long va)
{
	return (va >> PMD_SHIFT) & 511;
}

static inline unsigned int pte_index(unsigned long va)
{
	return (va >> PAGE_SHIFT) & 511;
}

static inline phys_addr_t pte_addr(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

static inline pte_t make_pte(phys_addr_t pa, u64 flags)
{
	return (pa & PTE_ADDR_MASK) | flags;
}

/* Canonical: bits 63:47 all equal (48-bit virtual addresses). */
static inline bool va_is_canonical(unsigned long va)
{
	long s = (long)va >> 47;

	return s == 0 || s == -1;
}

/* The result of a walk: which level maps va (1 = 4 KiB pte, 2 = 2 MiB pmd,
 * 3 = 1 GiB pud), the entry at each level, and the physical address. */
struct pt_walk {
	int level;
	pte_t entry[5]; /* entry[4] = pgd entry ... entry[1] = pte */
	phys_addr_t phys;
};

extern pte_t *kernel_pgd;

/* Returns the pte for va, allocating missing tables if alloc is true;
 * NULL if a table is missing (alloc false), memory ran out, or va lies in
 * a 2 MiB/1 GiB mapping. */
pte_t *pgtable_walk(pte_t *pgd, unsigned long va, bool alloc);
/* The same one level up: returns the pmd entry for va (where a 2 MiB page
 * is mapped), or NULL as above. */
pte_t *pgtable_walk_pmd(pte_t *pgd, unsigned long va, bool alloc);
/* pgtable_walk(alloc=true) that adds the tables it creates to *nr_tables
 * (a user address space's VmPTE). */
pte_t *pgtable_alloc_pte(pte_t *pgd, unsigned long va, unsigned long *nr_tables);
/* Frees the page tables of the user half; returns how many. */
unsigned long free_user_pgtables(pte_t *pgd);

/* Maps one 4 KiB page; returns 0, -ENOMEM, -EEXIST (already mapped) or
 * -EINVAL (unaligned or non-canonical address). */
int map_page(pte_t *pgd, unsigned long va, phys_addr_t pa, u64 flags);
/* Removes the mapping of va; returns 0 (old entry in *old if non-NULL) or
 * -ENOENT if nothing was mapped there. */
int unmap_page(pte_t *pgd, unsigned long va, pte_t *old);
/* Replaces the flags of an existing 4 KiB mapping; 0 or -ENOENT. */
int protect_page(pte_t *pgd, unsigned long va, u64 flags);
/* Translates va, following large pages; returns true if mapped. */
bool pgtable_lookup(pte_t *pgd, unsigned long va, struct pt_walk *w);

/* Invalidates va in the TLB if pgd is the active address space. */
void flush_tlb_one(pte_t *pgd, unsigned long va);

#endif

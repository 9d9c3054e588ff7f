/* Swap (concept C13): anonymous pages written to a disk area and read back
 * on the next touch. A swapped-out page leaves a swap entry in its PTE:
 * present bit clear, the area's index and the slot's offset in the other
 * bits, so the fault handler knows where to read it from. */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include "mm/mm.h"
#include "mm/page.h"

#define MAX_SWAPFILES 8

typedef struct {
	unsigned long val; /* type << SWP_TYPE_SHIFT | offset; 0 = none */
} swp_entry_t;

#define SWP_TYPE_SHIFT	58
#define SWP_OFFSET_MASK ((1UL << SWP_TYPE_SHIFT) - 1)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){((unsigned long)type << SWP_TYPE_SHIFT) | offset};
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return (unsigned int)(e.val >> SWP_TYPE_SHIFT);
}

static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val & SWP_OFFSET_MASK;
}

/* In a PTE: bit 0 (present) clear, bit 1 set to tell it from an empty
 * entry, type in bits 2-6, offset from bit 12 (where a frame number would
 * be). */
#define PTE_SWP_MARK (1UL << 1)

static inline bool pte_is_swap(pte_t pte)
{
	return !(pte & PTE_PRESENT) && (pte & PTE_SWP_MARK);
}

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return PTE_SWP_MARK | ((u64)swp_type(e) << 2) | (swp_offset(e) << PAGE_SHIFT);
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	return swp_entry((unsigned int)((pte >> 2) & 0x1f), (pte & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

struct block_device;

/* mm/swapfile.c: swap areas and their slots. */
extern unsigned long nr_swap_pages; /* free slots in all areas */
int swapon_bdev(struct block_device *bdev, int prio);
/* A free slot with a count of 1 (the swap cache's), or {0} if swap is
 * full or absent. */
swp_entry_t get_swap_page(void);
/* Adds a reference (a PTE now holds the entry). */
void swap_duplicate(swp_entry_t e);
/* Drops a reference; the last one frees the slot. Returns what is left. */
int swap_free(swp_entry_t e);
int swap_count(swp_entry_t e);
struct block_device *swap_bdev(swp_entry_t e);
void swapon_all(void);
struct page **swap_cache_slot(swp_entry_t e);
struct seq_buf;
void swaps_show(struct seq_buf *s);

/* mm/swap_state.c: the swap cache and swap I/O. */
struct page *lookup_swap_cache(swp_entry_t e);
/* Puts page in slot e's cache entry; if shadowp, *shadowp gets the shadow
 * entry the slot held (mm/workingset.c), or NULL. */
void add_to_swap_cache(struct page *page, swp_entry_t e, void **shadowp);
void delete_from_swap_cache(struct page *page);
/* The same, leaving shadow (reclaim's eviction record) in the slot. */
void __delete_from_swap_cache(struct page *page, void *shadow);
int swap_writepage(struct page *page, swp_entry_t e);
int swap_readpage(struct page *page, swp_entry_t e);
/* Drops the swap cache's page once no PTE refers to the slot any more. */
void try_to_free_swap(swp_entry_t e);

/* mm/fault.c: reads the page behind a swap PTE back in (a major fault);
 * 0 or -ENOMEM/-EIO. */
int swapin_pte(struct mm_struct *mm, struct vm_area_struct *v, unsigned long va, pte_t *pte);
/* vm.page-cluster: a major swap fault reads up to 2^page_cluster pages. */
extern int page_cluster;

/* mm/rmap.c: from a page to the PTEs that map it. */
int page_referenced(struct page *page);
/* kidled's look (mm/idle.c): harvests the accessed bits into PG_young
 * and returns true if the page was accessed since PG_idle was set. */
bool page_idle_harvest(struct page *page);
/* Replaces every PTE mapping page with the swap entry; true if none is
 * left. */
bool try_to_unmap(struct page *page, swp_entry_t e);
/* The same for a shmem page: its PTEs are cleared (the object keeps the
 * swap entry), each dropping its page reference. */
void try_to_unmap_shmem(struct page *page);

/* mm/workingset.c: refault detection. */
bool is_shadow_entry(const void *entry);
/* The shadow entry an evicted page leaves; ticks the node's age. */
void *workingset_eviction(struct page *page);
/* A page read back from swap whose slot held shadow: may set PG_active. */
void workingset_refault(struct page *page, void *shadow);
struct pglist_data;
void workingset_age_nonresident(struct pglist_data *pgdat, unsigned long nr);

/* mm/vmscan.c: LRU lists and reclaim. */
void lru_cache_add(struct page *page);
void lru_del(struct page *page);
/* Swaps an anonymous LRU page out and unmaps it everywhere; true if it
 * was freed (used by kswapd, direct reclaim, kidled and MADV_PAGEOUT). */
bool reclaim_page(struct page *page);
void wakeup_kswapd(int nid);
/* Direct reclaim by the allocating task; returns pages freed. */
unsigned long try_to_free_pages(unsigned long nodemask, unsigned long nr);
struct pglist_data;
/* zone_reclaim_mode: reclaim this node before falling back (vmscan.c). */
bool node_reclaim(struct pglist_data *pgdat, unsigned int gfp, unsigned int order);
void kswapd_init(void);
extern int vm_swappiness;

#endif

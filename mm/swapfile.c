/* Swap areas (concept C13): a partition prepared by the host's mkswap is
 * enabled at boot, or with swapon(2). Its first page holds Linux's header
 * (version 1, "SWAPSPACE2" in the last 10 bytes); every other page is a
 * slot, and swap_map[slot] counts the references to it: the swap cache's
 * and one per PTE that holds the swap entry. Linux's checks and messages. */
#include "mm/swap.h"
#include "mm/shmem.h"
#include "kernel/block.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/overcommit.h"
#include "kernel/fs/procfs.h"
#include "kernel/sched.h"
#include "mm/mmap.h"

#define SWAP_MAP_BAD	  0xffff /* a bad block listed in the header */
#define MAX_SWAP_BADPAGES 637	 /* what fits in the header page */

/* Linux's union swap_header, version 1 (include/linux/swap.h). */
struct swap_header_v1 {
	char bootbits[1024];
	u32 version;
	u32 last_page;
	u32 nr_badpages;
	u8 sws_uuid[16];
	u8 sws_volume[16];
	u32 padding[117];
	u32 badpages[];
};

struct swap_info_struct {
	struct block_device *bdev;
	unsigned long max;   /* slots 0..max-1; slot 0 is the header */
	unsigned long pages; /* usable slots */
	unsigned long inuse_pages;
	unsigned long next;  /* where the slot search resumes */
	u16 *swap_map;	     /* reference count per slot */
	struct page **cache; /* the swap cache: page, shadow entry or NULL per slot */
	int prio;
};

static struct swap_info_struct *swap_info[MAX_SWAPFILES];
static int nr_swapfiles;
static int least_priority = -1; /* the first area gets -2, as Linux */
unsigned long nr_swap_pages;

static struct swap_info_struct *swap_info_of(swp_entry_t e)
{
	unsigned int type = swp_type(e);

	return type < MAX_SWAPFILES ? swap_info[type] : NULL;
}

struct page **swap_cache_slot(swp_entry_t e)
{
	return &swap_info_of(e)->cache[swp_offset(e)];
}

struct block_device *swap_bdev(swp_entry_t e)
{
	return swap_info_of(e)->bdev;
}

static unsigned int table_order(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* The per-slot arrays come straight from the buddy allocator: zeroed, no
 * header, so a power-of-two size wastes nothing. NULL past 4 MiB (the
 * largest block: a 2 GiB area's swap cache). */
static void *alloc_table(size_t bytes)
{
	unsigned int order = table_order(bytes);

	return order <= MAX_ORDER ? get_free_pages(GFP_KERNEL | __GFP_ZERO, order) : NULL;
}

static void free_table(void *table, size_t bytes)
{
	free_pages(table, table_order(bytes));
}

/* Reads and checks the header; returns the number of slots (last_page+1)
 * or -EINVAL with Linux's message. */
static long read_swap_header(struct block_device *bdev, struct swap_header_v1 *h)
{
	unsigned long dev_pages = bdev->nr_sectors / SECTORS_PER_PAGE;

	if (bdev_read(bdev, 0, h, SECTORS_PER_PAGE)) {
		pr_err("swapon: %s: cannot read the swap header\n", bdev->name);
		return -EIO;
	}
	if (memcmp((char *)h + PAGE_SIZE - 10, "SWAPSPACE2", 10)) {
		pr_err("Unable to find swap-space signature\n");
		return -EINVAL;
	}
	if (h->version != 1) {
		pr_warn("Unable to handle swap header version %u\n", h->version);
		return -EINVAL;
	}
	if (h->nr_badpages > MAX_SWAP_BADPAGES) {
		pr_warn("Swap area has too many bad pages\n");
		return -EINVAL;
	}
	if (h->last_page + 1UL > dev_pages) {
		pr_warn("Swap area shorter than signature indicates\n");
		return -EINVAL;
	}
	if (h->last_page == 0) {
		pr_warn("Empty swap-file\n");
		return -EINVAL;
	}
	return (long)h->last_page + 1;
}

int swapon_bdev(struct block_device *bdev, int prio)
{
	struct swap_header_v1 *h = get_free_pages(GFP_KERNEL, 0);
	struct swap_info_struct *si;
	long max;
	int type;

	if (!h)
		return -ENOMEM;
	for (type = 0; type < nr_swapfiles; type++)
		if (swap_info[type] && swap_info[type]->bdev == bdev) {
			free_pages(h, 0);
			return -EBUSY;
		}
	max = read_swap_header(bdev, h);
	si = max > 0 ? kzalloc(sizeof(*si), GFP_KERNEL) : NULL;
	if (si) {
		si->swap_map = alloc_table((size_t)max * sizeof(u16));
		si->cache = alloc_table((size_t)max * sizeof(struct page *));
	}
	if (max <= 0 || !si || !si->swap_map || !si->cache) {
		if (si) {
			free_table(si->swap_map, (size_t)max * sizeof(u16));
			free_table(si->cache, (size_t)max * sizeof(struct page *));
		}
		kfree(si);
		free_pages(h, 0);
		return max <= 0 ? (int)max : -ENOMEM;
	}
	si->bdev = bdev;
	si->max = (unsigned long)max;
	si->swap_map[0] = SWAP_MAP_BAD; /* the header */
	for (u32 i = 0; i < h->nr_badpages; i++)
		if (h->badpages[i] > 0 && h->badpages[i] < si->max)
			si->swap_map[h->badpages[i]] = SWAP_MAP_BAD;
	for (unsigned long i = 0; i < si->max; i++)
		si->pages += si->swap_map[i] == 0;
	si->next = 1;
	si->prio = prio >= 0 ? prio : --least_priority;
	for (type = 0; type < MAX_SWAPFILES && swap_info[type]; type++)
		;
	if (type == MAX_SWAPFILES) {
		free_table(si->swap_map, si->max * sizeof(u16));
		free_table(si->cache, si->max * sizeof(struct page *));
		kfree(si);
		free_pages(h, 0);
		return -EPERM;
	}
	swap_info[type] = si;
	nr_swapfiles = MAX(nr_swapfiles, type + 1);
	nr_swap_pages += si->pages;
	total_swap_pages += si->pages;
	pr_info("Adding %luk swap on /dev/%s.  Priority:%d extents:1 across:%luk\n",
		si->pages * (PAGE_SIZE / 1024), bdev->name, si->prio,
		(si->max - 1) * (PAGE_SIZE / 1024));
	free_pages(h, 0);
	return 0;
}

/* Highest priority area with a free slot; first fit from where the last
 * search stopped, so slots are handed out in disk order. */
swp_entry_t get_swap_page(void)
{
	struct swap_info_struct *best = NULL;
	int best_type = 0;

	for (int t = 0; t < nr_swapfiles; t++) {
		struct swap_info_struct *si = swap_info[t];

		if (si && si->inuse_pages < si->pages && (!best || si->prio > best->prio)) {
			best = si;
			best_type = t;
		}
	}
	if (!best)
		return (swp_entry_t){0};
	for (unsigned long n = 0; n < best->max; n++) {
		unsigned long slot = best->next;

		best->next = best->next + 1 < best->max ? best->next + 1 : 1;
		if (best->swap_map[slot] == 0) {
			best->swap_map[slot] = 1;
			best->inuse_pages++;
			nr_swap_pages--;
			return swp_entry(best_type, slot);
		}
	}
	return (swp_entry_t){0};
}

void swap_duplicate(swp_entry_t e)
{
	swap_info_of(e)->swap_map[swp_offset(e)]++;
}

int swap_free(swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_of(e);
	u16 *count = &si->swap_map[swp_offset(e)];

	if (--*count == 0) {
		si->cache[swp_offset(e)] = NULL; /* a shadow entry dies with its slot */
		si->inuse_pages--;
		nr_swap_pages++;
	}
	return *count;
}

int swap_count(swp_entry_t e)
{
	return swap_info_of(e)->swap_map[swp_offset(e)];
}

/* Enables every partition of type 0x82 (Linux swap) at boot. */
void swapon_all(void)
{
	struct block_device *b;

	list_for_each_entry(b, &block_devices, list) if (b->part_type == 0x82 && swapon_bdev(b, -1))
		pr_warn("swap: /dev/%s not enabled; running without it\n", b->name);
}

/* swapon(2): path is /dev/NAME of a block device (the kernel's names). */
SYSCALL_DEFINE2(167, swapon, const char __user *, path, int, flags)
{
	char name[32];
	long n = strncpy_from_user(name, path, sizeof(name));
	struct block_device *b;

	if (n < 0)
		return n;
	if (strncmp(name, "/dev/", 5))
		return -ENOENT;
	b = lookup_bdev(name + 5);
	if (!b)
		return -ENOENT;
	return swapon_bdev(b, (flags & 0x8000) ? (flags & 0x7fff) : -1);
}

/* Brings every page of area type back into memory (swapoff): each PTE
 * holding one of its entries is faulted in through the normal swap-in
 * path. Returns 0, or -ENOMEM if memory ran out (the area stays on). */
static int try_to_unuse(int type)
{
	struct task_struct *t;

	for_each_process(t)
	{
		struct vm_area_struct *v;

		if (!t->mm)
			continue;
		list_for_each_entry(v, &t->mm->mmap, vm_list)
		{
			for (unsigned long va = v->vm_start; va < v->vm_end; va += PAGE_SIZE) {
				pte_t *pte = pgtable_walk(t->mm->pgd, va, false);

				if (!pte || !pte_is_swap(*pte) ||
				    swp_type(pte_to_swp_entry(*pte)) != (unsigned)type)
					continue;
				if (swapin_pte(t->mm, v, va, pte))
					return -ENOMEM;
			}
		}
	}
	/* Shared anonymous pages: their entries are in their objects. */
	if (shmem_unuse(type))
		return -ENOMEM;
	/* What is left are pages only the swap cache holds. */
	for (unsigned long slot = 1; slot < swap_info[type]->max; slot++)
		if (lookup_swap_cache(swp_entry(type, slot)))
			try_to_free_swap(swp_entry(type, slot));
	return swap_info[type]->inuse_pages ? -EBUSY : 0;
}

static int swapoff_type(int type)
{
	struct swap_info_struct *si = swap_info[type];
	int err;

	/* Linux refuses if the pages could not fit without overcommitting. */
	if (sysctl_overcommit_memory == OVERCOMMIT_NEVER &&
	    vm_committed_pages > vm_commit_limit() - si->pages)
		return -ENOMEM;
	err = try_to_unuse(type);
	if (err)
		return err;
	nr_swap_pages -= si->pages;
	total_swap_pages -= si->pages;
	swap_info[type] = NULL;
	pr_info("swapoff: /dev/%s: every page is back in memory\n", si->bdev->name);
	free_table(si->swap_map, si->max * sizeof(u16));
	free_table(si->cache, si->max * sizeof(struct page *));
	kfree(si);
	return 0;
}

/* swapoff(2): every swapped-out page is read back first; if memory cannot
 * take them, the area stays on and -ENOMEM says why. */
SYSCALL_DEFINE1(168, swapoff, const char __user *, path)
{
	char name[32];
	long n = strncpy_from_user(name, path, sizeof(name));

	if (n < 0)
		return n;
	for (int type = 0; type < nr_swapfiles; type++)
		if (swap_info[type] && !strncmp(name, "/dev/", 5) &&
		    !strcmp(swap_info[type]->bdev->name, name + 5))
			return swapoff_type(type);
	return -EINVAL;
}

/* /proc/swaps, in Linux's layout (mm/swapfile.c swap_show). */
void swaps_show(struct seq_buf *s)
{
	seq_printf(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (int t = 0; t < nr_swapfiles; t++) {
		const struct swap_info_struct *si = swap_info[t];
		char path[32];
		int len;

		if (!si)
			continue;
		len = snprintf(path, sizeof(path), "/dev/%s", si->bdev->name);
		seq_printf(s, "%s%*s%s\t%lu\t\t%lu\t\t%d\n", path, len < 40 ? 40 - len : 1, " ",
			   "partition", si->pages * (PAGE_SIZE / 1024),
			   si->inuse_pages * (PAGE_SIZE / 1024), si->prio);
	}
}

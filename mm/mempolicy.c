/* NUMA memory policies (concept C12): set_mempolicy, mbind and
 * get_mempolicy, and the allocation functions that obey them.
 *
 * A page for a user address follows the policy of its VMA (set by mbind)
 * or, if that is MPOL_DEFAULT, the task's (set_mempolicy, inherited by
 * fork, kept by execve); pages the kernel allocates for a task (page
 * cache, page tables) follow the task's, as in Linux. The policy picks
 * the fallback list and the allowed nodes for mm/page_alloc.c:
 *   default/local  the CPU's node, then its fallback list
 *   preferred      the given node, then that node's fallback list
 *   bind           only the given nodes, nearest to the CPU first
 *   interleave     one node per page, round robin: by the page's offset
 *                  in the VMA for a VMA policy, by a per-task counter
 *                  (il_prev) for the task policy; falls back if full.
 * Nodemasks cross the system call boundary as Linux's: an array of
 * unsigned long, maxnode - 1 bits of it significant. mbind's
 * MPOL_MF_MOVE migrates the range's private anonymous pages that only
 * this process maps onto the new policy's nodes (a copy, the PTE
 * repointed, the old frame freed). */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/gfp.h"
#include "mm/mmap.h"
#include "mm/mmzone.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "kernel/string.h"

#define BITS_PER_LONG 64
#define NR_NODE_IDS   nr_online_nodes /* Linux's nr_node_ids */

static int first_node(unsigned long nodes)
{
	return nodes ? __builtin_ctzl(nodes) : -1;
}

static int nodes_weight(unsigned long nodes)
{
	int n = 0;

	for (; nodes; nodes &= nodes - 1)
		n++;
	return n;
}

/* The next node in nodes after n, wrapping around (Linux's next_node_in). */
static int next_node_in(int n, unsigned long nodes)
{
	unsigned long after = n + 1 < BITS_PER_LONG ? nodes & (~0UL << (n + 1)) : 0;

	return first_node(after ? after : nodes);
}

/* Interleave for a VMA policy: the page's offset picks the node (Linux's
 * offset_il_node), so the same page always maps to the same node. */
static int offset_il_node(const struct mempolicy *pol, unsigned long off)
{
	unsigned long target = off % (unsigned long)nodes_weight(pol->nodes);
	int nid = first_node(pol->nodes);

	while (target--)
		nid = next_node_in(nid, pol->nodes);
	return nid;
}

/* Interleave for the task policy: the next node after the last one. */
static int interleave_nodes(const struct mempolicy *pol)
{
	current->il_prev = next_node_in(current->il_prev, pol->nodes);
	return current->il_prev;
}

static struct page *alloc_page_interleave(gfp_t gfp, unsigned int order, int nid)
{
	struct page *page = __alloc_pages(gfp, order, nid, NODE_MASK_ALL);

	if (page && page_to_nid(page) == nid)
		NODE_DATA(nid)->numa_events[NUMA_INTERLEAVE_HIT] += 1UL << order;
	return page;
}

/* Allocation under pol (NULL: local); il_off is the VMA page offset for
 * interleave, or -1 to use the task's counter. */
static struct page *alloc_pages_policy(gfp_t gfp, unsigned int order, const struct mempolicy *pol,
				       long il_off)
{
	switch (pol ? pol->mode : MPOL_DEFAULT) {
	case MPOL_PREFERRED:
		return __alloc_pages(gfp, order, first_node(pol->nodes), NODE_MASK_ALL);
	case MPOL_BIND:
		return __alloc_pages(gfp, order, numa_node_id(), pol->nodes);
	case MPOL_INTERLEAVE:
		return alloc_page_interleave(gfp, order,
					     il_off < 0
						     ? interleave_nodes(pol)
						     : offset_il_node(pol, (unsigned long)il_off));
	default:
		return __alloc_pages(gfp, order, numa_node_id(), NODE_MASK_ALL);
	}
}

/* Kernel threads, the boot thread and atomic allocations (which may run
 * in an interrupt, on behalf of nobody) use the default policy. */
static const struct mempolicy *task_policy(gfp_t gfp)
{
	if (!current || !current->mm || (gfp & __GFP_HIGH))
		return NULL;
	return &current->mempolicy;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_policy(gfp, order, task_policy(gfp), -1);
}

/* The VMA's policy if it has one, else the task's. */
static const struct mempolicy *vma_policy(const struct vm_area_struct *vma)
{
	if (vma && vma->vm_policy.mode != MPOL_DEFAULT)
		return &vma->vm_policy;
	return current ? &current->mempolicy : NULL;
}

struct page *alloc_page_vma(gfp_t gfp, struct vm_area_struct *vma, unsigned long addr)
{
	const struct mempolicy *pol = vma_policy(vma);
	long off = -1;

	if (vma && pol == &vma->vm_policy && pol->mode == MPOL_INTERLEAVE)
		/* Anonymous: the virtual page number (Linux's anon vm_pgoff
		 * is vm_start >> PAGE_SHIFT); shared: the index in the object. */
		off = (long)(vma->shm ? vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT)
				      : addr >> PAGE_SHIFT);
	return alloc_pages_policy(gfp, 0, pol, off);
}

/* Reads a user nodemask (Linux's get_nodes): maxnode - 1 bits of nmask
 * count; bits for nodes past MAX_NUMNODES must be clear. 0, -EINVAL or
 * -EFAULT. */
static int get_nodes(unsigned long *nodes, const unsigned long __user *nmask, unsigned long maxnode)
{
	unsigned long nbits, words, word;

	*nodes = 0;
	if (maxnode)
		maxnode--;
	if (!maxnode || !nmask)
		return 0;
	if (maxnode > PAGE_SIZE * 8)
		return -EINVAL;
	nbits = maxnode;
	words = DIV_ROUND_UP(nbits, BITS_PER_LONG);
	for (unsigned long i = 0; i < words; i++) {
		unsigned long valid = nbits - i * BITS_PER_LONG;

		if (copy_from_user(&word, nmask + i, sizeof(word)))
			return -EFAULT;
		if (valid < BITS_PER_LONG)
			word &= (1UL << valid) - 1;
		if (i == 0) {
			if (word >> MAX_NUMNODES)
				return -EINVAL; /* a node id we can never have */
			*nodes = word;
		} else if (word) {
			return -EINVAL;
		}
	}
	return 0;
}

/* Writes a nodemask for a user buffer of maxnode - 1 bits (Linux's
 * copy_nodes_to_user): words past what we have are zeroed. */
static int copy_nodes_to_user(unsigned long __user *mask, unsigned long maxnode,
			      unsigned long nodes)
{
	unsigned long copy = ALIGN_UP(maxnode - 1, BITS_PER_LONG) / 8;
	unsigned long nbytes = sizeof(unsigned long);

	if (copy > nbytes) {
		if (copy > PAGE_SIZE)
			return -EINVAL;
		if (clear_user((char __user *)mask + nbytes, copy - nbytes))
			return -EFAULT;
		copy = nbytes;
	}
	return copy_to_user(mask, &nodes, copy) ? -EFAULT : 0;
}

/* Builds a policy from the system call's mode and nodes (Linux's
 * mpol_new and mpol_set_nodemask). Nodes that are not online are
 * dropped; nothing left for a mode that needs nodes is EINVAL. */
static int mpol_new(struct mempolicy *pol, unsigned long mode_arg, unsigned long nodes)
{
	unsigned short flags = (unsigned short)(mode_arg & MPOL_MODE_FLAGS);
	unsigned long mode = mode_arg & ~(unsigned long)MPOL_MODE_FLAGS;

	if (mode >= MPOL_MAX || ((flags & MPOL_F_STATIC_NODES) && (flags & MPOL_F_RELATIVE_NODES)))
		return -EINVAL;
	switch (mode) {
	case MPOL_DEFAULT:
		if (nodes)
			return -EINVAL;
		*pol = (struct mempolicy){MPOL_DEFAULT, 0, 0};
		return 0;
	case MPOL_PREFERRED:
		if (!nodes) {
			if (flags)
				return -EINVAL;
			mode = MPOL_LOCAL; /* preferred with no node: local */
		}
		break;
	case MPOL_LOCAL:
		if (nodes || flags)
			return -EINVAL;
		break;
	default: /* MPOL_BIND, MPOL_INTERLEAVE */
		if (!nodes)
			return -EINVAL;
	}
	nodes &= node_online_map();
	if (mode != MPOL_LOCAL && !nodes)
		return -EINVAL;
	if (mode == MPOL_PREFERRED)
		nodes = 1UL << first_node(nodes);
	*pol = (struct mempolicy){(unsigned short)mode, flags, nodes};
	return 0;
}

SYSCALL_DEFINE3(238, set_mempolicy, int, mode, const unsigned long __user *, nmask, unsigned long,
		maxnode)
{
	struct mempolicy pol;
	unsigned long nodes;
	int err = get_nodes(&nodes, nmask, maxnode);

	if (!err)
		err = mpol_new(&pol, (unsigned long)(unsigned int)mode, nodes);
	if (err)
		return err;
	current->mempolicy = pol;
	if (pol.mode == MPOL_INTERLEAVE)
		current->il_prev = MAX_NUMNODES - 1; /* the first page goes to the first node */
	return 0;
}

/* The node of the page at addr (Linux's lookup_node). Like Linux, which
 * takes the page with get_user_pages, a page not present yet is faulted
 * in (a read fault: it is allocated now, under the policy); swapped-out
 * pages come back the same way. Node id, or -EFAULT. */
static long lookup_node(struct mm_struct *mm, unsigned long addr)
{
	struct pt_walk w;

	if (!pgtable_lookup(mm->pgd, addr, &w) && handle_mm_fault(mm, addr, 0, NULL))
		return -EFAULT;
	if (!pgtable_lookup(mm->pgd, addr, &w))
		return -EFAULT;
	return page_to_nid(pfn_to_page(PFN_DOWN(w.phys)));
}

/* The nodes a policy names, for get_mempolicy's nodemask. */
static unsigned long policy_nodemask(const struct mempolicy *pol)
{
	switch (pol->mode) {
	case MPOL_BIND:
	case MPOL_INTERLEAVE:
	case MPOL_PREFERRED:
		return pol->nodes;
	default:
		return 0;
	}
}

SYSCALL_DEFINE5(239, get_mempolicy, int __user *, policy, unsigned long __user *, nmask,
		unsigned long, maxnode, unsigned long, addr, unsigned long, flags)
{
	static const struct mempolicy default_policy = {MPOL_DEFAULT, 0, 0};
	const struct mempolicy *pol = &current->mempolicy;
	int mode;
	long node;

	if (nmask && maxnode < (unsigned long)NR_NODE_IDS)
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		mode = 0;
		if (policy && copy_to_user(policy, &mode, sizeof(mode)))
			return -EFAULT;
		return nmask ? copy_nodes_to_user(nmask, maxnode, node_online_map()) : 0;
	}
	if (flags & MPOL_F_ADDR) {
		struct vm_area_struct *v = find_vma(current->mm, addr);

		if (!v || addr < v->vm_start)
			return -EFAULT;
		pol = v->vm_policy.mode != MPOL_DEFAULT ? &v->vm_policy : &default_policy;
	} else if (addr) {
		return -EINVAL;
	}
	if (flags & MPOL_F_NODE) {
		if (flags & MPOL_F_ADDR) {
			node = lookup_node(current->mm, addr);
			if (node < 0)
				return node;
			mode = (int)node;
		} else if (pol == &current->mempolicy && pol->mode == MPOL_INTERLEAVE) {
			mode = next_node_in(current->il_prev, pol->nodes);
		} else {
			return -EINVAL;
		}
	} else {
		mode = pol->mode | (pol->flags & MPOL_MODE_FLAGS);
	}
	if (policy && copy_to_user(policy, &mode, sizeof(mode)))
		return -EFAULT;
	return nmask ? copy_nodes_to_user(nmask, maxnode, policy_nodemask(pol)) : 0;
}

/* Whether a page on node nid breaks pol (a policy without nodes wants
 * the CPU's node). */
static bool misplaced(const struct mempolicy *pol, int nid)
{
	unsigned long want = pol->nodes ? pol->nodes : 1UL << numa_node_id();

	return !((want >> nid) & 1);
}

/* Moves the private anonymous page mapped at va by pte (v's policy is
 * already the new one) to a new frame allocated under it. Only pages this
 * mapping alone holds: not shared copy-on-write, not in the swap cache,
 * not shmem or page cache. Returns true if it moved. */
static bool migrate_anon_page(struct mm_struct *mm, struct vm_area_struct *v, unsigned long va,
			      pte_t *pte)
{
	struct page *old = pfn_to_page(PFN_DOWN(pte_addr(*pte))), *page;

	if (!PageFlag(old, PG_anon) || old->_refcount != 1 || PageFlag(old, PG_swapcache))
		return false;
	page = alloc_page_vma(GFP_KERNEL, v, va);
	if (!page)
		return false;
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	SetPageFlag(page, PG_anon);
	mod_node_page_state(page, NR_ANON_MAPPED, 1);
	page->index = va; /* the reverse map's address, as a fault sets it */
	lru_cache_add(page);
	*pte = make_pte(page_to_phys(page), *pte & PTE_FLAGS_MASK);
	flush_tlb_one(mm->pgd, va);
	put_page(old); /* the last reference: off the LRU, freed */
	return true;
}

/* MPOL_MF_MOVE over [start, end), whose VMAs carry pol: returns how many
 * misplaced present pages could not be moved. */
static unsigned long migrate_range(struct mm_struct *mm, unsigned long start, unsigned long end,
				   const struct mempolicy *pol)
{
	unsigned long stuck = 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		struct vm_area_struct *v = find_vma(mm, va);
		pte_t *pte = pgtable_walk(mm->pgd, va, false);
		struct page *page;

		if (!v || !pte || !(*pte & PTE_PRESENT))
			continue;
		page = pfn_to_page(PFN_DOWN(pte_addr(*pte)));
		if (!misplaced(pol, page_to_nid(page)))
			continue;
		if (!migrate_anon_page(mm, v, va, pte))
			stuck++;
	}
	return stuck;
}

SYSCALL_DEFINE6(237, mbind, unsigned long, start, unsigned long, len, unsigned long, mode,
		const unsigned long __user *, nmask, unsigned long, maxnode, unsigned int, flags)
{
	struct mempolicy pol;
	unsigned long nodes, end;
	int err;

	if (flags & ~(unsigned int)(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	err = get_nodes(&nodes, nmask, maxnode);
	if (!err)
		err = mpol_new(&pol, mode, nodes);
	if (err || end == start)
		return err;
	if (!(flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)))
		return mbind_range(current->mm, start, end, &pol, flags & MPOL_MF_STRICT);
	err = mbind_range(current->mm, start, end, &pol, false);
	if (err)
		return err;
	/* As Linux: pages that could not move are an error only with STRICT. */
	return migrate_range(current->mm, start, end, &pol) && (flags & MPOL_MF_STRICT) ? -EIO : 0;
}

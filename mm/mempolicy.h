/* NUMA memory policies (concept C12): where a task's pages come from.
 * Linux's modes, flags and system call numbers (set_mempolicy 238,
 * get_mempolicy 239, mbind 237); a policy is a mode and a node bitmap,
 * held by value in the task (set_mempolicy) and in VMAs (mbind). */
#ifndef MM_MEMPOLICY_H
#define MM_MEMPOLICY_H

#include "kernel/types.h"

#define MPOL_DEFAULT	0 /* the VMA's: the task's; the task's: local */
#define MPOL_PREFERRED	1 /* this node first, then its fallback list */
#define MPOL_BIND	2 /* only these nodes, nearest first */
#define MPOL_INTERLEAVE 3 /* page by page over these nodes */
#define MPOL_LOCAL	4 /* the node of the CPU that allocates */
#define MPOL_MAX	5

/* Mode flags, or-ed into the mode argument. */
#define MPOL_F_STATIC_NODES   (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_MODE_FLAGS	      (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)

/* get_mempolicy flags. */
#define MPOL_F_NODE	    (1 << 0) /* return a node id, not the mode */
#define MPOL_F_ADDR	    (1 << 1) /* the policy (or page) at addr */
#define MPOL_F_MEMS_ALLOWED (1 << 2) /* the nodes the task may use */

/* mbind flags. */
#define MPOL_MF_STRICT	 (1 << 0) /* fail (EIO) if present pages break the policy */
#define MPOL_MF_MOVE	 (1 << 1)
#define MPOL_MF_MOVE_ALL (1 << 2)

struct mempolicy {
	unsigned short mode;  /* MPOL_* */
	unsigned short flags; /* MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES */
	unsigned long nodes;  /* bit n: node n (MAX_NUMNODES <= 64) */
};

static inline bool mpol_equal(const struct mempolicy *a, const struct mempolicy *b)
{
	return a->mode == b->mode && a->flags == b->flags && a->nodes == b->nodes;
}

struct page;
struct vm_area_struct;
/* A user page for addr in vma: the VMA's policy, else the task's (Linux's
 * alloc_pages_vma). The fault path allocates through this. */
struct page *alloc_page_vma(unsigned int gfp, struct vm_area_struct *vma, unsigned long addr);

#endif

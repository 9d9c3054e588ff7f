/* numaif.h: the NUMA memory policy system calls, as libnuma's header
 * declares them (Linux's constants; the kernel side is mm/mempolicy.c). */
#ifndef _NUMAIF_H
#define _NUMAIF_H

#define MPOL_DEFAULT	0
#define MPOL_PREFERRED	1
#define MPOL_BIND	2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL	4

#define MPOL_F_STATIC_NODES   (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)

#define MPOL_F_NODE	    (1 << 0)
#define MPOL_F_ADDR	    (1 << 1)
#define MPOL_F_MEMS_ALLOWED (1 << 2)

#define MPOL_MF_STRICT	 (1 << 0)
#define MPOL_MF_MOVE	 (1 << 1)
#define MPOL_MF_MOVE_ALL (1 << 2)

/* maxnode: the number of bits in nodemask plus one, as Linux counts. */
long set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode);
long get_mempolicy(int *mode, unsigned long *nodemask, unsigned long maxnode, void *addr,
		   unsigned long flags);
long mbind(void *addr, unsigned long len, int mode, const unsigned long *nodemask,
	   unsigned long maxnode, unsigned int flags);

#endif

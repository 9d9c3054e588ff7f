/* The NUMA memory policy system calls (numaif.h). */
#include <numaif.h>
#include <sys/syscall.h>
#include "internal.h"

long set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode)
{
	return __syscall_ret(__syscall3(SYS_set_mempolicy, mode, nodemask, maxnode));
}

long get_mempolicy(int *mode, unsigned long *nodemask, unsigned long maxnode, void *addr,
		   unsigned long flags)
{
	return __syscall_ret(__syscall6(SYS_get_mempolicy, (long)mode, (long)nodemask,
					(long)maxnode, (long)addr, (long)flags, 0));
}

long mbind(void *addr, unsigned long len, int mode, const unsigned long *nodemask,
	   unsigned long maxnode, unsigned int flags)
{
	return __syscall_ret(__syscall6(SYS_mbind, (long)addr, (long)len, mode, (long)nodemask,
					(long)maxnode, flags));
}

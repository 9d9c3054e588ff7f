/* Overcommit accounting, Linux's rules (Documentation/mm/overcommit-
 * accounting): every private writable or shared anonymous mapping
 * "commits" its size (Committed_AS), whether touched or not.
 *   vm.overcommit_memory = 0  heuristic: refuse only a single request
 *                             larger than all RAM + swap
 *                          1  always allow
 *                          2  never overcommit: the total may not pass
 *                             CommitLimit = RAM * overcommit_ratio/100 + swap
 * With modes 0 and 1, MAP_NORESERVE mappings are not counted. Concept C3:
 * malloc(1 GiB) on a 64 MiB machine succeeds in mode 0 and fails in 2. */
#include "mm/overcommit.h"
#include "kernel/errno.h"
#include "mm/gfp.h"

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
unsigned long sysctl_overcommit_ratio = 50;
unsigned long vm_committed_pages;
unsigned long total_swap_pages; /* the swap code will own this */

unsigned long vm_commit_limit(void)
{
	return totalram_pages() * sysctl_overcommit_ratio / 100 + total_swap_pages;
}

int vm_acct_memory(unsigned long pages)
{
	switch (sysctl_overcommit_memory) {
	case OVERCOMMIT_ALWAYS:
		break;
	case OVERCOMMIT_GUESS:
		if (pages > totalram_pages() + total_swap_pages)
			return -ENOMEM;
		break;
	default:
		if (vm_committed_pages + pages > vm_commit_limit())
			return -ENOMEM;
	}
	vm_committed_pages += pages;
	return 0;
}

void vm_unacct_memory(unsigned long pages)
{
	vm_committed_pages -= pages;
}

bool vma_accountable(unsigned long vm_flags)
{
	if ((vm_flags & VM_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		return false;
	return (vm_flags & VM_SHARED) || (vm_flags & VM_WRITE);
}

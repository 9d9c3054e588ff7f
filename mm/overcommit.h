/* Overcommit accounting (mm/overcommit.c). */
#ifndef MM_OVERCOMMIT_H
#define MM_OVERCOMMIT_H

#include "mm/mm.h"

#define OVERCOMMIT_GUESS  0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER  2

extern int sysctl_overcommit_memory;
extern unsigned long sysctl_overcommit_ratio;
extern unsigned long vm_committed_pages;
/* Swap pages (none until the swap work lands). */
extern unsigned long total_swap_pages;

unsigned long vm_commit_limit(void);
/* Commits pages if the policy allows: 0 or -ENOMEM. */
int vm_acct_memory(unsigned long pages);
void vm_unacct_memory(unsigned long pages);
/* Does a mapping with these flags count towards Committed_AS? */
bool vma_accountable(unsigned long vm_flags);

#endif

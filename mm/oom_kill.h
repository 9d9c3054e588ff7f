/* The OOM killer (mm/oom_kill.c). */
#ifndef MM_OOM_KILL_H
#define MM_OOM_KILL_H

#include "mm/gfp.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define LONG_MIN	  (-0x7fffffffffffffffL - 1)

struct task_struct;

extern int sysctl_panic_on_oom;
extern int sysctl_oom_kill_allocating_task;

/* Kills the task with the highest badness (or waits for the last victim);
 * returns true if the caller should retry its allocation. nodemask: the
 * nodes the allocation may use; fewer than all (MPOL_BIND) restricts the
 * candidates to tasks bound to those nodes, and finding none returns
 * false. Panics when nothing at all can be killed, or when
 * vm.panic_on_oom is set. */
bool out_of_memory(gfp_t gfp, unsigned int order, unsigned long nodemask);
/* Linux's oom_badness in pages; LONG_MIN for a task never to kill. */
long oom_badness(struct task_struct *t, unsigned long totalpages);
/* /proc/PID/oom_score: 0..2000. */
unsigned long oom_score(struct task_struct *t);

#endif

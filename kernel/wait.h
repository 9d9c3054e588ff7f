/* Wait queues: a task that must wait for an event sleeps on a queue; the
 * code that makes the event happen wakes the queue (Linux's names). */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"

struct task_struct;

struct wait_queue_head {
	struct list_head head; /* of struct wait_queue_entry */
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

void init_waitqueue_head(struct wait_queue_head *wq);
/* Wakes every task sleeping on wq (they re-check their condition). */
void wake_up(struct wait_queue_head *wq);

/* Low-level steps behind wait_event_*: queue the current task with the
 * given state, and remove it again. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e, int state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);
bool signal_pending_fatal(void);
void schedule(void);

#define TASK_RUNNING	     0
#define TASK_INTERRUPTIBLE   1
#define TASK_UNINTERRUPTIBLE 2

/* Sleeps until cond is true. Returns 0, or -EINTR if a signal that kills
 * the task arrived first (the syscall then unwinds and the task dies). */
#define wait_event_interruptible(wq, cond)                                  \
	({                                                                  \
		struct wait_queue_entry __wqe = {0};                        \
		long __ret = 0;                                             \
		for (;;) {                                                  \
			prepare_to_wait(&(wq), &__wqe, TASK_INTERRUPTIBLE); \
			if (cond)                                           \
				break;                                      \
			if (signal_pending_fatal()) {                       \
				__ret = -4; /* -EINTR */                    \
				break;                                      \
			}                                                   \
			schedule();                                         \
		}                                                           \
		finish_wait(&(wq), &__wqe);                                 \
		__ret;                                                      \
	})

#endif

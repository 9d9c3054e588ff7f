/* Signals, default actions only: a pending signal whose default is to
 * terminate kills the task when it next returns to user mode (or wakes it
 * from an interruptible sleep first). Numbers are Linux's. */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/traps.h"

#define SIGHUP	1
#define SIGINT	2
#define SIGQUIT 3
#define SIGILL	4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS	7
#define SIGFPE	8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define _NSIG	64

struct task_struct;

/* Queues sig for t; returns 0, -EINVAL for a bad number. Init ignores
 * signals it has no handler for, as Linux's init does. */
int send_signal(struct task_struct *t, int sig);
/* A fault the current task caused (SIGSEGV, SIGILL, ...): delivered even
 * to init, which then dies and the kernel panics, as on Linux. */
void force_sig(int sig);
/* Before returning to user mode: die of a pending fatal signal, or give
 * up the CPU if the time slice ran out. */
void exit_to_user_mode(struct pt_regs *regs);

#endif

/* Tasks and the scheduler: every process and kernel thread is a
 * task_struct (Linux's name) with its own kernel stack. Round-robin,
 * preemptive on the timer tick. One CPU. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/list.h"
#include "kernel/traps.h"
#include "kernel/wait.h"
#include "mm/mempolicy.h"

#define TASK_COMM_LEN	   16
#define TASK_PATH_MAX	   256
#define KERNEL_STACK_ORDER 2 /* 16 KiB */
#define KERNEL_STACK_SIZE  (4096UL << KERNEL_STACK_ORDER)
#define TIMESLICE_TICKS	   5 /* 50 ms at HZ=100 */

/* Besides TASK_RUNNING/INTERRUPTIBLE/UNINTERRUPTIBLE (kernel/wait.h): */
#define TASK_TRACED 8  /* stopped for its tracer (kernel/ptrace.c) */
#define EXIT_ZOMBIE 16 /* exited, waiting for its parent's wait4 */
#define EXIT_DEAD   32 /* reaped, about to be freed */

struct mm_struct;
struct fdtable;

/* The FXSAVE area: x87, MMX and SSE state (Intel SDM Vol. 1, 10.5). */
struct fpu_state {
	u8 fxsave[512];
} __aligned(16);

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN]; /* program name, as in /proc/PID/stat */
	int state;		  /* TASK_* or EXIT_* */
	unsigned int flags;	  /* PF_* */

	struct task_struct *parent;
	struct list_head children; /* of task_struct.sibling */
	struct list_head sibling;
	struct list_head tasks;		      /* every task, in pid order */
	struct list_head run_list;	      /* on the run queue while TASK_RUNNING */
	struct wait_queue_head wait_chldexit; /* a child exited */

	struct mm_struct *mm; /* NULL for kernel threads */
	void *stack;	      /* the kernel stack (KERNEL_STACK_SIZE) */
	u64 thread_rsp;	      /* saved kernel RSP while switched out */
	u64 fs_base;	      /* arch_prctl(ARCH_SET_FS) */
	struct fpu_state fpu;

	struct fdtable *files;	 /* open files (kernel/fs) */
	char cwd[TASK_PATH_MAX]; /* current directory, absolute */

	u64 pending_signals; /* bit (sig-1) set when sig is pending */
	int exit_code;	     /* wait status, Linux's encoding */
	int exit_signal;     /* sent to the parent on exit: SIGCHLD */
	int timeslice;	     /* ticks left before preemption */
	u64 wakeup_jiffies;  /* nanosleep deadline */
	u64 clear_child_tid; /* set_tid_address */
	/* The OOM killer (mm/oom_kill.c): -1000 (never) .. 1000 (first). */
	short oom_score_adj;
	bool oom_victim; /* chosen, and not yet gone */
	/* ptrace (kernel/ptrace.c): traced by the parent after TRACEME. */
	unsigned int ptrace; /* PT_* flags */
	bool stop_reported;  /* wait4 has seen the current stop */
	/* The resource limits memos enforces (bytes; ~0UL = unlimited). */
	unsigned long rlim_data, rlim_stack, rlim_as;
	/* NUMA (mm/mempolicy.c): set_mempolicy's policy, inherited by fork
	 * and kept across execve; il_prev is the last node interleave used. */
	struct mempolicy mempolicy;
	int il_prev;

	/* Accounting, as getrusage and /proc/PID/stat report it. */
	u64 utime, stime; /* ticks spent in user and kernel mode */
	u64 start_time;	  /* jiffies at creation */
	unsigned long min_flt, maj_flt;
	unsigned long maxrss_kb; /* peak resident set */
	u64 cutime, cstime;	 /* of reaped children */
	unsigned long cmin_flt, cmaj_flt, cmaxrss_kb;
	unsigned long nvcsw, nivcsw; /* voluntary/involuntary switches */
	/* Pages this task dirtied since balance_dirty_pages last looked
	 * (mm/page_writeback.c). */
	unsigned long nr_dirtied;
};

#define PF_KTHREAD  0x00200000 /* Linux's flag value */
#define PF_EXITING  0x00000004
#define PF_MEMALLOC 0x00000800 /* reclaiming: do not recurse into reclaim */

extern struct task_struct *current;
extern struct list_head task_list;

#define for_each_process(p) list_for_each_entry(p, &task_list, tasks)

void sched_init(void);
/* Starts a kernel thread running fn(arg); returns it or NULL. */
struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name);
void wake_up_process(struct task_struct *t);
/* Called on every timer tick (kernel/time.c): accounting, preemption,
 * sleepers whose deadline passed. */
void scheduler_tick(struct pt_regs *regs);
/* Preempts if the current task's slice ran out (on return to user). */
void preempt_if_needed(void);
struct task_struct *find_task_by_pid(int pid);
int nr_running(void);
/* One-character state for ps and /proc: R S D Z X. */
char task_state_char(const struct task_struct *t);

/* For kernel/process.c: a task with a kernel stack prepared to start in
 * ret_from_fork (fn NULL: return to user mode through its pt_regs). */
struct task_struct *alloc_task(int (*fn)(void *), void *arg);
void free_task(struct task_struct *t);
struct pt_regs *task_pt_regs(struct task_struct *t);
void fpu_save(struct task_struct *t);
void fpu_init_task(struct task_struct *t);
/* Sleeps until jiffies >= deadline; 0, or -EINTR on a fatal signal. */
int schedule_timeout_until(u64 deadline);
/* Sleeps once: until deadline or an earlier wake_up_process (Linux's
 * schedule_timeout); the caller re-checks what it waits for. Returns the
 * jiffies left. */
int schedule_timeout(u64 deadline);
/* The boot thread's last act: become the idle task. */
void cpu_idle(void) __noreturn;
void do_exit(int code) __noreturn;

extern unsigned long nr_context_switches, total_forks;

#endif

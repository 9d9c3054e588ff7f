/* The scheduler: round-robin over the run queue, preemptive on the timer
 * tick (a task that used up its slice yields when it next returns to user
 * mode; the kernel itself is not preempted). The boot thread becomes the
 * idle task, PID 0, which halts the CPU until an interrupt makes some task
 * runnable. Kernel threads (kswapd will be one) are tasks without an mm. */
#include "kernel/sched.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/gdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmap.h"

#define PID_MAX	       32768 /* Linux's default pid_max */
#define CR0_MP	       (1UL << 1)
#define CR0_EM	       (1UL << 2)
#define CR0_TS	       (1UL << 3)
#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

struct task_struct *current;
struct list_head task_list = LIST_HEAD_INIT(task_list);
struct percpu cpu0;
unsigned long nr_context_switches;
unsigned long total_forks;

static struct task_struct idle_task;
static struct list_head run_queue = LIST_HEAD_INIT(run_queue);
static struct list_head sleepers = LIST_HEAD_INIT(sleepers); /* nanosleep */
static bool need_resched;
static int last_pid;
static struct fpu_state initial_fpu; /* after fninit, MXCSR default */

void ret_from_fork(void);
void switch_to(u64 *prev_rsp, u64 next_rsp);

/* User programs use SSE (the x86-64 ABI passes doubles in xmm registers),
 * so the CPU must allow it and every task keeps its own copy of the
 * registers, saved and restored on each switch. The kernel itself is built
 * without SSE and never touches them. */
static void fpu_init(void)
{
	u64 cr0 = read_cr0();

	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %0, %%cr4" : : "r"(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT));
	__asm__ volatile("fninit");
	__asm__ volatile("fxsave %0" : "=m"(initial_fpu));
}

void fpu_init_task(struct task_struct *t)
{
	memcpy(&t->fpu, &initial_fpu, sizeof(t->fpu));
}

/* Saves the live FPU/SSE registers into t (fork copies them from here). */
void fpu_save(struct task_struct *t)
{
	__asm__ volatile("fxsave %0" : "=m"(t->fpu));
}

/* Linux's defaults: no data or address-space limit, an 8 MiB stack. */
static void init_rlimits(struct task_struct *t)
{
	t->rlim_data = ~0UL;
	t->rlim_as = ~0UL;
	t->rlim_stack = 8UL << 20;
}

void sched_init(void)
{
	init_rlimits(&idle_task);
	fpu_init();
	idle_task.pid = 0;
	strlcpy(idle_task.comm, "swapper", sizeof(idle_task.comm));
	idle_task.state = TASK_RUNNING;
	idle_task.flags = PF_KTHREAD;
	INIT_LIST_HEAD(&idle_task.children);
	INIT_LIST_HEAD(&idle_task.run_list);
	init_waitqueue_head(&idle_task.wait_chldexit);
	current = &idle_task;
	wrmsr(MSR_GS_BASE, (u64)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* Returns an unused pid, Linux-style: increasing, wrapping at pid_max. */
static int alloc_pid(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		last_pid = last_pid + 1 >= PID_MAX ? 1 : last_pid + 1;
		if (!find_task_by_pid(last_pid))
			return last_pid;
	}
	return -EAGAIN;
}

struct task_struct *find_task_by_pid(int pid)
{
	struct task_struct *t;

	for_each_process(t) if (t->pid == pid) return t;
	return NULL;
}

/* Allocates a task with a kernel stack whose top holds an empty pt_regs
 * and, below it, a switch frame that makes the first switch_to "return"
 * into ret_from_fork with rbx = fn and r12 = arg. NULL if out of memory. */
struct task_struct *alloc_task(int (*fn)(void *), void *arg)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);
	u64 *sp;
	int pid;

	if (!t)
		return NULL;
	t->stack = get_free_pages(GFP_KERNEL, KERNEL_STACK_ORDER);
	pid = alloc_pid();
	if (!t->stack || pid < 0) {
		free_pages(t->stack, KERNEL_STACK_ORDER);
		kfree(t);
		return NULL;
	}
	t->pid = pid;
	t->state = TASK_UNINTERRUPTIBLE; /* not runnable until woken */
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->run_list);
	init_waitqueue_head(&t->wait_chldexit);
	t->exit_signal = 17; /* SIGCHLD */
	t->start_time = jiffies;
	strlcpy(t->cwd, "/", sizeof(t->cwd));
	init_rlimits(t);
	fpu_init_task(t);

	sp = (u64 *)task_pt_regs(t);
	*--sp = (u64)ret_from_fork;
	*--sp = 0;	  /* rbp */
	*--sp = (u64)fn;  /* rbx */
	*--sp = (u64)arg; /* r12 */
	*--sp = 0;	  /* r13 */
	*--sp = 0;	  /* r14 */
	*--sp = 0;	  /* r15 */
	t->thread_rsp = (u64)sp;
	list_add_tail(&t->tasks, &task_list);
	total_forks++;
	return t;
}

void free_task(struct task_struct *t)
{
	list_del(&t->tasks);
	free_pages(t->stack, KERNEL_STACK_ORDER);
	kfree(t);
}

struct pt_regs *task_pt_regs(struct task_struct *t)
{
	return (struct pt_regs *)((char *)t->stack + KERNEL_STACK_SIZE) - 1;
}

struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = alloc_task(fn, arg);

	if (!t)
		return NULL;
	t->flags |= PF_KTHREAD;
	t->parent = &idle_task;
	list_add_tail(&t->sibling, &idle_task.children);
	strlcpy(t->comm, name, sizeof(t->comm));
	wake_up_process(t);
	return t;
}

void wake_up_process(struct task_struct *t)
{
	u64 flags = irq_save();

	if (t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) {
		/* A sleeping task is on no list, or on the nanosleep list. */
		if (!list_empty(&t->run_list))
			list_del(&t->run_list);
		t->state = TASK_RUNNING;
		if (t != &idle_task)
			list_add_tail(&t->run_list, &run_queue);
		else
			INIT_LIST_HEAD(&t->run_list);
		need_resched = true;
	}
	irq_restore(flags);
}

/* Called by a new task on its first run, still with interrupts off. */
void schedule_tail(void)
{
}

static struct task_struct *pick_next_task(void)
{
	struct task_struct *next;

	if (list_empty(&run_queue))
		return &idle_task;
	next = list_first_entry(&run_queue, struct task_struct, run_list);
	list_del(&next->run_list);
	INIT_LIST_HEAD(&next->run_list);
	return next;
}

/* Gives the CPU to the next runnable task. The current task stays on the
 * run queue only if it is still TASK_RUNNING (a yield or preemption);
 * otherwise it sleeps until someone wakes it. */
void schedule(void)
{
	u64 flags = irq_save();
	struct task_struct *prev = current, *next;

	need_resched = false;
	if (prev->state == TASK_RUNNING && prev != &idle_task && list_empty(&prev->run_list))
		list_add_tail(&prev->run_list, &run_queue);
	next = pick_next_task();
	if (next != prev) {
		if (prev->state == TASK_RUNNING)
			prev->nivcsw++;
		else
			prev->nvcsw++;
		nr_context_switches++;
		next->timeslice = TIMESLICE_TICKS;
		fpu_save(prev);
		__asm__ volatile("fxrstor %0" : : "m"(next->fpu));
		prev->fs_base = rdmsr(MSR_FS_BASE);
		wrmsr(MSR_FS_BASE, next->fs_base);
		cpu0.kernel_rsp = (u64)task_pt_regs(next) + sizeof(struct pt_regs);
		tss_set_kernel_stack(cpu0.kernel_rsp);
		if (next->mm)
			switch_mm(next->mm);
		current = next;
		switch_to(&prev->thread_rsp, next->thread_rsp);
	}
	irq_restore(flags);
}

void preempt_if_needed(void)
{
	if (need_resched)
		schedule();
}

/* Puts the current task to sleep until jiffies reaches deadline (or a
 * fatal signal arrives); returns 0 or -EINTR. */
int schedule_timeout_until(u64 deadline)
{
	u64 flags = irq_save();
	int ret = 0;

	current->wakeup_jiffies = deadline;
	while (jiffies < deadline) {
		if (signal_pending_fatal()) {
			ret = -EINTR;
			break;
		}
		current->state = TASK_INTERRUPTIBLE;
		list_add_tail(&current->run_list, &sleepers);
		schedule();
		/* Woken by the tick or a signal: wake_up_process took us off. */
	}
	current->wakeup_jiffies = 0;
	irq_restore(flags);
	return ret;
}

int schedule_timeout(u64 deadline)
{
	u64 flags = irq_save();

	current->wakeup_jiffies = deadline;
	if (jiffies < deadline && !signal_pending_fatal()) {
		current->state = TASK_INTERRUPTIBLE;
		list_add_tail(&current->run_list, &sleepers);
		schedule();
	}
	current->wakeup_jiffies = 0;
	irq_restore(flags);
	return jiffies < deadline ? (int)(deadline - jiffies) : 0;
}

static void wake_sleepers(void)
{
	struct list_head *pos = sleepers.next;

	while (pos != &sleepers) {
		struct task_struct *t = list_entry(pos, struct task_struct, run_list);

		pos = pos->next;
		if (jiffies >= t->wakeup_jiffies)
			wake_up_process(t);
	}
}

void scheduler_tick(struct pt_regs *regs)
{
	struct task_struct *t = current;

	proc_account_tick(regs);
	if (t != &idle_task && user_mode(regs))
		t->utime++;
	else if (t != &idle_task)
		t->stime++;
	if (t != &idle_task && --t->timeslice <= 0)
		need_resched = true;
	wake_sleepers();
	if (t == &idle_task && !list_empty(&run_queue))
		need_resched = true;
}

int nr_running(void)
{
	struct task_struct *t;
	int n = 0;

	for_each_process(t) n += t->state == TASK_RUNNING;
	return n;
}

char task_state_char(const struct task_struct *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	case TASK_TRACED:
		return 't';
	case EXIT_ZOMBIE:
		return 'Z';
	default:
		return 'X';
	}
}

/* The idle loop: halt until an interrupt, run whoever became runnable. */
void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* sti; hlt is atomic: no wake-up is lost between the check and hlt. */
		__asm__ volatile("sti; hlt" : : : "memory");
	}
}

void init_waitqueue_head(struct wait_queue_head *wq)
{
	INIT_LIST_HEAD(&wq->head);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e, int state)
{
	u64 flags = irq_save();

	e->task = current;
	if (!e->entry.next || list_empty(&e->entry))
		list_add_tail(&e->entry, &wq->head);
	current->state = state;
	irq_restore(flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	u64 flags = irq_save();

	(void)wq;
	current->state = TASK_RUNNING;
	if (e->entry.next && !list_empty(&e->entry))
		list_del(&e->entry);
	irq_restore(flags);
}

void wake_up(struct wait_queue_head *wq)
{
	u64 flags = irq_save();
	struct wait_queue_entry *e;

	list_for_each_entry(e, &wq->head, entry) wake_up_process(e->task);
	irq_restore(flags);
}

/* In-kernel tests of the scheduler: kernel threads run, sleep for the
 * time asked, and wait queues wake them. Runs in the boot thread, which
 * is the idle task: it halts until the threads are done. */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/x86.h"

static struct wait_queue_head kt_wq;
static volatile int kt_ticks[2], kt_woken;
static volatile bool kt_go;

/* The boot thread is the idle task: it must schedule() to let others run,
 * then halt until the next interrupt. */
static void idle_once(void)
{
	schedule();
	halt();
}

static int ticker(void *arg)
{
	int id = (int)(long)arg;

	for (int i = 0; i < 5; i++) {
		schedule_timeout_until(jiffies + 2);
		kt_ticks[id]++;
	}
	return 0;
}

static int waiter(void *arg)
{
	(void)arg;
	wait_event_interruptible(kt_wq, kt_go);
	kt_woken = 1;
	return 0;
}

KTEST(kthread)
{
	u64 start = jiffies;
	struct task_struct *a, *b, *w;

	init_waitqueue_head(&kt_wq);
	a = kthread_create(ticker, (void *)0, "ticker0");
	b = kthread_create(ticker, (void *)1, "ticker1");
	w = kthread_create(waiter, NULL, "waiter");
	KTEST_EXPECT(a && b && w && a->pid != b->pid,
		     "three kernel threads created (pids %d %d %d)", a ? a->pid : -1,
		     b ? b->pid : -1, w ? w->pid : -1);
	while ((kt_ticks[0] < 5 || kt_ticks[1] < 5) && jiffies < start + 200)
		idle_once();
	KTEST_EXPECT(kt_ticks[0] == 5 && kt_ticks[1] == 5, "both threads ran their 5 naps");
	KTEST_EXPECT(jiffies - start >= 10, "5 naps of 2 ticks took %lu ticks (at least 10)",
		     jiffies - start);
	KTEST_EXPECT(!kt_woken && w->state == TASK_INTERRUPTIBLE,
		     "the waiter sleeps on its wait queue (state %c)", task_state_char(w));
	kt_go = true;
	wake_up(&kt_wq);
	while (!kt_woken && jiffies < start + 300)
		idle_once();
	KTEST_EXPECT(kt_woken, "wake_up wakes it");
	KTEST_EXPECT(a->state == EXIT_ZOMBIE, "a finished thread is a zombie until reaped (%c)",
		     task_state_char(a));
}

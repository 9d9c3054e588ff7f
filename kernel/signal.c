/* Signal sending and default actions (see kernel/signal.h). Handlers
 * (rt_sigaction) are not implemented: every signal has Linux's default
 * action, and those whose default is "stop" or "ignore" are ignored. */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

/* Linux's default action for each signal is to terminate, except these. */
static bool default_ignored(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case 23: /* SIGURG */
	case 28: /* SIGWINCH */
	case SIGSTOP:
	case 20: /* SIGTSTP */
	case 21: /* SIGTTIN */
	case 22: /* SIGTTOU */
		return true;
	default:
		return false;
	}
}

int send_signal(struct task_struct *t, int sig)
{
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (t->pid == 1 || default_ignored(sig) || t->state == EXIT_ZOMBIE)
		return 0;
	t->pending_signals |= 1UL << (sig - 1);
	if (t->state == TASK_INTERRUPTIBLE)
		wake_up_process(t);
	return 0;
}

void force_sig(int sig)
{
	current->pending_signals |= 1UL << (sig - 1);
}

static int first_pending(const struct task_struct *t)
{
	/* SIGKILL first, then the lowest number, as Linux dequeues them. */
	if (t->pending_signals & (1UL << (SIGKILL - 1)))
		return SIGKILL;
	return t->pending_signals ? __builtin_ctzl(t->pending_signals) + 1 : 0;
}

bool signal_pending_fatal(void)
{
	return current->pending_signals != 0;
}

void exit_to_user_mode(struct pt_regs *regs)
{
	int sig;

	(void)regs;
	preempt_if_needed();
	sig = first_pending(current);
	if (sig)
		do_exit(sig); /* wait status: terminated by sig */
}

SYSCALL_DEFINE2(62, kill, int, pid, int, sig)
{
	struct task_struct *t;
	int found = 0, err = 0;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid == 0 || pid < -1)
		return -ESRCH; /* process groups are not implemented */
	for_each_process(t)
	{
		/* kill(-1): everyone but init and the caller, as Linux does. */
		bool match = pid > 0 ? t->pid == pid : (t->pid > 1 && t != current);

		if (!match || (t->flags & PF_KTHREAD) || t->state == EXIT_ZOMBIE)
			continue;
		found++;
		if (sig)
			err = send_signal(t, sig);
	}
	if (!found && pid != -1)
		return -ESRCH;
	return err;
}

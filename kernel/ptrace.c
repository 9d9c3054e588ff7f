/* ptrace: one process watching another's system calls, as strace does
 * (concept C1: a trace shows malloc calling brk and mmap, never a "malloc
 * system call"). The subset strace uses, with Linux's numbers and stop
 * protocol: the child asks PTRACE_TRACEME and executes the program, which
 * stops with SIGTRAP; the tracer resumes it with PTRACE_SYSCALL and, after
 * each wait4 that reports a stop (WIFSTOPPED), reads the registers with
 * PTRACE_GETREGS: at a syscall-entry stop orig_rax is the number and rax
 * -ENOSYS, at the exit stop rax is the result. Signal-delivery stops are
 * not implemented: a signal kills a tracee directly. */
#include "kernel/ptrace.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "mm/mm.h"

#define PTRACE_TRACEME	      0
#define PTRACE_PEEKTEXT	      1
#define PTRACE_PEEKDATA	      2
#define PTRACE_CONT	      7
#define PTRACE_KILL	      8
#define PTRACE_GETREGS	      12
#define PTRACE_SYSCALL	      24
#define PTRACE_SETOPTIONS     0x4200
#define PTRACE_O_TRACESYSGOOD 1

/* Linux's struct user_regs_struct (x86-64). */
struct user_regs_struct {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
	unsigned long fs_base, gs_base, ds, es, fs, gs;
};

/* Stops the current task with wait status (sig << 8) | 0x7f and waits
 * until the tracer resumes it (or it is killed). */
static void ptrace_stop(int sig)
{
	struct task_struct *t = current;

	t->exit_code = (sig << 8) | 0x7f;
	t->stop_reported = false;
	t->state = TASK_TRACED;
	if (t->parent)
		wake_up(&t->parent->wait_chldexit);
	schedule();
}

static int syscall_stop_signal(void)
{
	return SIGTRAP | (current->ptrace & PT_TRACESYSGOOD ? 0x80 : 0);
}

void ptrace_syscall_entry(struct pt_regs *regs)
{
	if (!(current->ptrace & PT_SYSCALL_TRACE))
		return;
	regs->rax = (u64)-ENOSYS; /* what the tracer sees at entry, as on Linux */
	ptrace_stop(syscall_stop_signal());
}

void ptrace_syscall_exit(struct pt_regs *regs)
{
	(void)regs;
	if (current->ptrace & PT_SYSCALL_TRACE)
		ptrace_stop(syscall_stop_signal());
	/* After exec, Linux delivers SIGTRAP on the way back to user mode,
	 * after the syscall-exit work: the tracer's next stop is then the
	 * new program's first syscall entry. */
	if (current->ptrace & PT_EXEC_STOP) {
		current->ptrace &= ~PT_EXEC_STOP;
		ptrace_stop(SIGTRAP);
	}
}

/* The child the caller may operate on: its own traced child, stopped. */
static struct task_struct *traced_child(int pid)
{
	struct task_struct *c;

	list_for_each_entry(c, &current->children, sibling) if (c->pid == pid &&
								(c->ptrace & PT_PTRACED) &&
								c->state == TASK_TRACED) return c;
	return NULL;
}

static void resume(struct task_struct *c, bool trace_syscalls, int sig)
{
	if (trace_syscalls)
		c->ptrace |= PT_SYSCALL_TRACE;
	else
		c->ptrace &= ~PT_SYSCALL_TRACE;
	if (sig)
		send_signal(c, sig);
	c->state = TASK_INTERRUPTIBLE; /* so that the wake-up takes */
	wake_up_process(c);
}

static void get_regs(struct task_struct *c, struct user_regs_struct *u)
{
	const struct pt_regs *r = task_pt_regs(c);

	*u = (struct user_regs_struct){
		r->r15, r->r14, r->r13,	   r->r12, r->rbp, r->rbx,     r->r11, r->r10,
		r->r9,	r->r8,	r->rax,	   r->rcx, r->rdx, r->rsi,     r->rdi, r->error_code,
		r->rip, r->cs,	r->rflags, r->rsp, r->ss,  c->fs_base, 0,      0,
		0,	0,	0,
	};
}

SYSCALL_DEFINE4(101, ptrace, long, request, int, pid, unsigned long, addr, unsigned long, data)
{
	struct task_struct *c;
	struct user_regs_struct u;
	unsigned long word;

	if (request == PTRACE_TRACEME) {
		if (current->ptrace & PT_PTRACED)
			return -EPERM;
		current->ptrace = PT_PTRACED;
		return 0;
	}
	c = traced_child(pid);
	if (!c)
		return -ESRCH;
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		if (access_process_vm(c, addr, &word, sizeof(word), false) != sizeof(word))
			return -EIO;
		return copy_to_user((void __user *)data, &word, sizeof(word));
	case PTRACE_GETREGS:
		get_regs(c, &u);
		return copy_to_user((void __user *)data, &u, sizeof(u));
	case PTRACE_SETOPTIONS:
		if (data & ~(unsigned long)PTRACE_O_TRACESYSGOOD)
			return -EINVAL;
		c->ptrace = (c->ptrace & ~PT_TRACESYSGOOD) | (data ? PT_TRACESYSGOOD : 0);
		return 0;
	case PTRACE_SYSCALL:
	case PTRACE_CONT:
		if (data > _NSIG)
			return -EIO;
		resume(c, request == PTRACE_SYSCALL, (int)data);
		return 0;
	case PTRACE_KILL:
		resume(c, false, SIGKILL);
		return 0;
	default:
		return -EIO;
	}
}

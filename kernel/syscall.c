/* The system call dispatcher. kernel/entry.asm saves the user registers as
 * a struct pt_regs and calls do_syscall: the number is in orig_rax (our
 * error_code slot), the arguments in rdi, rsi, rdx, r10, r8, r9, and the
 * result goes back in rax: a value, or -errno (Linux's x86-64 ABI).
 *
 * GDB: `break do_syscall if regs->error_code == 1` stops on every write;
 * `print regs->rdi` is the fd, `x/s regs->rsi` the buffer. */
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/x86.h"

#define RFLAGS_IF (1UL << 9)
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_AC (1UL << 18)

extern const struct syscall_entry __start_syscalls[], __stop_syscalls[];
static const struct syscall_entry *syscall_table[NR_SYSCALLS];

void syscall_entry(void);

void syscall_init(void)
{
	for (const struct syscall_entry *e = __start_syscalls; e < __stop_syscalls; e++) {
		BUG_ON(e->nr >= NR_SYSCALLS || syscall_table[e->nr]);
		syscall_table[e->nr] = e;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: base for user CS/SS. */
	wrmsr(MSR_STAR, ((u64)__KERNEL_CS << 32) | ((u64)(__USER32_CS | 3) << 48));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	/* Interrupts stay off until the entry code is on the kernel stack. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
}

const char *syscall_name(unsigned long nr)
{
	return nr < NR_SYSCALLS && syscall_table[nr] ? syscall_table[nr]->name : NULL;
}

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->error_code;
	u64 args[6];

	if (current->ptrace) {
		ptrace_syscall_entry(regs);
		nr = regs->error_code; /* as the tracer left it */
	}
	args[0] = regs->rdi;
	args[1] = regs->rsi;
	args[2] = regs->rdx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
	if (nr < NR_SYSCALLS && syscall_table[nr]) {
		regs->rax = (u64)syscall_table[nr]->fn(args);
	} else {
		pr_info("%s[%d]: unimplemented syscall %lu\n", current->comm, current->pid, nr);
		regs->rax = (u64)-ENOSYS;
	}
	if (current->ptrace)
		ptrace_syscall_exit(regs);
	exit_to_user_mode(regs);
}

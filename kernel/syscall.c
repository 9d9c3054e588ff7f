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
#include "kernel/traps.h"
#include "kernel/x86.h"

#define RFLAGS_IF (1UL << 9)
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_AC (1UL << 18)

extern const struct syscall_entry __start_syscalls[], __stop_syscalls[];
static const struct syscall_entry *syscall_table[NR_SYSCALLS];

void syscall_entry(void);

#define SYSCALL_VECTOR 0x80 /* kernel/entry.asm: marks a pt_regs built by syscall */

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

/* A SYSCALL the CPU did not finish.
 *
 * Under this project's KVM (kvm_pvm: a hypervisor without VMX that runs
 * guest user code natively and emulates the guest kernel; docs/vm.md),
 * a SYSCALL from user mode is executed only halfway: RCX gets the return
 * address, R11 the flags, RFLAGS is masked with MSR_FMASK and RIP becomes
 * MSR_LSTAR, but the vCPU stays in user mode. Its first instruction fetch
 * at syscall_entry, a supervisor page, then faults from CPL 3: #PF at
 * RIP = CR2 = syscall_entry, error 0x15 (present|user|fetch), CS/SS the
 * user's. Every setting the SDM asks for is in place (EFER.SCE, STAR,
 * LSTAR, FMASK read back correctly; GDT layout, descriptor bits, CR4.PGE,
 * entering user mode by sysretq instead of iretq change nothing), and TCG
 * and hardware virtualisation switch to CPL 0 as the SDM says.
 *
 * The fault frame holds everything the SYSCALL would have left: so the
 * page-fault handler calls here first, and we finish the system call on
 * this frame, which sits where syscall_entry builds its pt_regs (the top
 * of the task's kernel stack, TSS.RSP0). The frame's RFLAGS with IF clear
 * proves the SYSCALL: user code cannot clear IF, so a program that jumps
 * to syscall_entry itself (IF set) still gets its SIGSEGV. */
#define RFLAGS_USER_MASK 0x240dd5UL /* CF PF AF ZF SF TF DF OF AC ID */
#define RFLAGS_FIXED	 0x2UL
#define PF_SYSCALL_FETCH (X86_PF_PROT | X86_PF_USER | X86_PF_INSTR)

bool syscall_from_fault(struct pt_regs *regs, unsigned long cr2)
{
	static bool warned;

	if (!user_mode(regs) || regs->rip != (u64)syscall_entry || cr2 != regs->rip ||
	    (regs->error_code & ~X86_PF_PK) != PF_SYSCALL_FETCH || (regs->rflags & RFLAGS_IF))
		return false;
	if (!warned) {
		warned = true;
		pr_warn("syscall: SYSCALL left the CPU in user mode at %lx; finishing system calls "
			"in the page-fault handler (a hypervisor without VMX?)\n",
			regs->rip);
	}
	regs->vector = SYSCALL_VECTOR;
	regs->error_code = regs->rax; /* orig_rax, as syscall_entry saves it */
	regs->rip = regs->rcx;
	regs->rflags = (regs->r11 & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_FIXED;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	local_irq_enable(); /* as syscall_entry does once on the kernel stack */
	do_syscall(regs);
	return true;
}

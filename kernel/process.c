/* Processes: fork, execve, exit and wait4 with Linux's semantics, and the
 * start of PID 1. A process is a task with an address space (mm) and open
 * files; its user registers live in the pt_regs at the top of its kernel
 * stack, which is where fork copies them and execve rewrites them. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/fs/vfs.h"
#include "kernel/gdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/ptrace.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmap.h"

#define WNOHANG	      1
#define WUNTRACED     2
#define WCONTINUED    8
#define __WALL	      0x40000000
#define CLONE_SIGCHLD 17
#define ARG_MAX_BYTES (128 * 1024) /* argv + envp strings (MAX_ARG_STRLEN) */
#define MAX_ARGS      1024
#define STACK_INITIAL (128 * 1024)
#define RFLAGS_USER   0x202 /* IF set, reserved bit 1 */

/* Auxiliary vector types (Linux's include/uapi/linux/auxvec.h). */
#define AT_NULL	  0
#define AT_PHDR	  3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_BASE	  7
#define AT_FLAGS  8
#define AT_ENTRY  9
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

void enter_user_mode(struct pt_regs *regs) __noreturn;

static struct task_struct *init_task;

static long do_fork(struct pt_regs *regs)
{
	struct task_struct *child = alloc_task(NULL, NULL);

	if (!child)
		return -ENOMEM;
	child->mm = dup_mm(current->mm);
	child->files = fdtable_dup(current->files);
	if (!child->mm || !child->files) {
		if (child->mm)
			mmput(child->mm);
		if (child->files)
			fdtable_release(child->files);
		free_task(child);
		return -ENOMEM;
	}
	memcpy(child->comm, current->comm, sizeof(child->comm));
	memcpy(child->cwd, current->cwd, sizeof(child->cwd));
	child->fs_base = rdmsr(MSR_FS_BASE);
	child->oom_score_adj = current->oom_score_adj;
	child->rlim_data = current->rlim_data;
	child->rlim_stack = current->rlim_stack;
	child->rlim_as = current->rlim_as;
	child->mempolicy = current->mempolicy;
	child->il_prev = current->il_prev;
	fpu_save(child); /* the live registers are the parent's */
	child->parent = current;
	list_add_tail(&child->sibling, &current->children);
	/* The parent's writable pages just became read-only (copy-on-write):
	 * drop its stale writable TLB entries. */
	write_cr3(read_cr3());
	*task_pt_regs(child) = *regs;
	task_pt_regs(child)->rax = 0; /* fork returns 0 in the child */
	wake_up_process(child);
	return child->pid;
}

static struct pt_regs *current_regs(void)
{
	return task_pt_regs(current);
}

SYSCALL_DEFINE0(57, fork)
{
	return do_fork(current_regs());
}

/* vfork: the child gets a copy as with fork (the parent is not suspended:
 * allowed, since vfork's sharing is an optimisation the caller may not
 * rely on). */
SYSCALL_DEFINE0(58, vfork)
{
	return do_fork(current_regs());
}

/* clone as fork(2) in glibc uses it; threads are not supported. */
SYSCALL_DEFINE2(56, clone, unsigned long, flags, unsigned long, newsp)
{
	if ((flags & ~0xffUL) || newsp)
		return -EINVAL;
	if ((flags & 0xff) != CLONE_SIGCHLD)
		return -EINVAL;
	return do_fork(current_regs());
}

/* Reparents the children of the dying task to init, which reaps them. */
static void forget_original_parent(struct task_struct *dying)
{
	while (!list_empty(&dying->children)) {
		struct task_struct *c =
			list_first_entry(&dying->children, struct task_struct, sibling);

		list_del(&c->sibling);
		/* A tracer that dies detaches its tracees (Linux's exit_ptrace). */
		if (c->ptrace) {
			c->ptrace = 0;
			if (c->state == TASK_TRACED) {
				c->state = TASK_INTERRUPTIBLE;
				wake_up_process(c);
			}
		}
		c->parent = init_task;
		list_add_tail(&c->sibling, &init_task->children);
		if (c->state == EXIT_ZOMBIE)
			wake_up(&init_task->wait_chldexit);
	}
}

void do_exit(int code)
{
	struct task_struct *t = current;

	if (t == init_task)
		panic("Attempted to kill init! exitcode=0x%08x", code);
	local_irq_enable();
	t->flags |= PF_EXITING;
	if (t->files) {
		fdtable_release(t->files);
		t->files = NULL;
	}
	if (t->mm) {
		struct mm_struct *mm = t->mm;

		switch_mm(NULL); /* leave the page tables before freeing them */
		t->mm = NULL;
		mmput(mm);
	}
	local_irq_disable();
	forget_original_parent(t);
	t->exit_code = code;
	t->pending_signals = 0;
	t->state = EXIT_ZOMBIE;
	if (t->parent)
		wake_up(&t->parent->wait_chldexit);
	schedule();
	panic("exit: zombie %d was scheduled", t->pid);
}

SYSCALL_DEFINE1(60, exit, int, status)
{
	do_exit((status & 0xff) << 8);
}

SYSCALL_DEFINE1(231, exit_group, int, status)
{
	do_exit((status & 0xff) << 8);
}

/* A child matching pid (-1: any) that wait4 can report: a zombie, or a
 * traced child in a stop its tracer has not seen yet. NULL if none;
 * *has_child tells whether any child matches at all. */
static struct task_struct *find_waitable(int pid, bool *has_child)
{
	struct task_struct *c;

	*has_child = false;
	list_for_each_entry(c, &current->children, sibling)
	{
		if (pid > 0 && c->pid != pid)
			continue;
		*has_child = true;
		if (c->state == EXIT_ZOMBIE || (c->state == TASK_TRACED && !c->stop_reported))
			return c;
	}
	return NULL;
}

void ticks_to_timeval(u64 ticks, long tv[2])
{
	tv[0] = (long)(ticks / HZ);
	tv[1] = (long)(ticks % HZ) * (1000000 / HZ);
}

void fill_rusage(struct rusage *ru, u64 utime, u64 stime, unsigned long minflt,
		 unsigned long majflt, unsigned long maxrss_kb, unsigned long nvcsw,
		 unsigned long nivcsw)
{
	memset(ru, 0, sizeof(*ru));
	ticks_to_timeval(utime, ru->ru_utime);
	ticks_to_timeval(stime, ru->ru_stime);
	ru->ru_minflt = (long)minflt;
	ru->ru_majflt = (long)majflt;
	ru->ru_maxrss = (long)maxrss_kb;
	ru->ru_nvcsw = (long)nvcsw;
	ru->ru_nivcsw = (long)nivcsw;
}

/* Collects a zombie: its status and times go to the parent, the task is
 * freed. Returns its pid. */
static int reap(struct task_struct *c, int __user *wstatus, struct rusage __user *ru)
{
	int pid = c->pid, status = c->exit_code;
	struct rusage r;

	int err = 0;

	fill_rusage(&r, c->utime + c->cutime, c->stime + c->cstime, c->min_flt + c->cmin_flt,
		    c->maj_flt + c->cmaj_flt, c->maxrss_kb, c->nvcsw, c->nivcsw);
	/* Like Linux, the child is reaped even if the status cannot be
	 * stored: the caller gets -EFAULT and the zombie is gone. */
	if ((wstatus && copy_to_user(wstatus, &status, sizeof(status))) ||
	    (ru && copy_to_user(ru, &r, sizeof(r))))
		err = -EFAULT;
	current->cutime += c->utime + c->cutime;
	current->cstime += c->stime + c->cstime;
	current->cmin_flt += c->min_flt + c->cmin_flt;
	current->cmaj_flt += c->maj_flt + c->cmaj_flt;
	current->cmaxrss_kb = MAX(current->cmaxrss_kb, MAX(c->maxrss_kb, c->cmaxrss_kb));
	list_del(&c->sibling);
	free_task(c);
	return err ? err : pid;
}

SYSCALL_DEFINE4(61, wait4, int, pid, int __user *, wstatus, int, options, struct rusage __user *,
		ru)
{
	struct task_struct *zombie;
	bool has_child;
	long err;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL))
		return -EINVAL;
	if (pid == 0 || pid < -1)
		pid = -1; /* no process groups: any child */
	for (;;) {
		zombie = find_waitable(pid, &has_child);
		if (zombie && zombie->state == TASK_TRACED) {
			zombie->stop_reported = true;
			if (wstatus && copy_to_user(wstatus, &zombie->exit_code, sizeof(int)))
				return -EFAULT;
			return zombie->pid;
		}
		if (zombie)
			return reap(zombie, wstatus, ru);
		if (!has_child)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		err = wait_event_interruptible(current->wait_chldexit,
					       find_waitable(pid, &has_child) || !has_child);
		if (err)
			return err;
	}
}

/* argv/envp copied out of the old address space before it is dropped. */
struct exec_args {
	char *buf; /* the strings, back to back */
	size_t len;
	int argc, envc;
};

static long copy_strings(struct exec_args *a, const char __user *const __user *vec, int *count)
{
	for (*count = 0; vec; (*count)++) {
		const char __user *s;
		long n;

		if (*count >= MAX_ARGS)
			return -E2BIG;
		if (copy_from_user(&s, vec + *count, sizeof(s)))
			return -EFAULT;
		if (!s)
			break;
		n = strncpy_from_user(a->buf + a->len, s, ARG_MAX_BYTES - a->len);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return n;
		a->len += (size_t)n + 1;
	}
	return 0;
}

/* Builds Linux's initial stack at the top of mm: strings, 16 random bytes,
 * then (16-byte aligned) argc, argv[], NULL, envp[], NULL, auxv pairs.
 * Returns the user RSP, or 0 if the stack could not be set up. */
static unsigned long setup_stack(struct mm_struct *mm, const struct exec_args *a,
				 const struct elf_image *img, const char *filename)
{
	unsigned long top = STACK_TOP, sp, strings, random, execfn;
	unsigned long *words;
	size_t nw = 0, fnlen = strlen(filename) + 1;
	u64 rnd[2] = {rdtsc() * 0x9e3779b97f4a7c15UL, (rdtsc() ^ jiffies) * 0xbf58476d1ce4e5b9UL};
	u32 eax, ebx, ecx, edx;

	if (do_mmap(mm, top - STACK_INITIAL, STACK_INITIAL, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) < 0)
		return 0;
	find_vma(mm, top - 1)->vm_flags |= VM_GROWSDOWN;
	execfn = top - 8 - fnlen;
	strings = ALIGN_DOWN(execfn - a->len, 16);
	random = strings - 16;
	if (populate_range(mm, (random - PAGE_SIZE) & PAGE_MASK, top) ||
	    access_mm(mm, execfn, (void *)filename, fnlen, true) != fnlen ||
	    access_mm(mm, strings, a->buf, a->len, true) != a->len ||
	    access_mm(mm, random, rnd, sizeof(rnd), true) != sizeof(rnd))
		return 0;
	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	words = kmalloc((2 * MAX_ARGS + 64) * sizeof(long), GFP_KERNEL);
	if (!words)
		return 0;
	words[nw++] = (unsigned long)a->argc;
	unsigned long p = strings;
	for (int i = 0; i < a->argc + a->envc; i++) {
		if (i == a->argc)
			words[nw++] = 0;
		words[nw++] = p;
		while (a->buf[p++ - strings])
			;
	}
	words[nw++] = 0;
	const unsigned long aux[][2] = {
		{AT_PHDR, img->phdr_addr},
		{AT_PHENT, 56},
		{AT_PHNUM, img->phnum},
		{AT_PAGESZ, PAGE_SIZE},
		{AT_BASE, 0},
		{AT_FLAGS, 0},
		{AT_ENTRY, img->entry},
		{AT_UID, 0},
		{AT_EUID, 0},
		{AT_GID, 0},
		{AT_EGID, 0},
		{AT_HWCAP, edx},
		{AT_CLKTCK, HZ},
		{AT_SECURE, 0},
		{AT_RANDOM, random},
		{AT_EXECFN, execfn},
		{AT_NULL, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(aux); i++) {
		words[nw++] = aux[i][0];
		words[nw++] = aux[i][1];
	}
	sp = ALIGN_DOWN(random - nw * sizeof(long), 16);
	if (sp < top - STACK_INITIAL + PAGE_SIZE || populate_range(mm, sp & PAGE_MASK, top) ||
	    access_mm(mm, sp, words, nw * sizeof(long), true) != nw * sizeof(long))
		sp = 0;
	kfree(words);
	if (!sp)
		return 0;
	mm->start_stack = sp;
	mm->arg_start = strings;
	mm->env_start = strings;
	for (int i = 0; i < a->argc; i++)
		mm->env_start += strlen(a->buf + (mm->env_start - strings)) + 1;
	mm->arg_end = mm->env_start;
	mm->env_end = strings + a->len;
	return sp;
}

static const char *basename(const char *path)
{
	const char *slash = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			slash = p + 1;
	return slash;
}

/* Replaces the current program. On success the old address space is gone
 * and regs start the new one; before that point any failure leaves the
 * caller untouched and returns -errno. */
long do_execve(const char *filename, struct exec_args *a, struct pt_regs *regs)
{
	struct elf_image img;
	struct mm_struct *mm, *old;
	u64 nr;
	struct file *f;
	unsigned long sp;
	int err;

	f = vfs_open(filename, 0, &err);
	if (!f)
		return err;
	mm = mm_alloc();
	if (!mm) {
		vfs_close(f);
		return -ENOMEM;
	}
	/* A file open for writing is not run (ETXTBSY), and while this mm
	 * runs it, the file is not opened for writing. */
	err = deny_write_access(f->inode);
	if (err) {
		vfs_close(f);
		mmput(mm);
		return err;
	}
	mm->exe_inode = iget(f->inode);
	err = elf_load(f, mm, &img);
	vfs_close(f);
	sp = err ? 0 : setup_stack(mm, a, &img, filename);
	if (!sp) {
		mmput(mm);
		return err ? err : -ENOMEM;
	}
	mm->start_code = img.start_code;
	mm->end_code = img.end_code;
	mm->start_data = img.start_data;
	mm->end_data = img.end_data;
	mm->start_brk = mm->brk = img.brk;

	/* The point of no return. */
	old = current->mm;
	current->mm = mm;
	switch_mm(mm);
	if (old)
		mmput(old);
	if (current->files)
		fdtable_close_on_exec(current->files);
	memset(current->comm, 0, sizeof(current->comm));
	strlcpy(current->comm, basename(filename), sizeof(current->comm));
	current->flags &= ~PF_KTHREAD;
	current->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	fpu_init_task(current);
	__asm__ volatile("fxrstor %0" : : "m"(current->fpu));
	if (current->ptrace & PT_PTRACED)
		current->ptrace |= PT_EXEC_STOP; /* SIGTRAP stop after exec */
	nr = regs->error_code;			 /* a tracer still sees execve at its exit stop */
	memset(regs, 0, sizeof(*regs));
	regs->error_code = nr;
	regs->rip = img.entry;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = RFLAGS_USER;
	return 0;
}

SYSCALL_DEFINE3(59, execve, const char __user *, path, const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	struct exec_args a = {0};
	char *filename = kmalloc(TASK_PATH_MAX, GFP_KERNEL);
	long err = -ENOMEM;

	a.buf = get_free_pages(GFP_KERNEL, 5); /* 128 KiB */
	if (!filename || !a.buf)
		goto out;
	err = strncpy_from_user(filename, path, TASK_PATH_MAX);
	if (err >= 0)
		err = copy_strings(&a, argv, &a.argc);
	if (err >= 0)
		err = copy_strings(&a, envp, &a.envc);
	if (err >= 0)
		err = do_execve(filename, &a, current_regs());
	/* On success regs->rax is set from this return value: 0, as Linux. */
out:
	free_pages(a.buf, 5);
	kfree(filename);
	return err;
}

/* Executes path as PID 1 with the console as fd 0, 1 and 2; returns only
 * on failure, with -errno. */
static int run_init_process(const char *path)
{
	struct exec_args a = {0};
	size_t len = strlen(path) + 1;
	int err;

	a.buf = get_free_pages(GFP_KERNEL, 0);
	if (!a.buf)
		return -ENOMEM;
	memcpy(a.buf, path, len);
	memcpy(a.buf + len, "HOME=/\0TERM=linux", 18);
	a.len = len + 18;
	a.argc = 1;
	a.envc = 2;
	pr_info("Run %s as init process\n", path);
	err = (int)do_execve(path, &a, task_pt_regs(current));
	free_pages(a.buf, 0);
	if (!err)
		enter_user_mode(task_pt_regs(current));
	return err;
}

/* PID 1's first moments, as Linux's kernel_init: open the console, then
 * execute init= (a failure is fatal) or the first of Linux's fallbacks
 * that exists. */
static int kernel_init(void *arg)
{
	static const char *const fallbacks[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};
	const char *requested = arg;
	struct file *console;
	int err;

	current->files = fdtable_alloc();
	console = current->files ? vfs_open("/dev/console", 2 /* O_RDWR */, &err) : NULL;
	if (!console)
		panic("init: cannot open /dev/console");
	fd_install(console);
	for (int fd = 1; fd <= 2; fd++) {
		console = vfs_open("/dev/console", 2, &err);
		if (!console)
			panic("init: cannot open /dev/console");
		fd_install(console);
	}
	if (requested) {
		err = run_init_process(requested);
		panic("Requested init %s failed (error %d).", requested, err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fallbacks); i++) {
		err = run_init_process(fallbacks[i]);
		if (err != -ENOENT)
			pr_err("Starting init: %s exists but couldn't execute it (error %d)\n",
			       fallbacks[i], err);
	}
	panic("No working init found.  Try passing init= option to kernel.");
}

void start_init(const char *path)
{
	init_task = alloc_task(kernel_init, (void *)path);
	if (!init_task)
		panic("init: out of memory");
	strlcpy(init_task->comm, "init", sizeof(init_task->comm));
	wake_up_process(init_task);
}

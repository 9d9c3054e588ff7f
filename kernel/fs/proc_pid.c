/* /proc/PID: one directory per process with stat, status, cmdline and
 * comm in Linux's formats (fs/proc/array.c, fs/proc/base.c). Kernel
 * threads have no mm: their memory fields are 0 and status has no Vm
 * lines, as on Linux. */
#include "kernel/fs/procfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"

#define RLIM_INFINITY (~0UL)
#define TTY_SERIAL0   MKDEV(4, 64) /* ttyS0: the console every process starts on */
#define CMDLINE_MAX   4096

/* Linux's VmData (private writable), VmStk (stack) and VmExe (code), in
 * pages, from the VMA list as fs/proc/task_mmu.c counts them. */
struct vm_sizes {
	unsigned long data, stack, exec;
};

static void count_vmas(const struct mm_struct *mm, struct vm_sizes *v)
{
	const struct vm_area_struct *vma;
	unsigned long pages;

	memset(v, 0, sizeof(*v));
	list_for_each_entry(vma, &mm->mmap, vm_list)
	{
		pages = (vma->vm_end - vma->vm_start) / PAGE_SIZE;
		if (vma->vm_flags & VM_GROWSDOWN)
			v->stack += pages;
		else if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			v->data += pages;
		else if ((vma->vm_flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			v->exec += pages;
	}
}

/* The 52 fields of proc(5), in order; what memos does not have is 0. */
static int pid_stat_show(struct seq_buf *s, struct task_struct *t)
{
	const struct mm_struct *mm = t->mm;
	bool user = mm != NULL;

	seq_printf(s, "%d (%s) %c %d 0 0 %d -1 %u ", t->pid, t->comm, task_state_char(t),
		   t->parent ? t->parent->pid : 0, user ? TTY_SERIAL0 : 0, t->flags);
	seq_printf(s, "%lu %lu %lu %lu %lu %lu %lu %lu 20 0 1 0 %lu ", t->min_flt, t->cmin_flt,
		   t->maj_flt, t->cmaj_flt, t->utime, t->stime, t->cutime, t->cstime,
		   t->start_time);
	seq_printf(s, "%lu %lu %lu %lu %lu %lu 0 0 ", user ? mm->total_vm * PAGE_SIZE : 0,
		   user ? mm->rss_anon + mm->rss_shmem + mm->rss_file : 0, RLIM_INFINITY,
		   user ? mm->start_code : 0, user ? mm->end_code : 0, user ? mm->start_stack : 0);
	seq_printf(s, "%lu 0 0 0 0 0 0 %d 0 0 0 0 0 0 ", t->pending_signals, t->exit_signal);
	seq_printf(s, "%lu %lu %lu %lu %lu %lu %lu %d\n", user ? mm->start_data : 0,
		   user ? mm->end_data : 0, user ? mm->start_brk : 0, user ? mm->arg_start : 0,
		   user ? mm->arg_end : 0, user ? mm->env_start : 0, user ? mm->env_end : 0,
		   t->state >= EXIT_ZOMBIE ? t->exit_code : 0);
	return 0;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'S':
		return "S (sleeping)";
	case 'D':
		return "D (disk sleep)";
	case 't':
		return "t (tracing stop)";
	case 'Z':
		return "Z (zombie)";
	}
	return "X (dead)";
}

static int pid_status_show(struct seq_buf *s, struct task_struct *t)
{
	const struct mm_struct *mm = t->mm;
	struct vm_sizes v;

	seq_printf(s, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n",
		   t->comm, state_name(task_state_char(t)), t->pid, t->pid);
	seq_printf(s, "PPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
		   t->parent ? t->parent->pid : 0);
	seq_printf(s, "FDSize:\t%d\nGroups:\t\n", NR_OPEN);
	if (mm) {
		count_vmas(mm, &v);
		seq_printf(s, "VmSize:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n",
			   mm->total_vm * 4, mm->hiwater_rss * 4,
			   (mm->rss_anon + mm->rss_shmem + mm->rss_file) * 4);
		seq_printf(s, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n",
			   mm->rss_anon * 4, mm->rss_file * 4, mm->rss_shmem * 4);
		seq_printf(s, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n", v.data * 4,
			   v.stack * 4, v.exec * 4);
		seq_printf(s, "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n", mm->pgtables_pages * 4,
			   mm->swapents * 4);
	}
	seq_printf(s, "Threads:\t1\nSigPnd:\t%016lx\n", t->pending_signals);
	seq_printf(s, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", t->nvcsw,
		   t->nivcsw);
	return 0;
}

/* argv as the process laid it out on its stack: NUL-separated strings
 * between arg_start and arg_end, read from its address space. */
static int pid_cmdline_show(struct seq_buf *s, struct task_struct *t)
{
	size_t len, got;

	if (!t->mm || t->mm->arg_end <= t->mm->arg_start)
		return 0;
	len = MIN(t->mm->arg_end - t->mm->arg_start, (unsigned long)CMDLINE_MAX);
	if (len > s->size) {
		s->overflow = true;
		return 0;
	}
	got = access_process_vm(t, t->mm->arg_start, s->buf, len, false);
	s->len = got;
	return 0;
}

/* The name column of a VMA in maps, as Linux labels anonymous memory. */
static const char *vma_name(const struct mm_struct *mm, const struct vm_area_struct *v)
{
	if (v->shm)
		return "/dev/zero (deleted)";
	if (v->vm_start <= mm->brk && v->vm_end >= mm->start_brk)
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

/* /proc/PID/maps in Linux's layout (fs/proc/task_mmu.c show_map_vma):
 * "start-end perms offset dev inode", then the name at column 73. A file
 * mapping shows its offset, the disk's device (08:01, sda1), the inode
 * number and the path; programs from the initramfs are anonymous copies. */
static int pid_maps_show(struct seq_buf *s, struct task_struct *t)
{
	const struct vm_area_struct *v;
	char path[256];

	if (!t->mm)
		return 0;
	list_for_each_entry(v, &t->mm->mmap, vm_list)
	{
		size_t line_start = s->len;
		const char *name = vma_name(t->mm, v);

		if (v->vm_file && inode_path(v->vm_file->inode, path, sizeof(path)) >= 0)
			name = path;
		seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %s %lu ", v->vm_start, v->vm_end,
			   v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
			   v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_SHARED ? 's' : 'p',
			   v->shm || v->vm_file ? v->vm_pgoff << PAGE_SHIFT : 0,
			   v->vm_file ? "08:01"
			   : v->shm   ? "00:01"
				      : "00:00",
			   v->vm_file ? v->vm_file->inode->ino : 0UL);
		if (name) {
			while (s->len - line_start < 73 && !s->overflow)
				seq_write(s, " ", 1);
			seq_printf(s, "%s", name);
		}
		seq_write(s, "\n", 1);
	}
	return 0;
}

static int pid_comm_show(struct seq_buf *s, struct task_struct *t)
{
	seq_printf(s, "%s\n", t->comm);
	return 0;
}

static int pid_oom_score_show(struct seq_buf *s, struct task_struct *t)
{
	seq_printf(s, "%lu\n", oom_score(t));
	return 0;
}

static int pid_oom_score_adj_show(struct seq_buf *s, struct task_struct *t)
{
	seq_printf(s, "%d\n", t->oom_score_adj);
	return 0;
}

/* A decimal in [-1000, 1000], optional sign, surrounding whitespace
 * allowed (echo's newline), nothing else: else -EINVAL, as Linux. */
static int pid_oom_score_adj_write(const char *buf, struct task_struct *t)
{
	bool negative = false;
	unsigned long v;

	while (*buf == ' ' || *buf == '\t')
		buf++;
	if (*buf == '-' || *buf == '+')
		negative = *buf++ == '-';
	if (*buf == ' ' || *buf == '\t')
		return -EINVAL;
	/* Linux parses an int first (kstrtoint: too big is -ERANGE), then
	 * checks the range (-EINVAL). */
	if (proc_parse_ulong(buf, 0, ~0UL, &v))
		return -EINVAL;
	if (v > (negative ? 0x80000000UL : 0x7fffffffUL))
		return -ERANGE;
	if (v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	t->oom_score_adj = (short)(negative ? -(long)v : (long)v);
	return 0;
}

/* /proc/PID/exe -> the program's file, by its path (Linux's exe_file):
 * ENOENT for kernel threads. */
static int pid_exe_link(struct task_struct *t, char *buf, size_t size)
{
	if (!t->mm || !t->mm->exe_inode)
		return -ENOENT;
	return inode_path(t->mm->exe_inode, buf, size) < 0 ? -ENAMETOOLONG : 0;
}

const struct proc_entry proc_pid_entries[] = {
	PROC_FILE("stat", pid_stat_show),
	PROC_FILE("status", pid_status_show),
	PROC_FILE("cmdline", pid_cmdline_show),
	PROC_FILE("comm", pid_comm_show),
	PROC_LINK("exe", pid_exe_link),
	PROC_FILE("maps", pid_maps_show),
	PROC_FILE("oom_score", pid_oom_score_show),
	PROC_RW("oom_score_adj", pid_oom_score_adj_show, pid_oom_score_adj_write),
	{NULL},
};

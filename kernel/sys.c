/* Small system calls about the process and the machine: ids, time, sleep,
 * uname, getrusage, sysinfo, arch_prctl, set_tid_address. */
#include "kernel/drivers/rtc.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "kernel/percpu.h"
#include "mm/gfp.h"
#include "mm/mmap.h"

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7
#define ARCH_SET_FS		 0x1002
#define ARCH_GET_FS		 0x1003
#define RUSAGE_SELF		 0
#define RUSAGE_CHILDREN		 (-1)

struct timespec {
	long tv_sec, tv_nsec;
};

SYSCALL_DEFINE0(39, getpid)
{
	return current->pid;
}

SYSCALL_DEFINE0(186, gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(110, getppid)
{
	return current->parent ? current->parent->pid : 0;
}

/* Everyone is root: there are no users in this kernel. */
SYSCALL_DEFINE0(102, getuid)
{
	return 0;
}

SYSCALL_DEFINE0(104, getgid)
{
	return 0;
}

SYSCALL_DEFINE0(107, geteuid)
{
	return 0;
}

SYSCALL_DEFINE0(108, getegid)
{
	return 0;
}

SYSCALL_DEFINE0(24, sched_yield)
{
	schedule();
	return 0;
}

static void ns_to_timespec(u64 ns, struct timespec *ts)
{
	ts->tv_sec = (long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

SYSCALL_DEFINE2(228, clock_gettime, int, clock, struct timespec __user *, tp)
{
	struct timespec ts;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns_to_timespec(boot_time_sec * NSEC_PER_SEC + ktime_get_ns(), &ts);
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns_to_timespec(ktime_get_ns(), &ts);
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns_to_timespec((current->utime + current->stime) * (NSEC_PER_SEC / HZ), &ts);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(tp, &ts, sizeof(ts));
}

SYSCALL_DEFINE2(96, gettimeofday, long __user *, tv, void __user *, tz)
{
	u64 ns = boot_time_sec * NSEC_PER_SEC + ktime_get_ns();
	long v[2] = {(long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC / 1000)};

	(void)tz;
	return tv ? copy_to_user(tv, v, sizeof(v)) : 0;
}

/* nanosleep: the task sleeps on the tick, but the time asked is measured
 * on the clock clock_gettime reads (the TSC), as Linux's hrtimer sleep
 * measures it on its clocksource: waking at a tick, it sleeps on while
 * that clock says time is left. The tick alone is not enough: after a
 * vCPU stall QEMU's PIT delivers the missed ticks in a burst, and a
 * three-tick sleep measured 16-18 ms for 20 asked. */
SYSCALL_DEFINE2(35, nanosleep, const struct timespec __user *, req, struct timespec __user *, rem)
{
	struct timespec ts;
	u64 end, now;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	end = ktime_get_ns() + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	while ((now = ktime_get_ns()) < end) {
		/* The ticks the rest needs; the current one is partly over. */
		u64 ticks = DIV_ROUND_UP(end - now, NSEC_PER_SEC / HZ);

		if (schedule_timeout_until(jiffies + ticks)) {
			now = ktime_get_ns();
			if (rem) {
				ns_to_timespec(end > now ? end - now : 0, &ts);
				copy_to_user(rem, &ts, sizeof(ts));
			}
			return -EINTR;
		}
	}
	return 0;
}

/* pause: sleep until a signal (which, without handlers, kills). */
SYSCALL_DEFINE0(34, pause)
{
	return schedule_timeout_until(~0UL);
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

SYSCALL_DEFINE1(63, uname, struct new_utsname __user *, buf)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "memos", sizeof(u.sysname));
	strlcpy(u.nodename, "memos", sizeof(u.nodename));
	strlcpy(u.release, "0.1", sizeof(u.release));
	strlcpy(u.version, "#1 " __DATE__, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}

SYSCALL_DEFINE2(98, getrusage, int, who, struct rusage __user *, ru)
{
	struct task_struct *t = current;
	struct rusage r;

	if (who == RUSAGE_SELF)
		fill_rusage(&r, t->utime, t->stime, t->min_flt, t->maj_flt, t->maxrss_kb, t->nvcsw,
			    t->nivcsw);
	else if (who == RUSAGE_CHILDREN)
		fill_rusage(&r, t->cutime, t->cstime, t->cmin_flt, t->cmaj_flt, t->cmaxrss_kb, 0,
			    0);
	else
		return -EINVAL;
	return copy_to_user(ru, &r, sizeof(r));
}

struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[4];
};

SYSCALL_DEFINE1(99, sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo si;
	struct task_struct *t;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ktime_get_ns() / NSEC_PER_SEC);
	si.totalram = totalram_pages() * PAGE_SIZE;
	si.freeram = nr_free_pages() * PAGE_SIZE;
	for_each_process(t) si.procs++;
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si));
}

SYSCALL_DEFINE2(158, arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		current->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS: {
		unsigned long fs = rdmsr(MSR_FS_BASE);
		return copy_to_user((void __user *)addr, &fs, sizeof(fs));
	}
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE1(218, set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = (u64)tidptr;
	return current->pid;
}

#define LINUX_REBOOT_MAGIC1	   0xfee1deadU
#define LINUX_REBOOT_MAGIC2	   672274793U
#define LINUX_REBOOT_CMD_RESTART   0x01234567U
#define LINUX_REBOOT_CMD_HALT	   0xcdef0123U
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcU
#define PIIX4_PM1A_CNT		   0x604  /* QEMU pc: ACPI PM base 0x600 (SeaBIOS) */
#define PM1_SLP_EN_S5		   0x2000 /* SLP_EN with QEMU's S5 sleep type */
#define KBD_CONTROLLER		   0x64
#define KBD_PULSE_RESET		   0xfe

/* reboot(2): power off, halt or restart, with Linux's magic numbers. */
SYSCALL_DEFINE4(169, reboot, unsigned int, magic1, unsigned int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	(void)arg;
	if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_emerg("reboot: Power down\n");
		outw(PIIX4_PM1A_CNT, PM1_SLP_EN_S5);
		break;
	case LINUX_REBOOT_CMD_RESTART:
		pr_emerg("reboot: Restarting system\n");
		outb(KBD_CONTROLLER, KBD_PULSE_RESET);
		break;
	case LINUX_REBOOT_CMD_HALT:
		pr_emerg("reboot: System halted\n");
		break;
	default:
		return -EINVAL;
	}
	local_irq_disable();
	for (;;)
		halt();
}

#define RLIMIT_DATA  2
#define RLIMIT_STACK 3
#define RLIMIT_AS    9
#define RLIM_NLIMITS 16

struct rlimit {
	unsigned long rlim_cur, rlim_max;
};

/* The limit memos enforces for resource, or NULL if it has none (then the
 * limit is reported as unlimited, which is the truth). */
static unsigned long *rlimit_slot(struct task_struct *t, unsigned int resource)
{
	switch (resource) {
	case RLIMIT_DATA:
		return &t->rlim_data;
	case RLIMIT_STACK:
		return &t->rlim_stack;
	case RLIMIT_AS:
		return &t->rlim_as;
	default:
		return NULL;
	}
}

/* prlimit64 on the caller (pid 0 or its own): get and/or set. Soft and
 * hard limits are one value here; setting them apart is -EINVAL, and so
 * is setting a limit memos would not enforce. */
static long do_prlimit(unsigned int resource, const struct rlimit __user *new,
		       struct rlimit __user *old)
{
	unsigned long *slot = rlimit_slot(current, resource);
	struct rlimit r;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (old) {
		r.rlim_cur = r.rlim_max = slot ? *slot : ~0UL;
		if (copy_to_user(old, &r, sizeof(r)))
			return -EFAULT;
	}
	if (new) {
		if (copy_from_user(&r, new, sizeof(r)))
			return -EFAULT;
		if (!slot || r.rlim_cur > r.rlim_max)
			return -EINVAL;
		*slot = r.rlim_cur;
	}
	return 0;
}

SYSCALL_DEFINE2(97, getrlimit, unsigned int, resource, struct rlimit __user *, old)
{
	return do_prlimit(resource, NULL, old);
}

SYSCALL_DEFINE2(160, setrlimit, unsigned int, resource, const struct rlimit __user *, new)
{
	return do_prlimit(resource, new, NULL);
}

SYSCALL_DEFINE4(302, prlimit64, int, pid, unsigned int, resource, const struct rlimit __user *, new,
		struct rlimit __user *, old)
{
	if (pid && pid != current->pid)
		return -EPERM; /* other processes' limits: not supported */
	return do_prlimit(resource, new, old);
}

/*
 * trace: a small strace. Shows that malloc is library code (concept C1):
 * under `trace`, a program's allocations appear as brk and mmap calls,
 * never as a "malloc" system call, because there is none.
 *
 *   trace [-o FILE] PROG [ARGS...]
 *
 * The child asks to be traced (PTRACE_TRACEME) and execs PROG (found in
 * /bin, then in $PATH). The parent resumes it with PTRACE_SYSCALL, which
 * stops it on the way into and out of every system call; at each exit it
 * reads the registers (PTRACE_GETREGS: orig_rax is the number, rdi, rsi,
 * rdx, r10, r8, r9 the arguments, rax the result) and path strings from the
 * child's memory (PTRACE_PEEKDATA), and prints one line the way strace does:
 *
 *   brk(NULL) = 0x4c8000
 *   mmap(NULL, 204800, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f...
 *   open("/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)
 *   +++ exited with 0 +++
 *
 * Lines go to stderr, or to FILE with -o. The same binary runs on Linux and
 * on memos: both implement ptrace with Linux's numbers and register layout.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ptrace requests and options (Linux's include/uapi/linux/ptrace.h). */
#define PTRACE_TRACEME	      0
#define PTRACE_PEEKDATA	      2
#define PTRACE_CONT	      7
#define PTRACE_KILL	      8
#define PTRACE_GETREGS	      12
#define PTRACE_SYSCALL	      24
#define PTRACE_SETOPTIONS     0x4200
#define PTRACE_O_TRACESYSGOOD 1
#define SYSCALL_STOP	      (SIGTRAP | 0x80) /* stop signal with TRACESYSGOOD */

#define MAX_ERRNO   4095 /* results -4095..-1 are -errno */
#define MAX_STR	    32	 /* bytes of a string argument shown */
#define LINE_MAX_SZ 512

/* Linux's struct user_regs_struct (arch/x86/include/asm/user_64.h). */
struct user_regs_struct {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
	unsigned long fs_base, gs_base, ds, es, fs, gs;
};

/*
 * How to print one argument:
 *   d signed decimal, u unsigned, x hex address (NULL for 0), o octal mode,
 *   s path string, w buffer of the length in the next argument (write),
 *   r buffer of the length returned (read), P mmap prot, F mmap flags,
 *   O open flags, A fd or AT_FDCWD, M madvise advice.
 * The result: 'd' decimal, 'x' an address.
 */
struct syscall_desc {
	const char *name;
	const char *args;
	char result;
};

/* The calls our libc makes (libc/include/sys/syscall.h), by number. */
static const struct syscall_desc syscalls[] = {
	[SYS_read] = {"read", "dru", 'd'},
	[SYS_write] = {"write", "dwu", 'd'},
	[SYS_open] = {"open", "sOo", 'd'},
	[SYS_close] = {"close", "d", 'd'},
	[SYS_stat] = {"stat", "sx", 'd'},
	[SYS_fstat] = {"fstat", "dx", 'd'},
	[SYS_lstat] = {"lstat", "sx", 'd'},
	[SYS_poll] = {"poll", "xud", 'd'},
	[SYS_lseek] = {"lseek", "ddd", 'd'},
	[SYS_mmap] = {"mmap", "xuPFdu", 'x'},
	[SYS_mprotect] = {"mprotect", "xuP", 'd'},
	[SYS_munmap] = {"munmap", "xu", 'd'},
	[SYS_brk] = {"brk", "x", 'x'},
	[SYS_rt_sigaction] = {"rt_sigaction", "dxxu", 'd'},
	[SYS_rt_sigprocmask] = {"rt_sigprocmask", "dxxu", 'd'},
	[SYS_ioctl] = {"ioctl", "dxx", 'd'},
	[SYS_pread64] = {"pread64", "druu", 'd'},
	[SYS_pwrite64] = {"pwrite64", "dwuu", 'd'},
	[SYS_readv] = {"readv", "dxd", 'd'},
	[SYS_writev] = {"writev", "dxd", 'd'},
	[SYS_access] = {"access", "sd", 'd'},
	[SYS_pipe] = {"pipe", "x", 'd'},
	[SYS_sched_yield] = {"sched_yield", "", 'd'},
	[SYS_mremap] = {"mremap", "xuudx", 'x'},
	[SYS_msync] = {"msync", "xud", 'd'},
	[SYS_mincore] = {"mincore", "xux", 'd'},
	[SYS_madvise] = {"madvise", "xuM", 'd'},
	[SYS_dup] = {"dup", "d", 'd'},
	[SYS_dup2] = {"dup2", "dd", 'd'},
	[SYS_pause] = {"pause", "", 'd'},
	[SYS_nanosleep] = {"nanosleep", "xx", 'd'},
	[SYS_getpid] = {"getpid", "", 'd'},
	[SYS_clone] = {"clone", "xxxxx", 'd'},
	[SYS_fork] = {"fork", "", 'd'},
	[SYS_vfork] = {"vfork", "", 'd'},
	[SYS_execve] = {"execve", "sxx", 'd'},
	[SYS_exit] = {"exit", "d", 'd'},
	[SYS_wait4] = {"wait4", "dxdx", 'd'},
	[SYS_kill] = {"kill", "dd", 'd'},
	[SYS_uname] = {"uname", "x", 'd'},
	[SYS_fcntl] = {"fcntl", "ddx", 'd'},
	[SYS_fsync] = {"fsync", "d", 'd'},
	[SYS_truncate] = {"truncate", "sd", 'd'},
	[SYS_ftruncate] = {"ftruncate", "dd", 'd'},
	[SYS_getcwd] = {"getcwd", "xu", 'd'},
	[SYS_chdir] = {"chdir", "s", 'd'},
	[SYS_rename] = {"rename", "ss", 'd'},
	[SYS_mkdir] = {"mkdir", "so", 'd'},
	[SYS_rmdir] = {"rmdir", "s", 'd'},
	[SYS_unlink] = {"unlink", "s", 'd'},
	[SYS_gettimeofday] = {"gettimeofday", "xx", 'd'},
	[SYS_getrusage] = {"getrusage", "dx", 'd'},
	[SYS_sysinfo] = {"sysinfo", "x", 'd'},
	[SYS_times] = {"times", "x", 'd'},
	[SYS_getuid] = {"getuid", "", 'd'},
	[SYS_syslog] = {"syslog", "dxd", 'd'},
	[SYS_getgid] = {"getgid", "", 'd'},
	[SYS_geteuid] = {"geteuid", "", 'd'},
	[SYS_getegid] = {"getegid", "", 'd'},
	[SYS_setpgid] = {"setpgid", "dd", 'd'},
	[SYS_getppid] = {"getppid", "", 'd'},
	[SYS_setsid] = {"setsid", "", 'd'},
	[SYS_arch_prctl] = {"arch_prctl", "xx", 'd'},
	[SYS_sync] = {"sync", "", 'd'},
	[SYS_reboot] = {"reboot", "xxxx", 'd'},
	[SYS_gettid] = {"gettid", "", 'd'},
	[SYS_getdents64] = {"getdents64", "dxu", 'd'},
	[SYS_set_tid_address] = {"set_tid_address", "x", 'd'},
	[SYS_clock_gettime] = {"clock_gettime", "dx", 'd'},
	[SYS_clock_nanosleep] = {"clock_nanosleep", "ddxx", 'd'},
	[SYS_exit_group] = {"exit_group", "d", 'd'},
	[SYS_tgkill] = {"tgkill", "ddd", 'd'},
	[SYS_mbind] = {"mbind", "xuxxuu", 'd'},
	[SYS_set_mempolicy] = {"set_mempolicy", "dxu", 'd'},
	[SYS_get_mempolicy] = {"get_mempolicy", "xxuxu", 'd'},
	[SYS_openat] = {"openat", "AsOo", 'd'},
	[SYS_newfstatat] = {"newfstatat", "Asxx", 'd'},
	[SYS_pipe2] = {"pipe2", "xO", 'd'},
	[SYS_prlimit64] = {"prlimit64", "ddxx", 'd'},
	[SYS_getrandom] = {"getrandom", "xuu", 'd'},
};

/* A named bit or value, for flag arguments. */
struct flag_name {
	unsigned long value;
	const char *name;
};

static const struct flag_name prot_names[] = {
	{PROT_READ, "PROT_READ"},
	{PROT_WRITE, "PROT_WRITE"},
	{PROT_EXEC, "PROT_EXEC"},
	{0, NULL},
};

static const struct flag_name map_names[] = {
	{MAP_SHARED, "MAP_SHARED"},
	{MAP_PRIVATE, "MAP_PRIVATE"},
	{MAP_FIXED, "MAP_FIXED"},
	{MAP_ANONYMOUS, "MAP_ANONYMOUS"},
	{MAP_32BIT, "MAP_32BIT"},
	{MAP_GROWSDOWN, "MAP_GROWSDOWN"},
	{MAP_DENYWRITE, "MAP_DENYWRITE"},
	{MAP_NORESERVE, "MAP_NORESERVE"},
	{MAP_POPULATE, "MAP_POPULATE"},
	{MAP_STACK, "MAP_STACK"},
	{MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
	{0, NULL},
};

static const struct flag_name open_names[] = {
	{O_CREAT, "O_CREAT"},	      {O_TRUNC, "O_TRUNC"},	{O_APPEND, "O_APPEND"},
	{O_DIRECTORY, "O_DIRECTORY"}, {O_CLOEXEC, "O_CLOEXEC"}, {0, NULL},
};

static const struct flag_name madvise_names[] = {
	{MADV_NORMAL, "MADV_NORMAL"},
	{MADV_DONTNEED, "MADV_DONTNEED"},
	{MADV_FREE, "MADV_FREE"},
	{MADV_HUGEPAGE, "MADV_HUGEPAGE"},
	{MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE"},
	{0, NULL},
};

/* Linux's errno names, for "-1 ENOMEM (Cannot allocate memory)". */
static const char *const errno_names[] = {
	[EPERM] = "EPERM",
	[ENOENT] = "ENOENT",
	[ESRCH] = "ESRCH",
	[EINTR] = "EINTR",
	[EIO] = "EIO",
	[ENXIO] = "ENXIO",
	[E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF",
	[ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES",
	[EFAULT] = "EFAULT",
	[EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST",
	[EXDEV] = "EXDEV",
	[ENODEV] = "ENODEV",
	[ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE",
	[EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY",
	[EFBIG] = "EFBIG",
	[ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE",
	[EROFS] = "EROFS",
	[EPIPE] = "EPIPE",
	[ERANGE] = "ERANGE",
	[ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS",
	[ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP",
	[EOVERFLOW] = "EOVERFLOW",
	[EOPNOTSUPP] = "EOPNOTSUPP",
};

/* Signal names for "+++ killed by SIGSEGV +++" (Linux x86-64 numbers). */
static const char *const signal_names[] = {
	"SIG0",	     "SIGHUP",	"SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
	"SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
	"SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

/* One output line, built up and written with a single write(). */
struct line {
	char buf[LINE_MAX_SZ];
	size_t len;
};

static int out_fd = STDERR_FILENO;
static pid_t tracee;

/* Appends printf-style text to l, truncating at the buffer's end. */
static void __attribute__((format(printf, 2, 3))) put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n
							      : sizeof(l->buf) - l->len - 1;
}

/* Writes l and a newline to the output, then empties it. */
static void flush_line(struct line *l)
{
	put(l, "\n");
	write(out_fd, l->buf, l->len);
	l->len = 0;
}

static const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)(sizeof(signal_names) / sizeof(signal_names[0])))
		return signal_names[sig];
	return "SIG?";
}

/* The ptrace system call as the kernel defines it (for PEEKDATA the word is
 * stored at data, unlike glibc's wrapper); returns 0 or -1 with errno. */
static long ptrace_call(long request, pid_t pid, unsigned long addr, void *data)
{
	return syscall(SYS_ptrace, request, (long)pid, addr, data);
}

/* Reads one byte of the tracee's memory through PTRACE_PEEKDATA (aligned
 * words, cached); returns -1 when the address is not readable. */
static int peek_byte(unsigned long addr)
{
	static unsigned long cached_addr = 1, cached_word;
	unsigned long word_addr = addr & ~7UL;

	if (word_addr != cached_addr) {
		cached_addr = 1;
		if (ptrace_call(PTRACE_PEEKDATA, tracee, word_addr, &cached_word) < 0)
			return -1;
		cached_addr = word_addr;
	}
	return (int)((cached_word >> ((addr & 7) * 8)) & 0xff);
}

/* Prints up to max bytes of tracee memory at addr as a C string literal,
 * stopping at NUL if nul_ends; "..." marks a cut. */
static void put_string(struct line *l, unsigned long addr, unsigned long max, int nul_ends)
{
	unsigned long i;
	unsigned long shown = max < MAX_STR ? max : MAX_STR;

	if (addr == 0) {
		put(l, "NULL");
		return;
	}
	put(l, "\"");
	for (i = 0; i < shown; i++) {
		int c = peek_byte(addr + i);

		if (c < 0) {
			if (i == 0) {
				l->len--;
				put(l, "0x%lx", addr);
				return;
			}
			break;
		}
		if (c == 0 && nul_ends)
			break;
		if (c == '\n')
			put(l, "\\n");
		else if (c == '\t')
			put(l, "\\t");
		else if (c == '"' || c == '\\')
			put(l, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			put(l, "%c", c);
		else
			put(l, "\\%o", c);
	}
	put(l, "\"");
	if (i == shown && (nul_ends ? peek_byte(addr + i) > 0 : i < max))
		put(l, "...");
}

/* Prints value as NAME|NAME|0x.. from table; zero prints zero_name. */
static void put_flags(struct line *l, unsigned long value, const struct flag_name *table,
		      const char *zero_name)
{
	int first = 1;

	if (value == 0) {
		put(l, "%s", zero_name);
		return;
	}
	for (; table->name; table++) {
		if (table->value && (value & table->value) == table->value) {
			put(l, "%s%s", first ? "" : "|", table->name);
			value &= ~table->value;
			first = 0;
		}
	}
	if (value || first)
		put(l, "%s%#lx", first ? "" : "|", value);
}

/* Prints an exact value from table, or the number. */
static void put_value(struct line *l, unsigned long value, const struct flag_name *table)
{
	for (; table->name; table++) {
		if (table->value == value) {
			put(l, "%s", table->name);
			return;
		}
	}
	put(l, "%lu", value);
}

/* Prints open(2)'s flags: the access mode, then the other bits. */
static void put_open_flags(struct line *l, unsigned long flags)
{
	static const char *const modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

	put(l, "%s", modes[flags & 3]);
	if (flags & ~3UL) {
		put(l, "|");
		put_flags(l, flags & ~3UL, open_names, "0");
	}
}

/* Prints argument i of a call described by kind (see struct syscall_desc). */
static void put_arg(struct line *l, char kind, const unsigned long *args, int i, long result)
{
	unsigned long v = args[i];

	switch (kind) {
	case 'd':
		put(l, "%d", (int)v);
		break;
	case 'u':
		put(l, "%lu", v);
		break;
	case 'o':
		put(l, "%#lo", v);
		break;
	case 's':
		put_string(l, v, MAX_STR, 1);
		break;
	case 'w':
		put_string(l, v, args[i + 1], 0);
		break;
	case 'r':
		if (result < 0)
			put(l, "0x%lx", v);
		else
			put_string(l, v, (unsigned long)result, 0);
		break;
	case 'P':
		put_flags(l, v, prot_names, "PROT_NONE");
		break;
	case 'F':
		put_flags(l, v, map_names, "0");
		break;
	case 'O':
		put_open_flags(l, v);
		break;
	case 'A':
		if ((int)v == -100)
			put(l, "AT_FDCWD");
		else
			put(l, "%d", (int)v);
		break;
	case 'M':
		put_value(l, v, madvise_names);
		break;
	default:
		if (v == 0)
			put(l, "NULL");
		else
			put(l, "0x%lx", v);
	}
}

/* Prints "name(args" for the call in regs (the closing part comes later). */
static void put_call(struct line *l, const struct user_regs_struct *regs, const unsigned long *args,
		     long result)
{
	unsigned long nr = regs->orig_rax;
	const struct syscall_desc *d = NULL;

	if (nr < sizeof(syscalls) / sizeof(syscalls[0]) && syscalls[nr].name)
		d = &syscalls[nr];
	if (!d) {
		put(l, "syscall_%lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx", nr, args[0], args[1],
		    args[2], args[3], args[4], args[5]);
		return;
	}
	put(l, "%s(", d->name);
	for (int i = 0; d->args[i]; i++) {
		/* open's mode is only read with O_CREAT (strace omits it too). */
		if (d->args[i] == 'o' && i > 0 && d->args[i - 1] == 'O' && !(args[i - 1] & O_CREAT))
			break;
		if (i)
			put(l, ", ");
		put_arg(l, d->args[i], args, i, result);
	}
}

/* Prints ") = result" in strace's style: hex for addresses, else decimal,
 * and "-1 ENAME (text)" for an error. */
static void put_result(struct line *l, unsigned long nr, long result)
{
	int is_address = nr < sizeof(syscalls) / sizeof(syscalls[0]) && syscalls[nr].result == 'x';

	if (result < 0 && result >= -MAX_ERRNO && nr != SYS_brk) {
		int err = (int)-result;
		const char *name = err < (int)(sizeof(errno_names) / sizeof(errno_names[0])) &&
						   errno_names[err]
					   ? errno_names[err]
					   : "E?";

		put(l, ") = -1 %s (%s)", name, strerror(err));
	} else if (is_address) {
		put(l, ") = 0x%lx", (unsigned long)result);
	} else {
		put(l, ") = %ld", result);
	}
}

/* Finds prog as the shell would: a name with '/' as is, else /bin/prog,
 * then each $PATH directory; returns a static path or NULL. */
static const char *find_program(const char *prog)
{
	static char path[512];
	const char *dirs = getenv("PATH");

	if (strchr(prog, '/'))
		return prog;
	snprintf(path, sizeof(path), "/bin/%s", prog);
	if (access(path, X_OK) == 0)
		return path;
	while (dirs && *dirs) {
		const char *end = strchr(dirs, ':');
		size_t n = end ? (size_t)(end - dirs) : strlen(dirs);

		snprintf(path, sizeof(path), "%.*s/%s", (int)n, n ? dirs : ".", prog);
		if (access(path, X_OK) == 0)
			return path;
		dirs += n + (end ? 1 : 0);
	}
	return NULL;
}

/* The child: become traceable and run the program; never returns. */
static void run_tracee(const char *path, char **argv)
{
	if (ptrace_call(PTRACE_TRACEME, 0, 0, NULL) < 0) {
		dprintf(STDERR_FILENO, "trace: PTRACE_TRACEME: %s\n", strerror(errno));
		_exit(127);
	}
	execve(path, argv, environ);
	dprintf(STDERR_FILENO, "trace: %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* The execve that started the program: its exit stop is the first stop we
 * see (the tracer starts watching syscalls only after it), so print it from
 * what we passed, as strace does. */
static void print_execve(const char *path, char **argv)
{
	struct line l = {.len = 0};
	int nenv = 0;

	while (environ[nenv])
		nenv++;
	put(&l, "execve(\"%s\", [", path);
	for (int i = 0; argv[i]; i++)
		put(&l, "%s\"%s\"", i ? ", " : "", argv[i]);
	put(&l, "], %p /* %d vars */) = 0", (void *)environ, nenv);
	flush_line(&l);
}

/* Prints the line for a syscall-exit stop, from the arguments saved at
 * entry and the result now in rax. */
static void print_syscall(const struct user_regs_struct *regs, const unsigned long *args)
{
	struct line l = {.len = 0};
	long result = (long)regs->rax;

	put_call(&l, regs, args, result);
	put_result(&l, regs->orig_rax, result);
	flush_line(&l);
}

/* exit and exit_group never return: print them at entry, as strace does. */
static void print_noreturn(const struct user_regs_struct *regs, const unsigned long *args)
{
	struct line l = {.len = 0};

	put_call(&l, regs, args, 0);
	put(&l, ") = ?");
	flush_line(&l);
}

/* Resumes the tracee to its next syscall stop, delivering sig; returns 0,
 * or -1 if it is gone. */
static int resume(int sig)
{
	return (int)ptrace_call(PTRACE_SYSCALL, tracee, 0, (void *)(long)sig);
}

/* The tracer's loop: every stop is a syscall entry, a syscall exit, or a
 * signal for the tracee; returns the exit status trace itself should use. */
static int trace_loop(const char *path, char **argv)
{
	struct user_regs_struct regs;
	unsigned long args[6] = {0};
	int status, in_syscall = 0, sysgood;

	if (waitpid(tracee, &status, 0) < 0)
		return 127;
	if (WIFSTOPPED(status))
		print_execve(path, argv);
	sysgood =
		ptrace_call(PTRACE_SETOPTIONS, tracee, 0, (void *)(long)PTRACE_O_TRACESYSGOOD) == 0;
	while (WIFSTOPPED(status)) {
		int sig = WSTOPSIG(status);
		int deliver = 0;

		/* Without TRACESYSGOOD every SIGTRAP stop is taken as a syscall stop. */
		if (sig == SYSCALL_STOP || (!sysgood && sig == SIGTRAP)) {
			ptrace_call(PTRACE_GETREGS, tracee, 0, &regs);
			if (!in_syscall) {
				args[0] = regs.rdi, args[1] = regs.rsi, args[2] = regs.rdx;
				args[3] = regs.r10, args[4] = regs.r8, args[5] = regs.r9;
				if (regs.orig_rax == SYS_exit || regs.orig_rax == SYS_exit_group)
					print_noreturn(&regs, args);
			} else {
				print_syscall(&regs, args);
			}
			in_syscall = !in_syscall;
		} else if (sig != SIGTRAP) {
			struct line l = {.len = 0};

			put(&l, "--- %s ---", signal_name(sig));
			flush_line(&l);
			deliver = sig;
		}
		if (resume(deliver) < 0 && errno == ESRCH)
			break;
		if (waitpid(tracee, &status, 0) < 0)
			return 127;
	}
	if (WIFSIGNALED(status)) {
		dprintf(out_fd, "+++ killed by %s +++\n", signal_name(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	dprintf(out_fd, "+++ exited with %d +++\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	const char *path;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		out_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out_fd < 0) {
			dprintf(STDERR_FILENO, "trace: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		first = 3;
	}
	if (first >= argc) {
		dprintf(STDERR_FILENO, "usage: trace [-o FILE] PROG [ARGS...]\n");
		return 2;
	}
	path = find_program(argv[first]);
	if (!path) {
		dprintf(STDERR_FILENO, "trace: %s: command not found\n", argv[first]);
		return 127;
	}
	tracee = fork();
	if (tracee < 0) {
		dprintf(STDERR_FILENO, "trace: fork: %s\n", strerror(errno));
		return 1;
	}
	if (tracee == 0)
		run_tracee(path, argv + first);
	return trace_loop(path, argv + first);
}

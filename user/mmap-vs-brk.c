/*
 * mmap-vs-brk: why malloc does not mmap everything (concept C16).
 *
 * One workload (many malloc/free of mixed sizes below 128 KiB, every block
 * written) runs under two policies, each in a fresh child process:
 *   default      M_MMAP_THRESHOLD 128 KiB: everything from the brk pool
 *   all-mmap     M_MMAP_THRESHOLD 0: every block its own mmap, munmap on free
 * and the table puts side by side:
 *   - system calls, counted honestly: a second child runs the same workload
 *     under ptrace (PTRACE_SYSCALL, as `trace` does) and the tracer counts
 *     every call between two marker calls (getppid) around the workload;
 *   - minor page faults (getrusage ru_minflt) and cycles (rdtsc), measured
 *     inside the untraced child, so the tracer's stops cost nothing there.
 *
 *   mmap-vs-brk [OPS]      (default 20000 malloc/free pairs)
 *
 * Summary lines for the tests:
 *   mmap-vs-brk: policy=default syscalls=N brk=N mmap=N munmap=N minflt=N cycles=N
 * Runs unchanged on Linux and on memos.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PTRACE_TRACEME	      0
#define PTRACE_GETREGS	      12
#define PTRACE_SYSCALL	      24
#define PTRACE_SETOPTIONS     0x4200
#define PTRACE_O_TRACESYSGOOD 1
#define SYSCALL_STOP	      (SIGTRAP | 0x80)
#define ORIG_RAX_SLOT	      15 /* orig_rax in Linux's struct user_regs_struct */
#define USER_REGS_WORDS	      27

#define SLOTS	    512	  /* live blocks at most */
#define MAX_REQUEST 65536 /* sizes up to 64 KiB, all below the threshold */

/* What one policy's run measured. */
struct result {
	long syscalls, brk, mmap, munmap;
	long minflt;
	unsigned long long cycles;
};

/* Time-stamp counter, ordered so the workload is not measured outside it. */
static inline unsigned long long rdtsc_ordered(void)
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((unsigned long long)hi << 32) | lo;
}

/* A small deterministic generator (xorshift), the same in every run. */
static unsigned long next_random(unsigned long *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The workload: ops times free a random slot and malloc a new block of a
 * mixed size (mostly small, some up to 64 KiB), writing its first and last
 * bytes; frees all at the end. Returns a checksum so nothing is elided. */
static unsigned long workload(long ops)
{
	static char *slot[SLOTS];
	unsigned long state = 88172645463325252UL, sum = 0;

	for (long i = 0; i < ops; i++) {
		unsigned long r = next_random(&state);
		int k = (int)(r % SLOTS);
		size_t size =
			(r >> 16) % 8 == 0 ? 1 + (r >> 24) % MAX_REQUEST : 16 + (r >> 24) % 512;

		free(slot[k]);
		slot[k] = malloc(size);
		if (!slot[k])
			continue;
		slot[k][0] = (char)i;
		slot[k][size - 1] = (char)i;
		sum += (unsigned long)(unsigned char)slot[k][0];
	}
	for (int k = 0; k < SLOTS; k++) {
		free(slot[k]);
		slot[k] = NULL;
	}
	return sum;
}

/* The child's side (argv: self --run POLICY OPS): runs the workload between
 * two getppid markers and writes "minflt cycles" to stdout. */
static int run_workload(const char *policy, long ops)
{
	struct rusage r0, r1;
	unsigned long long t0, t1;
	unsigned long sum;

	if (strcmp(policy, "all-mmap") == 0)
		mallopt(M_MMAP_THRESHOLD, 0);
	else
		mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	getrusage(RUSAGE_SELF, &r0);
	t0 = rdtsc_ordered();
	getppid(); /* marker: the tracer starts counting */
	sum = workload(ops);
	getppid(); /* marker: the tracer stops counting */
	t1 = rdtsc_ordered();
	getrusage(RUSAGE_SELF, &r1);
	printf("%ld %llu %lu\n", r1.ru_minflt - r0.ru_minflt, t1 - t0, sum);
	return 0;
}

/* Counts the tracee's system calls between the two markers; returns the
 * wait status it ended with. */
static int count_syscalls(pid_t pid, struct result *res)
{
	unsigned long regs[USER_REGS_WORDS];
	int status, entering = 1, markers = 0;

	if (waitpid(pid, &status, 0) < 0)
		return -1;
	syscall(SYS_ptrace, PTRACE_SETOPTIONS, (long)pid, 0L, (long)PTRACE_O_TRACESYSGOOD);
	while (WIFSTOPPED(status)) {
		int sig = WSTOPSIG(status), deliver = 0;

		if (sig == SYSCALL_STOP) {
			if (entering) {
				long nr;

				syscall(SYS_ptrace, PTRACE_GETREGS, (long)pid, 0L, regs);
				nr = (long)regs[ORIG_RAX_SLOT];
				if (nr == SYS_getppid)
					markers++;
				else if (markers == 1) {
					res->syscalls++;
					res->brk += nr == SYS_brk;
					res->mmap += nr == SYS_mmap;
					res->munmap += nr == SYS_munmap;
				}
			}
			entering = !entering;
		} else if (sig != SIGTRAP) {
			deliver = sig;
		}
		if (syscall(SYS_ptrace, PTRACE_SYSCALL, (long)pid, 0L, (long)deliver) < 0 &&
		    errno == ESRCH)
			break;
		if (waitpid(pid, &status, 0) < 0)
			return -1;
	}
	return status;
}

/* Runs this program again as "--run POLICY OPS" in a child (traced or
 * not) with its stdout on a pipe, and collects what it reports. */
static int run_child(const char *self, const char *policy, long ops, int traced, struct result *res)
{
	char ops_text[24], reply[128];
	char *argv[] = {(char *)self, "--run", (char *)policy, ops_text, NULL};
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	snprintf(ops_text, sizeof(ops_text), "%ld", ops);
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (traced && syscall(SYS_ptrace, PTRACE_TRACEME, 0L, 0L, 0L) < 0)
			_exit(126);
		execve(self, argv, environ);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0)
		return -1;
	status = traced ? count_syscalls(pid, res) : (waitpid(pid, &status, 0) < 0 ? -1 : status);
	n = read(fds[0], reply, sizeof(reply) - 1);
	close(fds[0]);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || n <= 0) {
		printf("mmap-vs-brk: the %s%s child failed (status %#x)\n", traced ? "traced " : "",
		       policy, status);
		return -1;
	}
	reply[n] = '\0';
	if (!traced) {
		char *end;

		res->minflt = strtol(reply, &end, 10);
		res->cycles = strtoull(end, NULL, 10);
	}
	return 0;
}

/* Measures one policy: untraced for faults and cycles, traced for calls. */
static int measure(const char *self, const char *policy, long ops, struct result *res)
{
	memset(res, 0, sizeof(*res));
	if (run_child(self, policy, ops, 0, res) < 0)
		return -1;
	return run_child(self, policy, ops, 1, res);
}

int main(int argc, char **argv)
{
	static const char *const policies[] = {"default", "all-mmap"};
	const char *self = (const char *)getauxval(AT_EXECFN);
	struct result res[2];
	long ops = 20000;

	if (argc == 4 && strcmp(argv[1], "--run") == 0)
		return run_workload(argv[2], atol(argv[3]));
	if (argc > 1)
		ops = atol(argv[1]);
	if (!self || ops <= 0) {
		fprintf(stderr, "usage: mmap-vs-brk [OPS]\n");
		return 2;
	}
	printf("mmap-vs-brk: %ld malloc/free pairs, sizes 16-527 bytes (7/8) and up to 64 KiB\n"
	       "(1/8), at most %d live; each policy in a fresh process\n\n",
	       ops, SLOTS);
	for (int i = 0; i < 2; i++)
		if (measure(self, policies[i], ops, &res[i]) < 0)
			return 1;
	printf("%-36s %12s %12s\n", "", "default", "all-mmap");
	printf("%-36s %12s %12s\n", "M_MMAP_THRESHOLD", "128 KiB", "0");
	printf("%-36s %12ld %12ld\n", "system calls", res[0].syscalls, res[1].syscalls);
	printf("%-36s %12ld %12ld\n", "  brk", res[0].brk, res[1].brk);
	printf("%-36s %12ld %12ld\n", "  mmap", res[0].mmap, res[1].mmap);
	printf("%-36s %12ld %12ld\n", "  munmap", res[0].munmap, res[1].munmap);
	printf("%-36s %12ld %12ld\n", "minor page faults", res[0].minflt, res[1].minflt);
	printf("%-36s %12llu %12llu\n", "cycles", res[0].cycles, res[1].cycles);
	printf("%-36s %12.1f %12.1f\n\n", "cycles per malloc/free pair",
	       (double)res[0].cycles / (double)ops, (double)res[1].cycles / (double)ops);
	for (int i = 0; i < 2; i++)
		printf("mmap-vs-brk: policy=%s syscalls=%ld brk=%ld mmap=%ld munmap=%ld minflt=%ld "
		       "cycles=%llu\n",
		       policies[i], res[i].syscalls, res[i].brk, res[i].mmap, res[i].munmap,
		       res[i].minflt, res[i].cycles);
	return 0;
}

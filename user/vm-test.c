/*
 * vm-test: LTP-style checks of virtual memory, as TAP (concepts C3-C5 and
 * the fork, brk and mmap rules under them).
 *
 *   vm-test            run every case; exit 0 iff all pass
 *   vm-test -k WORD    only the cases whose description contains WORD
 *
 * Each case runs in a child process, so a case that crashes fails alone.
 * On memos the parent also compares MemFree before the fork and after the
 * child is reaped: any difference is a leaked (or lost) frame. Linux's
 * MemFree moves on its own, so there the figure is only printed.
 * The same binary runs on the host's Linux (tests/scripts/vm_host.sh) and
 * in memos (tests/qemu/vm_guest.py); Linux is the reference.
 * Cases that change /proc/sys/vm/overcommit_memory run only on memos, or
 * on Linux with VM_TEST_SYSCTL=1 (mode 2 for a moment can fail every other
 * allocation on a busy host).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "lib/procfs.h"

#define PAGE_SIZE 4096UL
#define KIB	  1024UL
#define MIB	  (1024UL * 1024)
#define GIB	  (1024UL * MIB)
/* Linux's x86-64 user address space ends one page below 2^47. */
#define TASK_SIZE ((1UL << 47) - PAGE_SIZE)

enum {
	PASS = 0,
	FAIL = 1,
	SKIP = 77
};

/* Inside a case: report and fail when cond is false. */
#define CHECK(cond, ...)                                           \
	do {                                                       \
		if (!(cond)) {                                     \
			printf("#   %s:%d: ", __func__, __LINE__); \
			printf(__VA_ARGS__);                       \
			printf("  [failed: %s]\n", #cond);         \
			return FAIL;                               \
		}                                                  \
	} while (0)

static bool on_memos;
static int skip_fd = -1; /* a case writes its skip reason here */
static char procbuf[65536];

/* ---- helpers ---------------------------------------------------------- */

static long proc_kb(const char *file, const char *key)
{
	unsigned long value;

	if (proc_read(file, procbuf, sizeof(procbuf)) < 0 || !proc_field(procbuf, key, &value))
		return -1;
	return (long)value;
}

static long memfree_kb(void)
{
	return proc_kb("meminfo", "MemFree");
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The raw brk system call: returns the new break, or the old one on failure. */
static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

static char *map_anon(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A page-aligned range of len bytes that is certainly not mapped. */
static char *unmapped_range(size_t len)
{
	char *p = map_anon(len, PROT_READ);

	if (p)
		munmap(p, len);
	return p;
}

/* Calls skip() from a case to end it as skipped, with a reason. */
static int skip(const char *reason)
{
	if (write(skip_fd, reason, strlen(reason)) < 0)
		return FAIL;
	return SKIP;
}

/* Runs fn(arg) in a child and returns the signal that killed it, 0 if it
 * exited with status 0, or -status if it exited otherwise. */
static int signal_of(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1000;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1001;
	return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

static void write_byte(void *p)
{
	*(volatile char *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

static void call_code(void *p)
{
	((void (*)(void))p)();
}

/* One line of /proc/self/maps, split into Linux's fields. */
struct map_line {
	unsigned long start, end;
	char perms[5];
	const char *path; /* points into the line; "" if none */
};

/* Parses "start-end perms offset dev inode [path]"; false if malformed
 * (every field must be there in Linux's format). */
static bool parse_map_line(char *line, struct map_line *m)
{
	char *s = line, *end;
	int i;

	m->start = strtoul(s, &end, 16);
	if (end == s || *end != '-')
		return false;
	s = end + 1;
	m->end = strtoul(s, &end, 16);
	if (end == s || *end != ' ' || m->end <= m->start)
		return false;
	s = end + 1;
	for (i = 0; i < 4; i++)
		m->perms[i] = s[i];
	m->perms[4] = '\0';
	if (!strchr("r-", s[0]) || !strchr("w-", s[1]) || !strchr("x-", s[2]) ||
	    !strchr("ps", s[3]) || s[4] != ' ')
		return false;
	s += 5;
	strtoul(s, &end, 16); /* offset: 8 hex digits or more */
	if (end - s < 8 || *end != ' ')
		return false;
	s = end + 1;
	strtoul(s, &end, 16); /* dev major:minor */
	if (end == s || *end != ':')
		return false;
	s = end + 1;
	strtoul(s, &end, 16);
	if (end == s || *end != ' ')
		return false;
	s = end + 1;
	strtoul(s, &end, 10); /* inode */
	if (end == s)
		return false;
	while (*end == ' ')
		end++;
	m->path = end;
	return true;
}

/* Calls fn on every line of /proc/self/maps; returns the number of lines,
 * or -1 if the file cannot be read or a line is malformed. */
static int for_each_map(bool (*fn)(struct map_line *, void *), void *arg)
{
	static char maps[65536];
	char *line = maps, *nl;
	int n = 0;

	if (read_file("/proc/self/maps", maps, sizeof(maps)) < 0)
		return -1;
	for (; *line; line = nl + 1) {
		struct map_line m;

		nl = strchr(line, '\n');
		if (!nl)
			return -1;
		*nl = '\0';
		if (!parse_map_line(line, &m)) {
			printf("#   malformed maps line: %s\n", line);
			return -1;
		}
		n++;
		if (fn && !fn(&m, arg))
			break;
	}
	return n;
}

struct range_count {
	unsigned long lo, hi;
	int lines;
	char perms[4][5];
};

static bool count_in_range(struct map_line *m, void *arg)
{
	struct range_count *rc = arg;

	if (m->start < rc->hi && m->end > rc->lo) {
		if (rc->lines < 4)
			memcpy(rc->perms[rc->lines], m->perms, 5);
		rc->lines++;
	}
	return true;
}

/* How many maps lines (VMAs) intersect [p, p+len). */
static int vmas_in(const void *p, size_t len, struct range_count *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->lo = (unsigned long)p;
	rc->hi = rc->lo + len;
	if (for_each_map(count_in_range, rc) < 0)
		return -1;
	return rc->lines;
}

struct find_path {
	const char *path;
	struct map_line found;
	int matches;
};

static bool match_path(struct map_line *m, void *arg)
{
	struct find_path *f = arg;

	if (strcmp(m->path, f->path) == 0 && f->matches++ == 0)
		f->found = *m;
	return true;
}

/* Finds the maps line named path ("[stack]", "[heap]"); true only if
 * exactly one line has that name, as on Linux. */
static bool find_map(const char *path, struct map_line *out)
{
	struct find_path f = {.path = path};

	for_each_map(match_path, &f);
	*out = f.found;
	if (f.matches > 1)
		printf("#   %d lines are named %s\n", f.matches, path);
	return f.matches == 1;
}

/* Resident pages of [p, p+pages*PAGE_SIZE) by mincore, or -1 on error. */
static long resident_pages(void *p, long pages)
{
	static unsigned char vec[4096];
	long n = 0;

	if (pages > (long)sizeof(vec) || mincore(p, (size_t)pages * PAGE_SIZE, vec) < 0)
		return -1;
	for (long i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static bool all_bytes(const char *p, size_t len, char value)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != value)
			return false;
	return true;
}

/* ---- brk -------------------------------------------------------------- */

static int brk_grow_shrink(void)
{
	unsigned long b0 = sys_brk(0), top, b1, b2;
	unsigned char vec;

	CHECK(b0 != 0 && b0 != (unsigned long)-1, "brk(0) = %#lx", b0);
	b1 = sys_brk(b0 + MIB);
	CHECK(b1 == b0 + MIB, "brk(+1 MiB) returned %#lx, break was %#lx", b1, b0);
	CHECK(all_bytes((char *)b0, MIB, 0), "the new heap does not read as zeros");
	memset((char *)b0, 0x5a, MIB);
	b2 = sys_brk(b0);
	CHECK(b2 == b0, "shrinking returned %#lx, want %#lx", b2, b0);
	top = (b0 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	CHECK(mincore((void *)top, PAGE_SIZE, &vec) < 0 && errno == ENOMEM,
	      "the page above the shrunk break is still mapped");
	return PASS;
}

static int brk_below_start(void)
{
	unsigned long b0 = sys_brk(0);
	unsigned long r = sys_brk(0x10000);

	CHECK(r == b0, "brk(0x10000) returned %#lx, want the old break %#lx", r, b0);
	CHECK(sys_brk(0) == b0, "the break moved");
	return PASS;
}

static int brk_absurd(void)
{
	unsigned long b0 = sys_brk(0);
	unsigned long r1 = sys_brk(b0 + (1UL << 45));
	unsigned long r2 = sys_brk(TASK_SIZE - PAGE_SIZE);

	CHECK(r1 == b0, "brk(+32 TiB) returned %#lx, want the old break %#lx", r1, b0);
	CHECK(r2 == b0, "brk(into the stack) returned %#lx, want the old break %#lx", r2, b0);
	return PASS;
}

static int brk_regrow_zero(void)
{
	unsigned long b0 = sys_brk(0);
	long rss0, rss1, rss2;

	rss0 = proc_kb("self/status", "VmRSS");
	CHECK(sys_brk(b0 + 64 * PAGE_SIZE) == b0 + 64 * PAGE_SIZE, "grow failed");
	memset((char *)b0, 0xab, 64 * PAGE_SIZE);
	rss1 = proc_kb("self/status", "VmRSS");
	CHECK(sys_brk(b0) == b0, "shrink failed");
	rss2 = proc_kb("self/status", "VmRSS");
	CHECK(sys_brk(b0 + 64 * PAGE_SIZE) == b0 + 64 * PAGE_SIZE, "regrow failed");
	CHECK(all_bytes((char *)b0, 64 * PAGE_SIZE, 0), "regrown heap kept old bytes");
	sys_brk(b0);
	CHECK(rss1 - rss0 >= 256 && rss1 - rss2 >= 256,
	      "VmRSS %ld -> %ld (filled 256 kB) -> %ld (shrunk)", rss0, rss1, rss2);
	return PASS;
}

/* ---- error cases ------------------------------------------------------ */

struct mmap_error {
	const char *desc;
	unsigned long addr;
	size_t len;
	int prot, flags, fd;
	long off;
	int err;
};

static const struct mmap_error mmap_errors[] = {
	{"mmap MAP_FIXED at an unaligned address: EINVAL", 0x200000001UL, PAGE_SIZE, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, EINVAL},
	{"mmap of length 0: EINVAL", 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, EINVAL},
	{"mmap without MAP_PRIVATE or MAP_SHARED: EINVAL", 0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS,
	 -1, 0, EINVAL},
	{"mmap with an unaligned offset: EINVAL", 0, PAGE_SIZE, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS, -1, 1, EINVAL},
	{"mmap longer than the address space: ENOMEM", 0, 1UL << 47, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, ENOMEM},
	{"mmap of length SIZE_MAX (overflows page rounding): ENOMEM", 0, (size_t)-1, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, ENOMEM},
	{"mmap MAP_FIXED ending above TASK_SIZE: ENOMEM", TASK_SIZE, 2 * PAGE_SIZE, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, ENOMEM},
	{"mmap of a file with fd -1 (no MAP_ANONYMOUS): EBADF", 0, PAGE_SIZE, PROT_READ,
	 MAP_PRIVATE, -1, 0, EBADF},
};

static const struct mmap_error *current_error;

static int mmap_error_case(void)
{
	const struct mmap_error *e = current_error;
	void *p = mmap((void *)e->addr, e->len, e->prot, e->flags, e->fd, e->off);
	int err = errno;

	CHECK(p == MAP_FAILED, "mmap succeeded: %p", p);
	CHECK(err == e->err, "errno %d (%s), want %d (%s)", err, strerror(err), e->err,
	      strerror(e->err));
	return PASS;
}

static int fixed_noreplace_eexist(void)
{
	char *p = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE), *q;

	CHECK(p, "mmap failed");
	p[PAGE_SIZE] = 'x';
	q = mmap(p + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == MAP_FAILED && errno == EEXIST, "got %p errno %d, want EEXIST", (void *)q, errno);
	CHECK(p[PAGE_SIZE] == 'x', "the old mapping lost its data");
	munmap(p, 4 * PAGE_SIZE);
	q = mmap(p + PAGE_SIZE, PAGE_SIZE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + PAGE_SIZE, "in free space it returned %p, want %p", (void *)q,
	      (void *)(p + PAGE_SIZE));
	return PASS;
}

static int munmap_errors(void)
{
	char *p = map_anon(2 * PAGE_SIZE, PROT_READ), *hole = unmapped_range(4 * PAGE_SIZE);

	CHECK(p && hole, "mmap failed");
	CHECK(munmap(p + 1, PAGE_SIZE) < 0 && errno == EINVAL, "unaligned: errno %d", errno);
	CHECK(munmap(p, 0) < 0 && errno == EINVAL, "length 0: errno %d", errno);
	CHECK(munmap((void *)(TASK_SIZE - PAGE_SIZE), 4 * PAGE_SIZE) < 0 && errno == EINVAL,
	      "beyond TASK_SIZE: errno %d", errno);
	CHECK(munmap(hole, 4 * PAGE_SIZE) == 0, "unmapping nothing failed: errno %d", errno);
	return PASS;
}

static int mprotect_errors(void)
{
	char *p = map_anon(3 * PAGE_SIZE, PROT_READ), *hole = unmapped_range(4 * PAGE_SIZE);

	CHECK(p && hole, "mmap failed");
	CHECK(mprotect(p + 1, PAGE_SIZE, PROT_READ) < 0 && errno == EINVAL, "unaligned: errno %d",
	      errno);
	CHECK(mprotect(hole, PAGE_SIZE, PROT_READ) < 0 && errno == ENOMEM,
	      "unmapped: errno %d, want ENOMEM", errno);
	CHECK(mprotect(p, PAGE_SIZE, 0x10000) < 0 && errno == EINVAL, "unknown prot bits: errno %d",
	      errno);
	CHECK(mprotect(p, 0, PROT_READ) == 0, "length 0 failed: errno %d", errno);
	munmap(p + PAGE_SIZE, PAGE_SIZE);
	CHECK(mprotect(p, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE) < 0 && errno == ENOMEM,
	      "a range with a hole: errno %d, want ENOMEM", errno);
	return PASS;
}

static int madvise_mincore_errors(void)
{
	char *p = map_anon(PAGE_SIZE, PROT_READ), *hole = unmapped_range(PAGE_SIZE);
	unsigned char vec[2];

	CHECK(p && hole, "mmap failed");
	CHECK(madvise(p, PAGE_SIZE, 9999) < 0 && errno == EINVAL, "bad advice: errno %d", errno);
	CHECK(madvise(p + 1, PAGE_SIZE, MADV_DONTNEED) < 0 && errno == EINVAL,
	      "unaligned madvise: errno %d", errno);
	CHECK(mincore(p + 1, PAGE_SIZE, vec) < 0 && errno == EINVAL, "unaligned mincore: errno %d",
	      errno);
	CHECK(mincore(hole, PAGE_SIZE, vec) < 0 && errno == ENOMEM,
	      "unmapped mincore: errno %d, want ENOMEM", errno);
	return PASS;
}

/* ---- VMAs ------------------------------------------------------------- */

static int munmap_splits(void)
{
	struct range_count rc;
	char *p = map_anon(8 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned char vec;

	CHECK(p, "mmap failed");
	for (int i = 0; i < 8; i++)
		memset(p + i * PAGE_SIZE, 'a' + i, PAGE_SIZE);
	CHECK(vmas_in(p, 8 * PAGE_SIZE, &rc) == 1, "%d maps lines before", rc.lines);
	CHECK(munmap(p + 3 * PAGE_SIZE, 2 * PAGE_SIZE) == 0, "munmap: errno %d", errno);
	CHECK(vmas_in(p, 8 * PAGE_SIZE, &rc) == 2, "%d maps lines after, want 2", rc.lines);
	for (int i = 0; i < 8; i++)
		if (i < 3 || i > 4)
			CHECK(all_bytes(p + i * PAGE_SIZE, PAGE_SIZE, (char)('a' + i)),
			      "page %d lost its data", i);
	CHECK(mincore(p + 3 * PAGE_SIZE, PAGE_SIZE, &vec) < 0 && errno == ENOMEM,
	      "the hole is still mapped");
	return PASS;
}

static int mprotect_splits_and_merges(void)
{
	struct range_count rc;
	char *p = map_anon(3 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	CHECK(p, "mmap failed");
	memset(p, 'm', 3 * PAGE_SIZE);
	CHECK(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0, "errno %d", errno);
	CHECK(vmas_in(p, 3 * PAGE_SIZE, &rc) == 3, "%d lines, want 3", rc.lines);
	CHECK(!strcmp(rc.perms[0], "rw-p") && !strcmp(rc.perms[1], "r--p") &&
		      !strcmp(rc.perms[2], "rw-p"),
	      "perms %s %s %s", rc.perms[0], rc.perms[1], rc.perms[2]);
	CHECK(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "errno %d", errno);
	CHECK(vmas_in(p, 3 * PAGE_SIZE, &rc) == 1, "%d lines after restoring, want 1 (merged)",
	      rc.lines);
	p[PAGE_SIZE] = 'w';
	CHECK(all_bytes(p + 2 * PAGE_SIZE, PAGE_SIZE, 'm'), "data lost");
	return PASS;
}

static int write_readonly_segv(void)
{
	char *p = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	int sig;

	CHECK(p, "mmap failed");
	p[0] = 'r';
	CHECK(mprotect(p, PAGE_SIZE, PROT_READ) == 0, "errno %d", errno);
	sig = signal_of(write_byte, p);
	CHECK(sig == SIGSEGV, "the writer ended with %d, want SIGSEGV", sig);
	CHECK(p[0] == 'r', "the page changed");
	return PASS;
}

static int prot_none_segv(void)
{
	char *p = map_anon(PAGE_SIZE, PROT_NONE);
	int r, w;

	CHECK(p, "mmap failed");
	r = signal_of(read_byte, p);
	w = signal_of(write_byte, p);
	CHECK(r == SIGSEGV && w == SIGSEGV, "read ended with %d, write with %d", r, w);
	return PASS;
}

static int exec_noexec_segv(void)
{
	char *p = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	int sig;

	CHECK(p, "mmap failed");
	p[0] = (char)0xc3; /* ret */
	sig = signal_of(call_code, p);
	CHECK(sig == SIGSEGV, "executing a page without PROT_EXEC ended with %d", sig);
	CHECK(mprotect(p, PAGE_SIZE, PROT_READ | PROT_EXEC) == 0, "errno %d", errno);
	sig = signal_of(call_code, p);
	CHECK(sig == 0, "executing it with PROT_EXEC ended with %d", sig);
	return PASS;
}

static int map_fixed_replaces(void)
{
	char *p = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE), *q;

	CHECK(p, "mmap failed");
	memset(p, 'o', 4 * PAGE_SIZE);
	q = mmap(p + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + PAGE_SIZE, "MAP_FIXED returned %p, want %p", (void *)q,
	      (void *)(p + PAGE_SIZE));
	CHECK(all_bytes(q, 2 * PAGE_SIZE, 0), "the replaced pages are not zero");
	CHECK(all_bytes(p, PAGE_SIZE, 'o') && all_bytes(p + 3 * PAGE_SIZE, PAGE_SIZE, 'o'),
	      "the pages around lost their data");
	return PASS;
}

/* ---- the stack -------------------------------------------------------- */

/* Uses about 4 KiB of stack per level. */
static int recurse(int depth)
{
	volatile char frame[4000];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + (frame[sizeof(frame) - 1] != (char)depth);
}

static int stack_grows(void)
{
	long stk0 = proc_kb("self/status", "VmStk"), stk1;

	CHECK(recurse(264) == 0, "recursion result"); /* 264 * ~4 KiB > 1 MiB */
	stk1 = proc_kb("self/status", "VmStk");
	CHECK(stk1 >= 1024 && stk1 > stk0, "VmStk %ld kB -> %ld kB after 1 MiB of recursion", stk0,
	      stk1);
	return PASS;
}

static void touch_far_below(void *distance)
{
	volatile char here;

	write_byte((char *)&here - (unsigned long)distance);
}

static int stack_limit_segv(void)
{
	int sig = signal_of(touch_far_below, (void *)(64 * MIB));

	CHECK(sig == SIGSEGV, "touching 64 MiB below the stack ended with %d", sig);
	return PASS;
}

static int stack_guard_gap(void)
{
	struct map_line stack;
	char *below, *q;
	int near, far;

	CHECK(find_map("[stack]", &stack), "no [stack] line in /proc/self/maps");
	below = (char *)stack.start - 2 * MIB;
	q = mmap(below, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0);
	CHECK(q == below, "cannot place a page 2 MiB below the stack: errno %d", errno);
	/* 1.5 MiB above that page: outside the 1 MiB guard gap, the stack may grow. */
	far = signal_of(write_byte, (char *)stack.start - 512 * KIB);
	/* 0.5 MiB above it: inside the gap, growth must fail. */
	near = signal_of(write_byte, (char *)stack.start - 3 * MIB / 2);
	CHECK(far == 0, "growing the stack 512 KiB ended with %d", far);
	CHECK(near == SIGSEGV, "growing into the guard gap ended with %d, want SIGSEGV", near);
	return PASS;
}

/* ---- fork ------------------------------------------------------------- */

static int cow_global = 1;

static int cow_isolation(void)
{
	char *p = map_anon(16 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	int to_child[2], to_parent[2], status;
	char c = 0;
	pid_t pid;

	CHECK(p && pipe(to_child) == 0 && pipe(to_parent) == 0, "setup");
	memset(p, 'A', 16 * PAGE_SIZE);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork: errno %d", errno);
	if (pid == 0) {
		long f0 = minor_faults(), f1;
		bool ok = all_bytes(p, 16 * PAGE_SIZE, 'A');

		p[0] = 'C';
		cow_global = 3;
		f1 = minor_faults();
		if (write(to_parent[1], "x", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(9);
		ok = ok && p[0] == 'C' && all_bytes(p + PAGE_SIZE, PAGE_SIZE, 'A') &&
		     cow_global == 3;
		if (f1 - f0 > 4)
			_exit(8); /* two writes should be two faults (at most a few more) */
		_exit(ok ? 0 : 7);
	}
	CHECK(read(to_parent[0], &c, 1) == 1, "child did not report");
	CHECK(all_bytes(p, PAGE_SIZE, 'A') && cow_global == 1,
	      "the child's write is visible in the parent");
	p[PAGE_SIZE] = 'P';
	cow_global = 2;
	CHECK(write(to_child[1], "y", 1) == 1, "pipe");
	CHECK(waitpid(pid, &status, 0) == pid, "wait");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child: status %#x (7: saw the parent's write or lost its own, 8: too many faults)",
	      status);
	return PASS;
}

static int fork_does_not_copy(void)
{
	size_t len = 8 * MIB;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);
	int fds[2], status;
	long before, in_child = 0;
	pid_t pid;

	CHECK(p && pipe(fds) == 0, "setup");
	memset(p, 'f', len);
	before = memfree_kb();
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		long now = memfree_kb();

		_exit(write(fds[1], &now, sizeof(now)) == sizeof(now) ? 0 : 1);
	}
	CHECK(read(fds[0], &in_child, sizeof(in_child)) == sizeof(in_child), "pipe");
	waitpid(pid, &status, 0);
	printf("#   MemFree drop at fork with 8192 kB touched: %ld kB\n", before - in_child);
	if (on_memos)
		CHECK(before - in_child < (long)(len / KIB / 4),
		      "fork cost %ld kB: the pages were copied, not shared", before - in_child);
	return PASS;
}

static int shared_anon_across_fork(void)
{
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		       0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED, "mmap: errno %d", errno);
	p[PAGE_SIZE] = 'b'; /* one page present before the fork, the rest not */
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		if (p[PAGE_SIZE] != 'b')
			_exit(1);
		p[0] = 'S';
		p[PAGE_SIZE] = 'T';
		p[3 * PAGE_SIZE] = 'U';
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && status == 0, "child status %#x", status);
	CHECK(p[0] == 'S' && p[PAGE_SIZE] == 'T' && p[3 * PAGE_SIZE] == 'U',
	      "the parent sees %#x %#x %#x, want 'S' 'T' 'U'", p[0], p[PAGE_SIZE],
	      p[3 * PAGE_SIZE]);
	CHECK(p[2 * PAGE_SIZE] == 0, "an untouched shared page is not zero");
	return PASS;
}

static void fill_and_exit(void *unused)
{
	char *p = map_anon(256 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned long b = sys_brk(0);

	(void)unused;
	if (p)
		memset(p, 0xab, 256 * PAGE_SIZE);
	if (sys_brk(b + 64 * PAGE_SIZE) == b + 64 * PAGE_SIZE)
		memset((char *)b, 0xab, 64 * PAGE_SIZE);
}

static int new_pages_are_zero(void)
{
	char *p;
	unsigned long b;

	CHECK(signal_of(fill_and_exit, NULL) == 0, "the filler failed");
	p = map_anon(256 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK(p, "mmap failed");
	for (int i = 0; i < 256; i++) {
		p[i * PAGE_SIZE + 7] = 1; /* a write fault, then read the rest */
		p[i * PAGE_SIZE + 7] = 0;
	}
	CHECK(all_bytes(p, 256 * PAGE_SIZE, 0), "a new mmap page held old bytes");
	b = sys_brk(0);
	CHECK(sys_brk(b + 64 * PAGE_SIZE) == b + 64 * PAGE_SIZE, "brk failed");
	CHECK(all_bytes((char *)b, 64 * PAGE_SIZE, 0), "a new brk page held old bytes");
	sys_brk(b);
	return PASS;
}

/* ---- residency and accounting ----------------------------------------- */

static int faults_count_pages(void)
{
	char *p = map_anon(64 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	long f0, f1, rss0, rss1;

	CHECK(p, "mmap failed");
	madvise(p, 64 * PAGE_SIZE, MADV_NOHUGEPAGE);
	rss0 = proc_kb("self/status", "VmRSS");
	f0 = minor_faults();
	for (int i = 0; i < 64; i++)
		p[i * PAGE_SIZE] = 1;
	f1 = minor_faults();
	rss1 = proc_kb("self/status", "VmRSS");
	CHECK(f1 - f0 == 64, "touching 64 pages gave %ld minor faults", f1 - f0);
	CHECK(rss1 - rss0 == 256, "VmRSS grew by %ld kB, want 256", rss1 - rss0);
	CHECK(munmap(p, 64 * PAGE_SIZE) == 0, "munmap");
	rss0 = proc_kb("self/status", "VmRSS");
	CHECK(rss1 - rss0 == 256, "munmap gave back %ld kB of VmRSS, want 256", rss1 - rss0);
	return PASS;
}

static int populate_resident(void)
{
	char *p = mmap(NULL, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char *q = map_anon(16 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	long f0, f1;

	CHECK(p != MAP_FAILED && q, "mmap failed");
	CHECK(resident_pages(p, 16) == 16, "MAP_POPULATE: %ld of 16 resident",
	      resident_pages(p, 16));
	CHECK(resident_pages(q, 16) == 0, "without it: %ld of 16 resident", resident_pages(q, 16));
	q[5 * PAGE_SIZE] = 1;
	CHECK(resident_pages(q, 16) == 1, "after one touch: %ld resident", resident_pages(q, 16));
	f0 = minor_faults();
	for (int i = 0; i < 16; i++)
		p[i * PAGE_SIZE] = 1;
	f1 = minor_faults();
	CHECK(f1 == f0, "writing populated pages faulted %ld times", f1 - f0);
	return PASS;
}

static int dontneed_zeroes(void)
{
	char *p = map_anon(16 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	long rss0, rss1;

	CHECK(p, "mmap failed");
	memset(p, 'd', 16 * PAGE_SIZE);
	rss0 = proc_kb("self/status", "VmRSS");
	CHECK(madvise(p, 16 * PAGE_SIZE, MADV_DONTNEED) == 0, "errno %d", errno);
	rss1 = proc_kb("self/status", "VmRSS");
	CHECK(resident_pages(p, 16) == 0, "%ld pages still resident", resident_pages(p, 16));
	CHECK(rss0 - rss1 == 64, "VmRSS dropped by %ld kB, want 64", rss0 - rss1);
	CHECK(all_bytes(p, 16 * PAGE_SIZE, 0), "the pages read back non-zero");
	return PASS;
}

static bool print_map(struct map_line *m, void *unused)
{
	(void)unused;
	printf("#   %lx-%lx %s %s\n", m->start, m->end, m->perms, m->path);
	return true;
}

static int maps_format(void)
{
	struct map_line heap, stack;
	struct range_count rc;
	char *brk_now;
	bool one_heap;
	int n;

	free(malloc(100)); /* our malloc takes small blocks from brk: the heap exists */
	brk_now = (char *)sys_brk(0);
	n = for_each_map(NULL, NULL);
	CHECK(n > 3, "/proc/self/maps: %d lines (or malformed)", n);
	one_heap = find_map("[heap]", &heap);
	if (!one_heap)
		for_each_map(print_map, NULL);
	CHECK(one_heap, "no [heap] line, or more than one");
	CHECK(find_map("[stack]", &stack), "no [stack] line, or more than one");
	if (!(heap.start < (unsigned long)brk_now && (unsigned long)brk_now <= heap.end))
		for_each_map(print_map, NULL);
	CHECK(heap.start < (unsigned long)brk_now && (unsigned long)brk_now <= heap.end,
	      "[heap] %lx-%lx does not end at the break %p", heap.start, heap.end, (void *)brk_now);
	CHECK(stack.start < (unsigned long)&n && (unsigned long)&n < stack.end,
	      "[stack] %lx-%lx does not hold a local variable %p", stack.start, stack.end,
	      (void *)&n);
	CHECK(!strcmp(stack.perms, "rw-p"), "[stack] perms %s", stack.perms);
	CHECK(vmas_in((void *)maps_format, 1, &rc) == 1 && !strcmp(rc.perms[0], "r-xp"),
	      "the code is not in an r-xp line (%s)", rc.perms[0]);
	return PASS;
}

static int status_fields(void)
{
	static const char *const keys[] = {"VmSize", "VmRSS", "VmData", "VmStk", "VmPTE"};
	long size0, data0, rss0;
	char *p;

	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CHECK(proc_kb("self/status", keys[i]) >= 0, "no %s in /proc/self/status", keys[i]);
	size0 = proc_kb("self/status", "VmSize");
	data0 = proc_kb("self/status", "VmData");
	rss0 = proc_kb("self/status", "VmRSS");
	p = map_anon(MIB, PROT_READ | PROT_WRITE);
	CHECK(p, "mmap failed");
	CHECK(proc_kb("self/status", "VmSize") - size0 == 1024, "VmSize grew by %ld kB",
	      proc_kb("self/status", "VmSize") - size0);
	CHECK(proc_kb("self/status", "VmData") - data0 == 1024, "VmData grew by %ld kB",
	      proc_kb("self/status", "VmData") - data0);
	CHECK(proc_kb("self/status", "VmRSS") == rss0, "VmRSS moved without a touch");
	return PASS;
}

/* ---- overcommit ------------------------------------------------------- */

/* Maps len bytes in the current overcommit mode; returns 0 or errno. */
static int try_commit(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static int overcommit_modes(void)
{
	static const char path[] = "/proc/sys/vm/overcommit_memory";
	char old[16] = "0\n";
	long total = proc_kb("meminfo", "MemTotal"), limit = proc_kb("meminfo", "CommitLimit");
	/* More than CommitLimit by all of RAM: mode 2 can never allow it. */
	size_t len = (size_t)(total + (limit > 0 ? limit : total)) * KIB;
	int in_mode1, in_mode2;

	if (!on_memos && !getenv("VM_TEST_SYSCTL"))
		return skip("changes a host-wide sysctl: set VM_TEST_SYSCTL=1 to run on Linux");
	CHECK(proc_read("sys/vm/overcommit_memory", old, sizeof(old)) > 0, "cannot read %s", path);
	if (write_file(path, "1\n") < 0) {
		CHECK(!on_memos, "cannot write %s: errno %d", path, errno);
		return skip("overcommit_memory is not writable (not root?)");
	}
	in_mode1 = try_commit(len);
	write_file(path, "2\n");
	in_mode2 = try_commit(len);
	write_file(path, old);
	CHECK(in_mode1 == 0, "mode 1 refused %zu MiB: errno %d", len / MIB, in_mode1);
	CHECK(in_mode2 == ENOMEM,
	      "mode 2 gave errno %d for %zu MiB (CommitLimit %ld kB), want ENOMEM", in_mode2,
	      len / MIB, limit);
	return PASS;
}

static int committed_as(void)
{
	long limit = proc_kb("meminfo", "CommitLimit");
	long c0 = proc_kb("meminfo", "Committed_AS"), c1, c2;
	char *p, *q;

	CHECK(limit > 0 && c0 >= 0, "CommitLimit %ld, Committed_AS %ld in /proc/meminfo", limit,
	      c0);
	p = map_anon(16 * MIB, PROT_READ | PROT_WRITE);
	q = map_anon(16 * MIB, PROT_READ); /* read-only private: not committed */
	CHECK(p && q, "mmap failed");
	c1 = proc_kb("meminfo", "Committed_AS");
	munmap(p, 16 * MIB);
	c2 = proc_kb("meminfo", "Committed_AS");
	printf("#   Committed_AS %ld -> %ld kB with 16 MiB writable + 16 MiB read-only mapped "
	       "-> %ld kB unmapped\n",
	       c0, c1, c2);
	if (on_memos) {
		CHECK(c1 - c0 == 16384, "Committed_AS grew by %ld kB, want 16384", c1 - c0);
		CHECK(c1 - c2 == 16384, "munmap gave back %ld kB, want 16384", c1 - c2);
	}
	return PASS;
}

/* ---- the runner ------------------------------------------------------- */

struct vm_case {
	const char *desc;
	int (*fn)(void);
};

static const struct vm_case cases[] = {
	{"brk grows (zeroed) and shrinks (unmapped)", brk_grow_shrink},
	{"brk below the heap's start returns the old break", brk_below_start},
	{"brk by an absurd amount fails and returns the old break", brk_absurd},
	{"brk shrink frees the pages; regrown pages are zero", brk_regrow_zero},
	{"mmap MAP_FIXED_NOREPLACE over a mapping: EEXIST", fixed_noreplace_eexist},
	{"munmap: EINVAL unaligned, zero length, beyond TASK_SIZE; 0 on a hole", munmap_errors},
	{"mprotect: EINVAL unaligned or bad prot, ENOMEM unmapped or with a hole", mprotect_errors},
	{"madvise/mincore: EINVAL bad advice or unaligned, mincore ENOMEM unmapped",
	 madvise_mincore_errors},
	{"partial munmap splits a VMA (maps lines), the rest keeps its data", munmap_splits},
	{"mprotect of the middle gives three VMAs; restoring merges them",
	 mprotect_splits_and_merges},
	{"writing a read-only page kills with SIGSEGV", write_readonly_segv},
	{"reading or writing a PROT_NONE page kills with SIGSEGV", prot_none_segv},
	{"executing a page without PROT_EXEC kills with SIGSEGV (NX)", exec_noexec_segv},
	{"MAP_FIXED over a mapping replaces those pages with zeros", map_fixed_replaces},
	{"the stack grows on demand: 1 MiB of recursion", stack_grows},
	{"touching 64 MiB below the stack (past RLIMIT_STACK) kills with SIGSEGV",
	 stack_limit_segv},
	{"the stack may not grow within 1 MiB (guard gap) of a mapping below it", stack_guard_gap},
	{"copy-on-write: parent and child never see each other's writes", cow_isolation},
	{"fork does not copy touched pages (MemFree in the child)", fork_does_not_copy},
	{"MAP_SHARED|MAP_ANONYMOUS: the child's writes are seen by the parent",
	 shared_anon_across_fork},
	{"new pages are zero, never another process's bytes", new_pages_are_zero},
	{"touching 64 pages: 64 minor faults, VmRSS +256 kB; munmap gives it back",
	 faults_count_pages},
	{"MAP_POPULATE makes pages resident (mincore); writes then do not fault",
	 populate_resident},
	{"madvise(MADV_DONTNEED) frees the pages; reading gives zeros", dontneed_zeroes},
	{"/proc/self/maps has Linux's format with [heap] and [stack]", maps_format},
	{"/proc/self/status: VmSize VmRSS VmData VmStk VmPTE; mmap moves VmSize, not VmRSS",
	 status_fields},
	{"overcommit: mode 2 refuses what mode 1 allows", overcommit_modes},
	{"Committed_AS counts private writable mappings; CommitLimit shown", committed_as},
};

#define NR_CASES     (sizeof(cases) / sizeof(cases[0]))
#define NR_MMAP_ERRS (sizeof(mmap_errors) / sizeof(mmap_errors[0]))

/* MemFree after a reaped child can lag by a moment (a dead task's last
 * frames go back after the switch away from it): look again a few times. */
static long memfree_settled(long want)
{
	long now = memfree_kb();

	for (int i = 0; i < 20 && now != want; i++) {
		usleep(10000);
		now = memfree_kb();
	}
	return now;
}

/* Runs fn in a child; prints its TAP line. Returns true if it passed. */
static bool run_case(int n, const char *desc, int (*fn)(void))
{
	char reason[200] = "";
	int status, fds[2], rc;
	long before, after;
	ssize_t len;
	pid_t pid;

	/* Before the pipe: its buffer is freed again only when both ends close. */
	before = memfree_kb();
	if (pipe(fds) < 0)
		return false;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		skip_fd = fds[1];
		/* fork does not copy page-cache PTEs (nor does Linux's): the
		 * child's first use of a text page would be a fault of its own. */
		prefault_file_maps();
		rc = fn();
		fflush(stdout);
		_exit(rc);
	}
	close(fds[1]);
	len = read(fds[0], reason, sizeof(reason) - 1);
	reason[len > 0 ? len : 0] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("not ok %d - %s\n#   fork or wait failed: %s\n", n, desc, strerror(errno));
		return false;
	}
	after = memfree_settled(before);
	if (WIFSIGNALED(status)) {
		printf("not ok %d - %s\n#   the case was killed by signal %d\n", n, desc,
		       WTERMSIG(status));
		return false;
	}
	rc = WEXITSTATUS(status);
	if (rc == SKIP) {
		printf("ok %d - %s # SKIP %s\n", n, desc, reason);
		return true;
	}
	if (rc == PASS && on_memos && after != before) {
		printf("not ok %d - %s\n#   frames leaked: MemFree %ld kB before, %ld kB after\n",
		       n, desc, before, after);
		return false;
	}
	printf("%s %d - %s\n", rc == PASS ? "ok" : "not ok", n, desc);
	return rc == PASS;
}

int main(int argc, char **argv)
{
	const char *only = argc > 2 && !strcmp(argv[1], "-k") ? argv[2] : "";
	struct utsname u;
	int n = 0, failed = 0, total = 0, status;

	on_memos = uname(&u) == 0 && !strcmp(u.sysname, "memos");
	for (unsigned i = 0; i < NR_MMAP_ERRS; i++)
		total += strstr(mmap_errors[i].desc, only) != NULL;
	for (unsigned i = 0; i < NR_CASES; i++)
		total += strstr(cases[i].desc, only) != NULL;
	/* Program text read from a disk is faulted in page by page on first
	 * use; fault it all in now, so that no case counts a text fault among
	 * its own faults, resident pages or frames. */
	prefault_file_maps();
	printf("1..%d\n", total);
	printf("# vm-test on %s %s: leak checks %s\n", u.sysname, u.release,
	       on_memos ? "exact (MemFree)" : "off (Linux's MemFree is noisy)");
	/* A first fork and wait, so that lasting kernel allocations for our
	 * first child (slabs) are made before any MemFree comparison. */
	fflush(stdout);
	if (fork() == 0)
		_exit(0);
	wait(&status);

	for (unsigned i = 0; i < NR_MMAP_ERRS; i++) {
		if (!strstr(mmap_errors[i].desc, only))
			continue;
		current_error = &mmap_errors[i];
		failed += !run_case(++n, mmap_errors[i].desc, mmap_error_case);
	}
	for (unsigned i = 0; i < NR_CASES; i++) {
		if (!strstr(cases[i].desc, only))
			continue;
		failed += !run_case(++n, cases[i].desc, cases[i].fn);
	}
	printf("# vm-test: %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

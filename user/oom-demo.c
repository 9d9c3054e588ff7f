/*
 * oom-demo: the OOM killer at work (concepts C7, C8). Starts three hogs,
 * children that fill 10%, 25% and 35% of MemAvailable and then sleep in a
 * read(), prints their oom_score, then starts a trigger that asks for more
 * memory than is left. With swap off or full, direct reclaim finds nothing
 * and the kernel's out_of_memory() kills the task with the highest badness
 * (RSS + swap entries + page tables + oom_score_adj * totalpages / 1000),
 * again and again until the trigger's memory fits. The trigger sets itself
 * to -1000 so only hogs are chosen. Each child's wait status shows who got
 * SIGKILL; survivors check their memory and exit 0; the kernel's log lines
 * are printed after (syslog(2), as dmesg reads them).
 *
 *   oom-demo [--protect|--adj|--allocating] [--repeat N] [--verbose]
 *            [--dry-run] [--mem MiB]
 *
 * Scenarios (sizes in % of MemAvailable; t = the trigger):
 *   default       hogs 10 25 35, t 80        the 35 dies, then the 25
 *   --protect     hogs 10 25 35@-1000, t 45  the 25 dies, never the largest
 *   --adj         hogs 20@+1000 25 30, t 35  the smallest dies: adj first
 *   --allocating  hogs 10 25 35, t 45 at 0, vm.oom_kill_allocating_task=1:
 *                 the trigger itself dies
 * Exits 0 when every round killed exactly the expected tasks in order.
 * --dry-run only starts the hogs and compares each oom_score with Linux's
 * formula (safe on a host); --mem sizes from MiB instead of MemAvailable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "lib/procfs.h"

#define PAGE_SIZE	  4096UL
#define NHOGS		  3
#define TRIGGER		  NHOGS /* index of the trigger among the contenders */
#define NONE		  (-1)
#define OOM_SCORE_ADJ_MIN (-1000)

struct scenario {
	const char *name;
	int hog_pct[NHOGS];	/* each hog's size in % of MemAvailable */
	int hog_adj[NHOGS];	/* each hog's oom_score_adj */
	int trigger_pct;	/* what the trigger asks for */
	int trigger_adj;	/* -1000: the trigger is never the victim */
	int kill_allocating;	/* value for vm.oom_kill_allocating_task */
	int victims[NHOGS + 1]; /* expected kill order, NONE-terminated */
};

/* Sizes leave 10% of MemAvailable free once the expected victims are gone,
 * and are 10% short before: each kill is needed, and the last one is enough. */
static const struct scenario scenarios[] = {
	{"largest", {10, 25, 35}, {0, 0, 0}, 80, OOM_SCORE_ADJ_MIN, 0, {2, 1, NONE}},
	{"protect", {10, 25, 35}, {0, 0, OOM_SCORE_ADJ_MIN}, 45, OOM_SCORE_ADJ_MIN, 0, {1, NONE}},
	{"adj", {20, 25, 30}, {1000, 0, 0}, 35, OOM_SCORE_ADJ_MIN, 0, {0, NONE}},
	{"allocating", {10, 25, 35}, {0, 0, 0}, 45, 0, 1, {TRIGGER, NONE}},
};

/* One hog or the trigger, as the parent sees it. */
struct contender {
	pid_t pid;
	unsigned long kb;
	int adj;
	int status;
};

static const char *const contender_names[] = {"hog A", "hog B", "hog C", "trigger"};

/* Write value to path (an oom_score_adj or sysctl file); returns 0 or -errno. */
static int write_number(const char *path, long value)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", value);
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, (size_t)len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* Read the number at the start of path into *value; returns 0 or -1. */
static int read_number(const char *path, long *value)
{
	char text[64];

	if (read_file(path, text, sizeof(text)) <= 0)
		return -1;
	*value = strtol(text, NULL, 10);
	return 0;
}

/* The field key (a "VmRSS:"-style line) of /proc/pid/status, in kB; 0 if absent. */
static unsigned long status_kb(pid_t pid, const char *key)
{
	char path[64], text[4096];
	unsigned long value = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, text, sizeof(text)) > 0)
		proc_field(text, key, &value);
	return value;
}

/* A meminfo field in kB, 0 if absent. */
static unsigned long meminfo_kb(const char *key)
{
	char text[4096];
	unsigned long value = 0;

	if (proc_read("meminfo", text, sizeof(text)) > 0)
		proc_field(text, key, &value);
	return value;
}

/*
 * Linux's proc_oom_score() for pid, from what /proc/pid/status reports:
 * badness = rss + swapents + pgtables_bytes / PAGE_SIZE
 *           + adj * (totalpages / 1000), totalpages = RAM + swap pages;
 * score = (1000 + badness * 1000 / totalpages) * 2 / 3, 0 at -1000.
 */
static long expected_oom_score(pid_t pid, int adj)
{
	long total = (long)(meminfo_kb("MemTotal") + meminfo_kb("SwapTotal")) / 4;
	long points = (long)(status_kb(pid, "VmRSS") + status_kb(pid, "VmSwap")) / 4 +
		      (long)status_kb(pid, "VmPTE") / 4;

	if (adj == OOM_SCORE_ADJ_MIN || total == 0)
		return 0;
	points += adj * (total / 1000);
	return (1000 + points * 1000 / total) * 2 / 3;
}

/* Write a word derived from seed into every page of mem. */
static void fill_pages(unsigned long *mem, unsigned long pages, unsigned long seed)
{
	for (unsigned long p = 0; p < pages; p++)
		mem[p * (PAGE_SIZE / sizeof(long))] = seed ^ (p * 0x9e3779b97f4a7c15UL);
}

/* Returns 1 if every page still holds what fill_pages wrote, else 0. */
static int pages_intact(const unsigned long *mem, unsigned long pages, unsigned long seed)
{
	for (unsigned long p = 0; p < pages; p++)
		if (mem[p * (PAGE_SIZE / sizeof(long))] != (seed ^ (p * 0x9e3779b97f4a7c15UL)))
			return 0;
	return 1;
}

/* Map kb of anonymous memory and touch every page; NULL on failure. */
static unsigned long *touch_memory(unsigned long kb, unsigned long seed)
{
	unsigned long *mem =
		mmap(NULL, kb * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return NULL;
	fill_pages(mem, kb / 4, seed);
	return mem;
}

/*
 * A hog, in the child: set oom_score_adj, fill its memory, say "r" (ready)
 * on ready_fd, or "f" if it could not, sleep in read(hold_fd) until the
 * parent closes the other end, then exit 0 if its memory is intact, else 1.
 */
static void run_hog(const struct contender *c, int ready_fd, int hold_fd)
{
	unsigned long *mem = NULL;
	char byte;

	if (write_number("/proc/self/oom_score_adj", c->adj) == 0)
		mem = touch_memory(c->kb, (unsigned long)getpid());
	if (write(ready_fd, mem ? "r" : "f", 1) != 1 || !mem)
		_exit(2);
	while (read(hold_fd, &byte, 1) > 0)
		;
	_exit(pages_intact(mem, c->kb / 4, (unsigned long)getpid()) ? 0 : 1);
}

/* The trigger, in the child: allocate and touch kb, then exit 0. */
static void run_trigger(const struct contender *c)
{
	if (write_number("/proc/self/oom_score_adj", c->adj) < 0)
		_exit(2);
	_exit(touch_memory(c->kb, 1) ? 0 : 2);
}

/* Fork a child that runs hog index i (or the trigger); returns its pid or -1. */
static pid_t start(struct contender *cs, int i, int pipes[2][2])
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	close(pipes[0][0]);
	close(pipes[1][1]);
	if (i == TRIGGER)
		run_trigger(&cs[i]);
	run_hog(&cs[i], pipes[0][1], pipes[1][0]);
	return 0;
}

/* Print each hog's size, adj, RSS and oom_score next to the value of Linux's
 * formula; returns 1 if they all agree within 1 (Linux's RSS counters are
 * per-CPU approximations that /proc/PID/status sums exactly). */
static int print_scores(const struct contender *cs)
{
	int agree = 1;

	printf("  contender  pid    MiB  oom_score_adj  VmRSS kB  oom_score  expected\n");
	for (int i = 0; i < NHOGS; i++) {
		char path[64];
		long score = -1, expected = expected_oom_score(cs[i].pid, cs[i].adj);

		snprintf(path, sizeof(path), "/proc/%d/oom_score", cs[i].pid);
		read_number(path, &score);
		printf("  %-9s %5d %5lu %14d %9lu %10ld %9ld\n", contender_names[i], cs[i].pid,
		       cs[i].kb / 1024, cs[i].adj, status_kb(cs[i].pid, "VmRSS"), score, expected);
		agree &= labs(score - expected) <= 1;
	}
	return agree;
}

/* The kernel log, NUL-terminated in a malloc'ed buffer (NULL if unreadable). */
static char *read_kernel_log(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *log;
	int len;

	if (size <= 0)
		size = 128 * 1024;
	log = malloc((size_t)size + 1);
	if (!log)
		return NULL;
	len = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	if (len < 0) {
		free(log);
		return NULL;
	}
	log[len] = '\0';
	return log;
}

/* Where the lines logged after the old log's last line start in log (each
 * line carries a timestamp, so the old last line is unique); log if absent. */
static const char *new_lines(const char *log, const char *old)
{
	char line[256];
	size_t len = strlen(old);
	const char *start, *found;

	while (len > 0 && old[len - 1] == '\n')
		len--;
	for (start = old + len; start > old && start[-1] != '\n'; start--)
		;
	if (len == 0 || (size_t)(old + len - start) >= sizeof(line))
		return log;
	memcpy(line, start, (size_t)(old + len - start));
	line[old + len - start] = '\0';
	found = strstr(log, line);
	if (!found)
		return log;
	found += strlen(line);
	return *found == '\n' ? found + 1 : found;
}

/* Fill order[] with the contenders named in "Killed process PID" lines of log,
 * in the order the kernel logged them; returns how many. */
static int killed_order(const char *log, const struct contender *cs, int *order)
{
	int n = 0;
	const char *line = log;

	while ((line = strstr(line, "Killed process ")) && n < NHOGS + 1) {
		long pid = strtol(line + strlen("Killed process "), NULL, 10);

		for (int i = 0; i <= TRIGGER; i++)
			if (cs[i].pid == pid)
				order[n++] = i;
		line++;
	}
	return n;
}

/* Print the lines of text from the OOM report, each indented, without "<N>". */
static void print_oom_lines(const char *text)
{
	while (*text) {
		const char *end = strchr(text, '\n');
		int len = end ? (int)(end - text) : (int)strlen(text);

		if (*text == '<' && strchr(text, '>') && strchr(text, '>') < text + len) {
			len -= (int)(strchr(text, '>') + 1 - text);
			text = strchr(text, '>') + 1;
		}
		printf("    %.*s\n", len, text);
		text += len + (end ? 1 : 0);
	}
}

/* Describe how contender i ended; returns 1 if killed by SIGKILL. */
static int report_end(const struct contender *c, int i)
{
	if (WIFSIGNALED(c->status)) {
		printf("  %s (pid %d, %lu MiB, adj %d): killed by signal %d%s\n",
		       contender_names[i], c->pid, c->kb / 1024, c->adj, WTERMSIG(c->status),
		       WTERMSIG(c->status) == SIGKILL ? " (SIGKILL)" : "");
		return WTERMSIG(c->status) == SIGKILL;
	}
	printf("  %s (pid %d, %lu MiB, adj %d): exited %d%s\n", contender_names[i], c->pid,
	       c->kb / 1024, c->adj, WEXITSTATUS(c->status),
	       WEXITSTATUS(c->status) == 0 ? (i == TRIGGER ? ", got its memory" : ", memory intact")
					   : "");
	return 0;
}

/*
 * Check the round against the scenario: exactly the expected contenders got
 * SIGKILL, the others exited 0, and (when the log is readable) the kernel
 * killed them in the expected order. Returns 1 if so.
 */
static int round_as_expected(const struct scenario *s, const struct contender *cs, const int *order,
			     int logged, int log_readable)
{
	int expected_kills = 0, ok = 1;

	for (int i = 0; i <= TRIGGER; i++) {
		int expected = 0;

		for (int k = 0; s->victims[k] != NONE; k++)
			expected |= s->victims[k] == i;
		expected_kills += expected;
		if (expected ? !(WIFSIGNALED(cs[i].status) && WTERMSIG(cs[i].status) == SIGKILL)
			     : !(WIFEXITED(cs[i].status) && WEXITSTATUS(cs[i].status) == 0))
			ok = 0;
	}
	if (log_readable) {
		if (logged != expected_kills)
			ok = 0;
		for (int k = 0; k < logged && k < expected_kills; k++)
			if (order[k] != s->victims[k])
				ok = 0;
	}
	return ok;
}

/* Wait for contender c's child and keep its status; returns 0 or -1. */
static int reap(struct contender *c)
{
	while (waitpid(c->pid, &c->status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/*
 * One round: hogs up, scores printed, trigger run (unless dry_run), hogs
 * released, everyone reaped, the log read. Returns 1 if as expected.
 */
static int run_round(const struct scenario *s, unsigned long base_kb, int round, int verbose,
		     int dry_run)
{
	struct contender cs[NHOGS + 1];
	int pipes[2][2], order[NHOGS + 1], logged = 0, ok, scores_agree = 1;
	char *log_before = dry_run ? NULL : read_kernel_log(), *log_after = NULL;
	char byte;

	for (int i = 0; i <= TRIGGER; i++) {
		int pct = i == TRIGGER ? s->trigger_pct : s->hog_pct[i];

		cs[i].kb = base_kb * (unsigned long)pct / 100 / 4 * 4;
		cs[i].adj = i == TRIGGER ? s->trigger_adj : s->hog_adj[i];
		cs[i].status = 0;
		cs[i].pid = 0;
	}
	if (pipe(pipes[0]) < 0 || pipe(pipes[1]) < 0) {
		perror("oom-demo: pipe");
		exit(1);
	}
	for (int i = 0; i < NHOGS; i++)
		if ((cs[i].pid = start(cs, i, pipes)) < 0) {
			perror("oom-demo: fork");
			exit(1);
		}
	close(pipes[0][1]);
	for (int i = 0; i < NHOGS; i++)
		if (read(pipes[0][0], &byte, 1) != 1 || byte != 'r') {
			fprintf(stderr, "oom-demo: a hog could not start (a negative "
					"oom_score_adj needs CAP_SYS_RESOURCE)\n");
			for (int k = 0; k < NHOGS; k++)
				kill(cs[k].pid, SIGKILL);
			exit(1);
		}
	close(pipes[0][0]);
	if (verbose || dry_run)
		scores_agree = print_scores(cs);
	if (!dry_run) {
		if (verbose)
			printf("  trigger: asks for %lu MiB at oom_score_adj %d\n",
			       cs[TRIGGER].kb / 1024, cs[TRIGGER].adj);
		fflush(stdout);
		cs[TRIGGER].pid = start(cs, TRIGGER, pipes);
		reap(&cs[TRIGGER]);
	}
	close(pipes[1][1]);
	close(pipes[1][0]);
	for (int i = 0; i < NHOGS; i++)
		reap(&cs[i]);
	if (dry_run) {
		printf("round %d: oom_score %s Linux's formula\n", round,
		       scores_agree ? "agrees with" : "DIFFERS from");
		return scores_agree;
	}
	log_after = read_kernel_log();
	if (log_after)
		logged =
			killed_order(new_lines(log_after, log_before ? log_before : ""), cs, order);
	ok = round_as_expected(s, cs, order, logged, log_after != NULL);
	if (verbose) {
		printf("  kernel log:\n");
		if (log_after)
			print_oom_lines(new_lines(log_after, log_before ? log_before : ""));
		else
			printf("    (unreadable: %s)\n", strerror(errno));
		for (int i = 0; i <= TRIGGER; i++)
			report_end(&cs[i], i);
	}
	printf("round %d: killed", round);
	for (int k = 0; k < logged; k++)
		printf(" %s (pid %d, %lu MiB)", contender_names[order[k]], cs[order[k]].pid,
		       cs[order[k]].kb / 1024);
	printf("%s: %s\n", logged ? "" : " nothing logged", ok ? "as expected" : "NOT as expected");
	fflush(stdout);
	free(log_before);
	free(log_after);
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: oom-demo [--protect|--adj|--allocating] [--repeat N] "
			"[--verbose] [--dry-run] [--mem MiB]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct scenario *s = &scenarios[0];
	int repeat = 1, verbose = 0, dry_run = 0, passed = 0;
	long old_allocating = 0;
	unsigned long base_kb = meminfo_kb("MemAvailable");

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--protect") == 0)
			s = &scenarios[1];
		else if (strcmp(argv[i], "--adj") == 0)
			s = &scenarios[2];
		else if (strcmp(argv[i], "--allocating") == 0)
			s = &scenarios[3];
		else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc)
			base_kb = strtoul(argv[++i], NULL, 10) * 1024;
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else
			usage();
	}
	printf("oom-demo: scenario %s, %d round%s, sizes from %lu kB; hogs", s->name, repeat,
	       repeat == 1 ? "" : "s", base_kb);
	for (int i = 0; i < NHOGS; i++)
		printf(" %d%%@%d", s->hog_pct[i], s->hog_adj[i]);
	printf(", trigger %d%%@%d%s\n", s->trigger_pct, s->trigger_adj,
	       s->kill_allocating ? ", vm.oom_kill_allocating_task=1" : "");
	read_number("/proc/sys/vm/oom_kill_allocating_task", &old_allocating);
	if (!dry_run && s->kill_allocating != old_allocating &&
	    write_number("/proc/sys/vm/oom_kill_allocating_task", s->kill_allocating) < 0) {
		perror("oom-demo: /proc/sys/vm/oom_kill_allocating_task");
		return 1;
	}
	for (int r = 1; r <= repeat; r++)
		passed += run_round(s, base_kb, r, verbose || r == 1, dry_run);
	if (!dry_run && s->kill_allocating != old_allocating)
		write_number("/proc/sys/vm/oom_kill_allocating_task", old_allocating);
	printf("oom-demo: %d/%d rounds as expected\n", passed, repeat);
	return passed == repeat ? 0 : 1;
}

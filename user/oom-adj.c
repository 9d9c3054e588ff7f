/*
 * oom-adj: oom_score_adj moves a task up or down the OOM killer's list
 * (concept C8). Without options it runs oom-demo's "adj" scenario: the
 * smallest hog (20% of MemAvailable) sets itself to +1000 and dies before
 * hogs of 25% and 30%, because its badness gains 1000 * totalpages / 1000.
 *   oom-adj [--repeat N] [--verbose] [--dry-run] [--mem MiB]
 *   oom-adj --check     TAP checks of the /proc files, safe on any Linux:
 *                       range, -EINVAL outside it, inheritance across fork,
 *                       writes through /proc/PID, oom_score = Linux's formula
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>
#include "lib/procfs.h"

#define MAX_ARGS	  16
#define OOM_SCORE_ADJ_MIN (-1000)

static int tests_run, tests_failed;

/* Print one TAP line; detail (if any) goes after a '#' when the check fails. */
static void check(int ok, const char *desc, const char *detail)
{
	tests_run++;
	tests_failed += !ok;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests_run, desc);
	if (!ok && detail)
		printf("#   %s\n", detail);
}

/* Write text to path in one write(); returns 0 or -errno. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* Read the number in path into *value; returns 0, or -1 if the file is not
 * exactly one decimal number and a newline. */
static int read_number(const char *path, long *value)
{
	char text[64], *end;

	if (read_file(path, text, sizeof(text)) <= 0)
		return -1;
	*value = strtol(text, &end, 10);
	return end != text && strcmp(end, "\n") == 0 ? 0 : -1;
}

/* The oom_score_adj of pid (0: ourselves) through /proc; -9999 if unreadable. */
static long get_adj(pid_t pid)
{
	char path[64];
	long value;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
	return read_number(path, &value) == 0 ? value : -9999;
}

/* Write value to pid's oom_score_adj (0: ourselves); returns 0 or -errno. */
static int set_adj(pid_t pid, const char *value)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
	return write_text(path, value);
}

/* A field of /proc/pid/status or /proc/meminfo, in kB (0 if absent). */
static unsigned long field_kb(const char *path, const char *key)
{
	char text[4096];
	unsigned long value = 0;

	if (read_file(path, text, sizeof(text)) > 0)
		proc_field(text, key, &value);
	return value;
}

/*
 * Linux's proc_oom_score() for pid at oom_score_adj adj, from its status:
 * (1000 + badness * 1000 / totalpages) * 2 / 3, where badness = rss +
 * swapents + page-table pages + adj * (totalpages / 1000); 0 at -1000.
 */
static long expected_oom_score(pid_t pid, long adj)
{
	char status[64];
	long total = (long)(field_kb("/proc/meminfo", "MemTotal") +
			    field_kb("/proc/meminfo", "SwapTotal")) /
		     4;
	long points;

	snprintf(status, sizeof(status), "/proc/%d/status", pid);
	points = (long)(field_kb(status, "VmRSS") + field_kb(status, "VmSwap") +
			field_kb(status, "VmPTE")) /
		 4;
	if (adj == OOM_SCORE_ADJ_MIN || total == 0)
		return 0;
	points += adj * (total / 1000);
	return (1000 + points * 1000 / total) * 2 / 3;
}

/* Values outside -1000..1000 and non-numbers are refused with EINVAL (one
 * that overflows an int: ERANGE, from kstrtoint), leaving the old value. */
static void check_range(int can_lower)
{
	static const char *const bad[] = {"1001", "-1001", "abc", "99999999999"};
	char desc[96], detail[64];

	check(set_adj(0, "500") == 0 && get_adj(0) == 500, "write 500, read 500", NULL);
	check(set_adj(0, "1000\n") == 0 && get_adj(0) == 1000, "write 1000 (the maximum)", NULL);
	if (can_lower)
		check(set_adj(0, "-1000") == 0 && get_adj(0) == -1000, "write -1000 (the minimum)",
		      NULL);
	else
		printf("ok %d - # SKIP lowering needs CAP_SYS_RESOURCE\n", ++tests_run);
	check(set_adj(0, "100") == 0 && get_adj(0) == 100, "write 100, read 100", NULL);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = set_adj(0, bad[i]), want = i == 3 ? -ERANGE : -EINVAL;

		snprintf(desc, sizeof(desc), "write \"%s\": %s, value stays 100", bad[i],
			 want == -ERANGE ? "ERANGE" : "EINVAL");
		snprintf(detail, sizeof(detail), "error %d, value %ld", err, get_adj(0));
		check(err == want && get_adj(0) == 100, desc, detail);
	}
}

/* A child inherits its parent's value; its own writes stay its own; the
 * parent can change the child's value through /proc/PID. */
static void check_fork(void)
{
	int to_child[2], from_child[2], status = 0;
	pid_t pid;
	char byte = 0;

	set_adj(0, "321");
	if (pipe(to_child) < 0 || pipe(from_child) < 0 || (pid = fork()) < 0) {
		check(0, "fork", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* Report what we inherited, then wait for the parent's write of 42. */
		char seen = get_adj(0) == 321 ? 'y' : 'n';

		if (write(from_child[1], &seen, 1) != 1 || read(to_child[0], &byte, 1) != 1)
			_exit(3);
		seen = get_adj(0) == 42 ? 'y' : 'n';
		set_adj(0, "7");
		_exit(seen == 'y' ? 0 : 2);
	}
	close(to_child[0]);
	close(from_child[1]);
	check(read(from_child[0], &byte, 1) == 1 && byte == 'y',
	      "inherited across fork: the child reads the parent's 321", NULL);
	check(get_adj(pid) == 321, "the child's /proc/PID/oom_score_adj reads 321", NULL);
	check(set_adj(pid, "42") == 0, "the parent writes 42 to /proc/CHILD/oom_score_adj", NULL);
	if (write(to_child[1], "g", 1) != 1)
		status = -1;
	close(to_child[1]);
	close(from_child[0]);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child saw the 42 its parent wrote", NULL);
	check(get_adj(0) == 321, "the child's own write (7) leaves the parent at 321", NULL);
}

/* oom_score of a sleeping child equals Linux's formula at several adj
 * values (within 1: Linux's RSS counters are per-CPU approximations that
 * /proc/PID/status sums exactly), reads 0 at -1000, and grows with adj. */
static void check_scores(int can_lower)
{
	static const char *const adjs[] = {"0", "500", "1000", "-500", "-1000"};
	long scores[5];
	int to_child[2], status;
	pid_t pid;
	char byte, path[64], desc[96], detail[96];

	set_adj(0, "0");
	if (pipe(to_child) < 0 || (pid = fork()) < 0) {
		check(0, "fork", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(to_child[1]);
		while (read(to_child[0], &byte, 1) > 0)
			;
		_exit(0);
	}
	close(to_child[0]);
	snprintf(path, sizeof(path), "/proc/%d/oom_score", pid);
	for (int i = 0; i < 5; i++) {
		long score = -1, adj = strtol(adjs[i], NULL, 10), expected;

		if (adj < 0 && !can_lower) {
			printf("ok %d - # SKIP negative adj needs CAP_SYS_RESOURCE\n", ++tests_run);
			scores[i] = adj == OOM_SCORE_ADJ_MIN ? 0 : scores[0];
			continue;
		}
		set_adj(pid, adjs[i]);
		expected = expected_oom_score(pid, adj);
		read_number(path, &score);
		scores[i] = score;
		snprintf(desc, sizeof(desc),
			 "oom_score at adj %s is Linux's (1000 + points*1000/total)*2/3 = %ld",
			 adjs[i], expected);
		snprintf(detail, sizeof(detail), "read %ld", score);
		check(labs(score - expected) <= 1 && score >= 0 && score <= 2000, desc, detail);
	}
	close(to_child[1]);
	waitpid(pid, &status, 0);
	snprintf(detail, sizeof(detail), "%ld %ld %ld %ld %ld", scores[2], scores[1], scores[0],
		 scores[3], scores[4]);
	check(scores[2] > scores[1] && scores[1] > scores[0] && scores[0] >= scores[3] &&
		      scores[4] == 0,
	      "oom_score orders by adj: 1000 > 500 > 0 >= -500, and -1000 reads 0", detail);
}

/* The sysctls and the vmstat counter exist in Linux's format. */
static void check_knobs(void)
{
	char text[8192];
	unsigned long kills;
	long value = -1;

	check(read_number("/proc/sys/vm/panic_on_oom", &value) == 0 && value >= 0 && value <= 2,
	      "/proc/sys/vm/panic_on_oom reads 0..2", NULL);
	check(read_number("/proc/sys/vm/oom_kill_allocating_task", &value) == 0 && value >= 0,
	      "/proc/sys/vm/oom_kill_allocating_task reads a number", NULL);
	check(read_file("/proc/vmstat", text, sizeof(text)) > 0 &&
		      proc_field(text, "oom_kill", &kills),
	      "/proc/vmstat has oom_kill", NULL);
}

/* Run every check, restore our value; returns the exit status. */
static int run_checks(void)
{
	long initial = get_adj(0), score = -1;
	char text[32];
	/* Linux lets a task lower its value only with CAP_SYS_RESOURCE. */
	int can_lower = set_adj(0, "-1") == 0;

	check(initial >= -1000 && initial <= 1000,
	      "/proc/self/oom_score_adj is -1000..1000 and \\n", NULL);
	check(read_number("/proc/self/oom_score", &score) == 0 && score >= 0 && score <= 2000,
	      "/proc/self/oom_score is 0..2000 and \\n", NULL);
	check_range(can_lower);
	check_fork();
	check_scores(can_lower);
	check_knobs();
	snprintf(text, sizeof(text), "%ld", initial);
	set_adj(0, text);
	printf("1..%d\n", tests_run);
	return tests_failed ? 1 : 0;
}

/* Exec oom-demo from argv0's directory (or $PATH) with scenario and our
 * arguments; returns only on failure, with status 127 as a shell would. */
static int exec_oom_demo(const char *argv0, const char *scenario, int argc, char **argv)
{
	char path[256];
	char *args[MAX_ARGS + 3];
	const char *slash = strrchr(argv0, '/');
	int n = 0;

	if (argc > MAX_ARGS) {
		fprintf(stderr, "%s: too many arguments\n", argv0);
		return 2;
	}
	args[n++] = "oom-demo";
	args[n++] = (char *)scenario;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	if (slash) {
		snprintf(path, sizeof(path), "%.*s/oom-demo", (int)(slash - argv0), argv0);
		execv(path, args);
	} else {
		execvp("oom-demo", args);
	}
	perror("oom-demo");
	return 127;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--check") == 0)
		return run_checks();
	return exec_oom_demo(argv[0], "--adj", argc, argv);
}

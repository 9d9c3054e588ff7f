/*
 * oom-protect: oom_score_adj -1000 protects a task (concept C8). Runs
 * oom-demo's "protect" scenario: three hogs of 10%, 25% and 35% of
 * MemAvailable, the largest of which first writes -1000 to
 * /proc/self/oom_score_adj (its oom_score reads 0); when the trigger runs
 * out of memory the kernel skips it and kills the next largest, the 25% hog.
 *   oom-protect [--repeat N] [--verbose] [--dry-run] [--mem MiB]
 * The work is done by oom-demo, found next to this program or in $PATH.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 16

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
	return exec_oom_demo(argv[0], "--protect", argc, argv);
}

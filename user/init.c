/*
 * init: the first process (PID 1). Makes sure fds 0/1/2 are the console,
 * runs the shell and starts it again whenever it exits, and reaps every
 * orphan the kernel hands over (a zombie's parent becomes PID 1).
 *   init               run /bin/sh forever
 *   init /PROG ARGS... run PROG (an absolute path) once first, then the shell
 * Other arguments (kernel command-line words passed on to init) are ignored.
 * PID 1 must never exit: the kernel panics if it does.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/wait.h>

#define SHELL	"/bin/sh"
#define ENV_MAX 32

static char *child_env[ENV_MAX + 3];

/* If fd 0 is closed (the kernel gave us nothing), open /dev/console as 0, 1 and 2. */
static void open_console(void)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return; /* nowhere to complain */
	if (fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	dup2(0, 1);
	dup2(0, 2);
}

/* True if environ already sets name (given as "NAME="). */
static int has_env(char **env, int count, const char *name)
{
	int i;

	for (i = 0; i < count; i++) {
		if (strncmp(env[i], name, strlen(name)) == 0)
			return 1;
	}
	return 0;
}

/* Our environment plus PATH and HOME defaults, for every child. */
static void build_env(void)
{
	int n = 0;

	for (; environ && environ[n] && n < ENV_MAX; n++)
		child_env[n] = environ[n];
	if (!has_env(child_env, n, "PATH="))
		child_env[n++] = "PATH=/bin:.";
	if (!has_env(child_env, n, "HOME="))
		child_env[n++] = "HOME=/";
	child_env[n] = NULL;
}

/* Start argv[0] in a child; returns its pid, or -1 if fork failed. */
static pid_t spawn(char **argv)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, child_env);
		fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* Wait until the child pid ends, reaping any orphan that ends meanwhile; returns its status. */
static int wait_for(pid_t pid)
{
	int status;
	pid_t done;

	for (;;) {
		done = wait(&status);
		if (done == pid)
			return status;
		if (done < 0 && errno != EINTR)
			return -1; /* no children at all: should not happen */
	}
}

/* Print how the shell ended, in the words the shell itself uses for $?. */
static void report(const char *prog, int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "init: %s killed by signal %d, restarting\n", prog,
			WTERMSIG(status));
	else
		fprintf(stderr, "init: %s exited with status %d, restarting\n", prog,
			WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	char *shell_argv[] = {SHELL, NULL};
	struct timespec pause = {1, 0};
	time_t last_start = 0;
	pid_t pid;

	open_console();
	build_env();
	if (argc > 1 && argv[1][0] == '/') {
		pid = spawn(argv + 1);
		if (pid > 0)
			wait_for(pid);
	}
	for (;;) {
		/* A shell that dies at once would otherwise make us spin: slow down. */
		if (time(NULL) - last_start < 1)
			nanosleep(&pause, NULL);
		last_start = time(NULL);
		pid = spawn(shell_argv);
		if (pid < 0) {
			nanosleep(&pause, NULL);
			continue;
		}
		report(SHELL, wait_for(pid));
	}
}

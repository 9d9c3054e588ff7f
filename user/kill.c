/*
 * kill: send a signal to processes.
 *   kill [-SIGNAL | -s SIGNAL] PID...   (SIGNAL is a name like KILL or SIGKILL, or a number)
 *   kill -l [SIGNAL]                    list the signal names (or convert one)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>

static const char *const names[] = {
	"",	"HUP",	"INT",	"QUIT", "ILL",	  "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
	"SEGV", "USR2", "PIPE", "ALRM", "TERM",	  "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
	"TTOU", "URG",	"XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "POLL", "PWR",  "SYS",
};

#define NAMES_COUNT ((int)(sizeof(names) / sizeof(names[0])))

/* The number of signal s ("9", "KILL" or "SIGKILL"), or -1 if unknown. */
static int signal_number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	int i;

	if (end != s && *end == '\0')
		return n >= 0 && n < NSIG ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 1; i < NAMES_COUNT; i++) {
		if (strcmp(s, names[i]) == 0)
			return i;
	}
	return -1;
}

/* Print the signal names as procps does: space-separated, lines of at most 80 characters. */
static void list_signals(void)
{
	int i, column = 0;

	for (i = 1; i < NAMES_COUNT; i++) {
		int len = (int)strlen(names[i]);

		if (column && column + 1 + len > 80) {
			putchar('\n');
			column = 0;
		}
		column += printf("%s%s", column ? " " : "", names[i]);
	}
	putchar('\n');
}

/* kill -l SIGNAL: a number gives its name, a name gives its number; returns the status. */
static int convert_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	int sig;

	if (end != s && *end == '\0') {
		if (n <= 0 || n >= NAMES_COUNT)
			goto unknown;
		printf("%s\n", names[n]);
		return 0;
	}
	sig = signal_number(s);
	if (sig <= 0)
		goto unknown;
	printf("%d\n", sig);
	return 0;
unknown:
	fprintf(stderr, "kill: unknown signal name %s\n", s);
	return 1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		if (argc > 2)
			return convert_signal(argv[2]);
		list_signals();
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sig = signal_number(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--") != 0) {
		sig = signal_number(argv[1] + 1);
		i = 2;
	}
	if (sig < 0) {
		fprintf(stderr, "kill: unknown signal\n");
		return 1;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "Usage: kill [-SIGNAL | -s SIGNAL] PID...\n       kill -l\n");
		return 1;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (end == argv[i] || *end) {
			fprintf(stderr, "kill: %s: arguments must be process IDs\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld) - %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}

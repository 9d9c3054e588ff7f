/* exit.c: atexit handlers, exit, _Exit and abort. */
#include <stdlib.h>
#include <unistd.h>
#include <signal.h>
#include <sys/syscall.h>
#include "internal.h"

/* The C standard guarantees room for at least 32 handlers. */
#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

/* Register fn to run at exit (last registered runs first); returns -1 when full. */
int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

/* Run the atexit handlers in reverse order, flush stdio, end the process. */
void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	__stdio_exit();
	_Exit(status);
}

/* End the process now: no handlers, no flushing. exit_group ends all threads. */
void _Exit(int status)
{
	for (;;) {
		__syscall1(SYS_exit_group, status);
		__syscall1(SYS_exit, status);
	}
}

/* The POSIX name for _Exit. */
void _exit(int status)
{
	_Exit(status);
}

/* Die by SIGABRT (status "Aborted"); if the signal is ignored, exit with 127. */
void abort(void)
{
	raise(SIGABRT);
	_Exit(127);
}

/*
 * start.c: from _start to main. Splits Linux's initial stack into argc, argv,
 * envp and the auxiliary vector, runs main and exits with its return value.
 */
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <sys/auxv.h>
#include "internal.h"

char **environ;
unsigned long *__auxv;
int errno;

int main(int argc, char **argv, char **envp);

/* Called by crt0 with the stack pointer Linux gave us; never returns. */
__attribute__((noreturn, used)) void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	environ = envp;
	__auxv = (unsigned long *)(p + 1);
	exit(main(argc, argv, envp));
}

/* Return the auxiliary vector entry `type`, or 0 with errno ENOENT if absent. */
unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = __auxv; a && a[0] != AT_NULL; a += 2) {
		if (a[0] == type)
			return a[1];
	}
	errno = ENOENT;
	return 0;
}

/* The page size the kernel told us (AT_PAGESZ), or 4096. */
int getpagesize(void)
{
	unsigned long size = getauxval(AT_PAGESZ);

	return size ? (int)size : 4096;
}

/* crash: do something the CPU refuses, to watch the kernel kill only this
 * process (the log line is Linux's). Modes:
 *   null   write through a NULL pointer      -> SIGSEGV, "segfault at 0"
 *   kernel read a kernel address              -> SIGSEGV
 *   ud     execute an invalid instruction     -> SIGILL,  "trap invalid opcode"
 *   div    divide by zero                     -> SIGFPE,  "trap divide error"
 *   gp     load a non-canonical address       -> SIGSEGV, "general protection fault"
 *   stack  recurse until the stack limit      -> SIGSEGV */
#include <stdio.h>
#include <string.h>

/* Each call takes a page of stack; depth bounds it only in theory. */
static int recurse(volatile char *p, unsigned long depth)
{
	volatile char buf[4096];

	buf[0] = *p;
	if (depth == 0)
		return buf[0];
	return recurse(buf, depth - 1) + buf[1];
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	volatile int zero = 0, one = 1;

	fflush(stdout);
	if (strcmp(mode, "null") == 0)
		*(volatile int *)0 = 1; /* cppcheck-suppress nullPointer */
	else if (strcmp(mode, "kernel") == 0)
		return *(volatile int *)0xffff800000100000UL;
	else if (strcmp(mode, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(mode, "div") == 0)
		return one / zero; /* both volatile: a real idiv */
	else if (strcmp(mode, "gp") == 0)
		return *(volatile int *)0x8000000000000000UL;
	else if (strcmp(mode, "stack") == 0)
		return recurse("", ~0UL);
	fprintf(stderr, "usage: crash null|kernel|ud|div|gp|stack\n");
	return 2;
}

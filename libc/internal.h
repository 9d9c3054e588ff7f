/*
 * internal.h: private helpers shared by libc's own files (not installed for programs).
 * The raw system call: Linux x86-64 passes the number in rax and arguments in
 * rdi, rsi, rdx, r10, r8, r9; the `syscall` instruction clobbers rcx (return rip)
 * and r11 (saved rflags). The kernel returns -errno (-4095..-1) on failure.
 */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <stdio.h>

/* Issue system call n with up to six arguments; returns the kernel's raw result. */
static inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define __syscall0(n)		  __syscall6(n, 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)	  __syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)	  __syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)	  __syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d) __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Turn a raw kernel result into the C convention: -1 with errno set on failure. */
long __syscall_ret(unsigned long ret);

/* Write all n bytes to fd, retrying short writes and EINTR; returns 0 or -1. */
int __write_all(int fd, const char *buf, size_t n);

/* 1 if f is an unbuffered output stream with nothing pending (stderr). */
int __stream_unbuffered(FILE *f);

/* Flush every output stream; exit() calls it after the atexit handlers. */
void __stdio_exit(void);

/* The auxiliary vector saved by __libc_start_main (pairs of type, value; AT_NULL ends). */
extern unsigned long *__auxv;

/* Format into a stream-like sink: the engine behind the whole printf family (printf.c). */
struct fmt_sink {
	void (*put)(struct fmt_sink *sink, const char *s, size_t n);
	void *ctx;
	size_t count;
};
int __format(struct fmt_sink *sink, const char *fmt, __builtin_va_list ap);

#endif

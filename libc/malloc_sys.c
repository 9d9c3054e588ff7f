/*
 * Raw system calls for malloc (claim C1: brk and mmap are how malloc gets
 * memory) and the slow path of its lock. Linux x86-64 ABI: number in rax,
 * arguments in rdi rsi rdx r10 r8 r9, result in rax (-4095..-1 = -errno);
 * the instruction clobbers rcx and r11.
 */
#include "malloc_sys.h"

#define PROT_READ_WRITE	    3
#define MAP_PRIVATE_ANON    0x22
#define MADV_DONTNEED	    4
#define MREMAP_MAYMOVE	    1
#define SIGABRT		    6
#define LOCK_SPINS	    64
#define SYSCALL_FAILED(ret) ((unsigned long)(ret) > -4096UL)

/* Make system call nr with up to six arguments; returns rax as is. */
static long raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * Unit tests can replace the kernel's break with a region they own, so that
 * heap growth, trimming and "brk cannot grow" are deterministic.
 */
static struct {
	uintptr_t base, limit, cur;
} test_brk;

/* Use [base, base+len) as the program break from now on (tests only). */
void malloc_sys_use_test_brk(void *base, size_t len)
{
	test_brk.base = (uintptr_t)base;
	test_brk.cur = (uintptr_t)base;
	test_brk.limit = (uintptr_t)base + len;
}

/*
 * Ask for the break to be at addr (0 just asks where it is). Like the raw
 * Linux call, returns the new break, or the unchanged old one on failure.
 */
uintptr_t sys_brk(uintptr_t addr)
{
	if (test_brk.base == 0)
		return (uintptr_t)raw_syscall(SYS_BRK, (long)addr, 0, 0, 0, 0, 0);
	if (addr < test_brk.base || addr > test_brk.limit)
		return test_brk.cur;
	/* Like the kernel, hand back zeroes when the break moves up again. */
	for (uintptr_t a = addr; a < test_brk.cur; a++)
		*(volatile char *)a = 0;
	test_brk.cur = addr;
	return test_brk.cur;
}

/* Map len bytes of private anonymous zeroed memory; returns NULL on failure. */
void *sys_mmap(size_t len)
{
	long ret = raw_syscall(SYS_MMAP, 0, (long)len, PROT_READ_WRITE, MAP_PRIVATE_ANON, -1, 0);

	return SYSCALL_FAILED(ret) ? NULL : (void *)ret;
}

/* Unmap [addr, addr+len); returns 0, or -errno on failure. */
int sys_munmap(void *addr, size_t len)
{
	return (int)raw_syscall(SYS_MUNMAP, (long)addr, (long)len, 0, 0, 0, 0);
}

/*
 * Resize the mapping at addr to new_len bytes, letting the kernel move it
 * (MREMAP_MAYMOVE); returns its new address, or NULL on failure.
 */
void *sys_mremap(void *addr, size_t old_len, size_t new_len)
{
	long ret = raw_syscall(SYS_MREMAP, (long)addr, (long)old_len, (long)new_len, MREMAP_MAYMOVE,
			       0, 0);

	return SYSCALL_FAILED(ret) ? NULL : (void *)ret;
}

/* Give the frames behind [addr, addr+len) back, keep the mapping; 0 or -errno. */
int sys_madvise_dontneed(void *addr, size_t len)
{
	return (int)raw_syscall(SYS_MADVISE, (long)addr, (long)len, MADV_DONTNEED, 0, 0, 0);
}

/* Write all of buf to fd, giving up silently on an error. */
void sys_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		long n = raw_syscall(SYS_WRITE, fd, (long)buf, (long)len, 0, 0, 0);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Let another thread run (the lock holder, we hope). */
void sys_sched_yield(void)
{
	raw_syscall(SYS_SCHED_YIELD, 0, 0, 0, 0, 0, 0);
}

/*
 * Die with SIGABRT like abort(3), without stdio or atexit handlers, which
 * might call malloc again; if the signal is caught and returns, exit 134.
 */
void sys_abort(void)
{
	long pid = raw_syscall(SYS_GETPID, 0, 0, 0, 0, 0, 0);

	raw_syscall(SYS_KILL, pid, SIGABRT, 0, 0, 0, 0);
	for (;;)
		raw_syscall(SYS_EXIT_GROUP, 128 + SIGABRT, 0, 0, 0, 0, 0);
}

/* Slow path of malloc_lock_take: spin on a plain read, then yield. */
void malloc_lock_wait(struct malloc_lock *lock)
{
	for (;;) {
		for (int i = 0; i < LOCK_SPINS; i++) {
			if (__atomic_load_n(&lock->taken, __ATOMIC_RELAXED) == 0 &&
			    __atomic_exchange_n(&lock->taken, 1, __ATOMIC_ACQUIRE) == 0)
				return;
			__builtin_ia32_pause();
		}
		sys_sched_yield();
	}
}

/*
 * The kernel interface of malloc: raw Linux x86-64 system calls and the
 * allocator's lock. Claim C1: malloc is library code, and these few calls
 * (brk, mmap, munmap) are the only way it gets memory from the kernel.
 *
 * The calls are made with the `syscall` instruction directly, so the same
 * code runs on the host's Linux and on memos (same numbers, same -errno
 * returns) and never touches errno.
 */
#ifndef MALLOC_SYS_H
#define MALLOC_SYS_H

#include <stddef.h>
#include <stdint.h>

/* Linux x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define SYS_WRITE	1
#define SYS_MMAP	9
#define SYS_MUNMAP	11
#define SYS_BRK		12
#define SYS_SCHED_YIELD 24
#define SYS_MREMAP	25
#define SYS_MADVISE	28
#define SYS_GETPID	39
#define SYS_KILL	62
#define SYS_EXIT_GROUP	231

#define SYS_PAGE_SIZE 4096UL

uintptr_t sys_brk(uintptr_t addr);
void *sys_mmap(size_t len);
int sys_munmap(void *addr, size_t len);
void *sys_mremap(void *addr, size_t old_len, size_t new_len);
int sys_madvise_dontneed(void *addr, size_t len);
void sys_write_all(int fd, const char *buf, size_t len);
void sys_sched_yield(void);
void sys_abort(void) __attribute__((noreturn));
void malloc_sys_use_test_brk(void *base, size_t len);

/*
 * One lock for the whole allocator: 0 = free, 1 = taken. Taking it is one
 * atomic exchange when nobody else holds it; a waiter spins briefly and then
 * gives the CPU away with sched_yield so a preempted holder can finish.
 */
struct malloc_lock {
	int taken;
};

void malloc_lock_wait(struct malloc_lock *lock);

/*
 * glibc (2.32 and later) sets this to 1 while the process has a single
 * thread, and to 0 just before a second one is created
 * (sys/single_threaded.h). Our own libc has no such variable: there we
 * always lock.
 */
#ifdef __GLIBC__
extern char __libc_single_threaded;
#endif

/* 1 while the process is known to have a single thread (never in our libc). */
static inline int malloc_single_threaded(void)
{
#ifdef __GLIBC__
	return __libc_single_threaded;
#else
	return 0;
#endif
}

/*
 * Take the lock, unless the process has one thread (no one to exclude: glibc's
 * malloc skips its atomics the same way). Returns 1 if it was taken.
 */
static inline int malloc_lock_take(struct malloc_lock *lock)
{
	if (malloc_single_threaded())
		return 0;
	if (__atomic_exchange_n(&lock->taken, 1, __ATOMIC_ACQUIRE) != 0)
		malloc_lock_wait(lock);
	return 1;
}

/* Release the lock if taken; the release store publishes our writes. */
static inline void malloc_lock_give(struct malloc_lock *lock, int taken)
{
	if (taken)
		__atomic_store_n(&lock->taken, 0, __ATOMIC_RELEASE);
}

#endif

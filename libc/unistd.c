/*
 * unistd.c: thin wrappers around Linux x86-64 system calls. Each returns what
 * POSIX says and, on failure, -1 (or MAP_FAILED/NULL) with errno set from the
 * kernel's -errno result.
 */
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/sysinfo.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "internal.h"

/* Results in [-4095, -1] are errors: store the error number, return -1. */
long __syscall_ret(unsigned long ret)
{
	if (ret > -4096UL) {
		errno = (int)-ret;
		return -1;
	}
	return (long)ret;
}

/* The generic entry: syscall(SYS_getpid) and friends; six arguments at most. */
long syscall(long n, ...)
{
	va_list ap;
	long a[6];
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

/* Read up to count bytes from fd into buf; returns bytes read, 0 at end of file. */
ssize_t read(int fd, void *buf, size_t count)
{
	return __syscall_ret(__syscall3(SYS_read, fd, buf, count));
}

/* Write up to count bytes from buf to fd; returns bytes written. */
ssize_t write(int fd, const void *buf, size_t count)
{
	return __syscall_ret(__syscall3(SYS_write, fd, buf, count));
}

/* Read into several buffers in one call; returns the total bytes read. */
ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall3(SYS_readv, fd, iov, iovcnt));
}

/* Write several buffers in one call (one system call, one atomic write to a pipe). */
ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall3(SYS_writev, fd, iov, iovcnt));
}

/* Open path; the mode argument is read only when O_CREAT is given. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__syscall_ret(__syscall3(SYS_open, path, flags, mode));
}

/* Open path relative to the directory dirfd (AT_FDCWD: the current directory). */
int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__syscall_ret(__syscall4(SYS_openat, dirfd, path, flags, mode));
}

/* Create (or truncate) path for writing. */
int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* File descriptor control: one optional integer argument. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(SYS_fcntl, fd, cmd, arg));
}

/* Close fd. */
int close(int fd)
{
	return (int)__syscall_ret(__syscall1(SYS_close, fd));
}

/* Move fd's file offset; returns the new offset. */
off_t lseek(int fd, off_t offset, int whence)
{
	return __syscall_ret(__syscall3(SYS_lseek, fd, offset, whence));
}

/* Device control with one pointer or integer argument. */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(SYS_ioctl, fd, request, arg));
}

/* 1 if fd is a terminal (TCGETS succeeds), else 0 with errno ENOTTY or EBADF. */
int isatty(int fd)
{
	char termios[64]; /* the kernel's struct termios is 36 bytes */

	return ioctl(fd, TCGETS, termios) == 0;
}

/* Duplicate fd to the lowest free descriptor. */
int dup(int fd)
{
	return (int)__syscall_ret(__syscall1(SYS_dup, fd));
}

/* Make newfd a copy of oldfd, closing newfd first if it was open. */
int dup2(int oldfd, int newfd)
{
	return (int)__syscall_ret(__syscall2(SYS_dup2, oldfd, newfd));
}

/* Create a pipe: fds[0] reads what fds[1] writes. */
int pipe(int fds[2])
{
	return (int)__syscall_ret(__syscall1(SYS_pipe, fds));
}

/* Check whether the file can be accessed with mode (F_OK, R_OK, W_OK, X_OK). */
int access(const char *path, int mode)
{
	return (int)__syscall_ret(__syscall2(SYS_access, path, mode));
}

/* Change the current directory. */
int chdir(const char *path)
{
	return (int)__syscall_ret(__syscall1(SYS_chdir, path));
}

/* Store the current directory's path in buf; returns buf, or NULL (ERANGE if too small). */
char *getcwd(char *buf, size_t size)
{
	if (__syscall_ret(__syscall2(SYS_getcwd, buf, size)) < 0)
		return NULL;
	return buf;
}

/* Remove a file name. */
int unlink(const char *path)
{
	return (int)__syscall_ret(__syscall1(SYS_unlink, path));
}

ssize_t readlink(const char *path, char *buf, size_t bufsiz)
{
	return __syscall_ret(__syscall3(SYS_readlink, path, buf, bufsiz));
}

/* Remove an empty directory. */
int rmdir(const char *path)
{
	return (int)__syscall_ret(__syscall1(SYS_rmdir, path));
}

/* File status by name. */
int stat(const char *path, struct stat *st)
{
	return (int)__syscall_ret(__syscall2(SYS_stat, path, st));
}

/* File status by name, of a symbolic link itself rather than its target. */
int lstat(const char *path, struct stat *st)
{
	return (int)__syscall_ret(__syscall2(SYS_lstat, path, st));
}

/* File status of an open descriptor. */
/* Create a directory. */
int mkdir(const char *path, mode_t mode)
{
	return (int)__syscall_ret(__syscall2(SYS_mkdir, path, mode));
}

int fstat(int fd, struct stat *st)
{
	return (int)__syscall_ret(__syscall2(SYS_fstat, fd, st));
}

/* Process and user identity: these cannot fail. */
pid_t getpid(void)
{
	return (pid_t)__syscall0(SYS_getpid);
}

pid_t getppid(void)
{
	return (pid_t)__syscall0(SYS_getppid);
}

pid_t gettid(void)
{
	return (pid_t)__syscall0(SYS_gettid);
}

uid_t getuid(void)
{
	return (uid_t)__syscall0(SYS_getuid);
}

uid_t geteuid(void)
{
	return (uid_t)__syscall0(SYS_geteuid);
}

gid_t getgid(void)
{
	return (gid_t)__syscall0(SYS_getgid);
}

gid_t getegid(void)
{
	return (gid_t)__syscall0(SYS_getegid);
}

/* Create a child process; returns its pid to the parent and 0 to the child. */
pid_t fork(void)
{
	return (pid_t)__syscall_ret(__syscall0(SYS_fork));
}

/* Replace this program with path; returns only on failure. */
int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(__syscall3(SYS_execve, path, argv, envp));
}

/* execve with the current environment. */
int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Wait for a child; fills *status (Linux encoding) and *ru; returns the child's pid. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return (pid_t)__syscall_ret(__syscall4(SYS_wait4, pid, status, options, ru));
}

/* Wait for the child pid (-1: any child). */
pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

/* Wait for any child. */
pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

/* Send signal sig to process pid. */
int kill(pid_t pid, int sig)
{
	return (int)__syscall_ret(__syscall2(SYS_kill, pid, sig));
}

/* Send signal sig to this process. */
int raise(int sig)
{
	return kill(getpid(), sig);
}

/* Give the CPU to another runnable process. */
int sched_yield(void)
{
	return (int)__syscall_ret(__syscall0(SYS_sched_yield));
}

/* Wait for a signal; always returns -1 with errno EINTR. */
int pause(void)
{
	return (int)__syscall_ret(__syscall0(SYS_pause));
}

/* Name and version of the running kernel. */
int uname(struct utsname *buf)
{
	return (int)__syscall_ret(__syscall1(SYS_uname, buf));
}

/* CPU time, faults and other counters for RUSAGE_SELF or RUSAGE_CHILDREN. */
int getrusage(int who, struct rusage *usage)
{
	return (int)__syscall_ret(__syscall2(SYS_getrusage, who, usage));
}

/* System-wide memory and load figures. */
int sysinfo(struct sysinfo *info)
{
	return (int)__syscall_ret(__syscall1(SYS_sysinfo, info));
}

/* Read directory entries of the open directory fd into buf (struct dirent records). */
ssize_t getdents64(int fd, void *buf, size_t count)
{
	return __syscall_ret(__syscall3(SYS_getdents64, fd, buf, count));
}

/* The program break as last seen; 0 until the first brk/sbrk asks the kernel. */
static unsigned long current_brk;

/*
 * Set the program break to addr. The raw brk system call never fails with
 * -errno: it returns the (unchanged) old break when it cannot move it.
 */
int brk(void *addr)
{
	unsigned long ret = (unsigned long)__syscall1(SYS_brk, addr);

	current_brk = ret;
	if (ret < (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Move the break by increment bytes; returns the old break, or (void *)-1 with ENOMEM. */
void *sbrk(intptr_t increment)
{
	unsigned long old, want;

	if (current_brk == 0)
		current_brk = (unsigned long)__syscall1(SYS_brk, 0);
	old = current_brk;
	if (increment == 0)
		return (void *)old;
	want = old + (unsigned long)increment;
	if ((increment > 0 && want < old) || (increment < 0 && want > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk((void *)want) < 0 || current_brk != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)old;
}

/* Map memory; returns the mapping's address or MAP_FAILED. */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long ret = __syscall6(SYS_mmap, (long)addr, (long)length, prot, flags, fd, offset);

	return (void *)__syscall_ret((unsigned long)ret);
}

/* Write back (MS_SYNC) the file pages mapped in [addr, addr+length). */
int msync(void *addr, size_t length, int flags)
{
	return (int)__syscall_ret(__syscall3(SYS_msync, addr, length, flags));
}

/* Read/write at offset without moving the file position. */
ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return __syscall_ret(__syscall4(SYS_pread64, fd, buf, count, offset));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return __syscall_ret(__syscall4(SYS_pwrite64, fd, buf, count, offset));
}

/* Write a file's dirty pages (and, for fsync, its metadata) to the disk. */
int fsync(int fd)
{
	return (int)__syscall_ret(__syscall1(SYS_fsync, fd));
}

int fdatasync(int fd)
{
	return (int)__syscall_ret(__syscall1(SYS_fdatasync, fd));
}

/* Write every dirty page of every file system to the disk. */
void sync(void)
{
	__syscall0(SYS_sync);
}

int syncfs(int fd)
{
	return (int)__syscall_ret(__syscall1(SYS_syncfs, fd));
}

/* Unmap [addr, addr+length). */
int munmap(void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(SYS_munmap, addr, length));
}

/* Change the protection of [addr, addr+length). */
int mprotect(void *addr, size_t length, int prot)
{
	return (int)__syscall_ret(__syscall3(SYS_mprotect, addr, length, prot));
}

/* Advise the kernel about the use of [addr, addr+length) (MADV_DONTNEED frees it). */
int madvise(void *addr, size_t length, int advice)
{
	return (int)__syscall_ret(__syscall3(SYS_madvise, addr, length, advice));
}

/* Fill vec with one byte per page: bit 0 set if the page is resident. */
int mincore(void *addr, size_t length, unsigned char *vec)
{
	return (int)__syscall_ret(__syscall3(SYS_mincore, addr, length, vec));
}

/* Resize a mapping; the fifth argument (new address) is read only with MREMAP_FIXED. */
void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...)
{
	void *new_addr = NULL;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(__syscall6(SYS_mremap, (long)old, (long)old_size,
						(long)new_size, flags, (long)new_addr, 0));
}

/* Set the FS base for thread-local storage (ARCH_SET_FS = 0x1002). */
int arch_prctl(int code, unsigned long addr)
{
	return (int)__syscall_ret(__syscall2(SYS_arch_prctl, code, addr));
}

/* Tell the kernel where to clear the thread id at exit; returns the caller's tid. */
pid_t set_tid_address(int *tidptr)
{
	return (pid_t)__syscall1(SYS_set_tid_address, tidptr);
}

/* The kernel log: SYSLOG_ACTION_READ_ALL (3) copies up to len bytes of it into buf. */
int klogctl(int type, char *buf, int len)
{
	return (int)__syscall_ret(__syscall3(SYS_syslog, type, buf, len));
}

/* System calls: Linux x86-64 numbers, argument order and -errno returns.
 * A syscall is defined anywhere with SYSCALL_DEFINEn(nr, name, type, arg,
 * ...), which registers it in the .syscalls section; kernel/syscall.c
 * builds the table at boot. Unknown numbers return -ENOSYS with one log
 * line. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/types.h"
#include "kernel/uaccess.h"

#define NR_SYSCALLS 512

/* In a linker section walked as an array: the alignment fixes the stride
 * (gcc places objects of 32 bytes and more on 32-byte boundaries). */
struct syscall_entry {
	unsigned long nr;
	const char *name;
	long (*fn)(const u64 *args);
} __aligned(32);

const char *syscall_name(unsigned long nr);
void syscall_init(void);

struct pt_regs;
/* Finishes a SYSCALL the CPU left halfway (see kernel/syscall.c); true if
 * the page fault in regs was one. */
bool syscall_from_fault(struct pt_regs *regs, unsigned long cr2);

#define __SYSCALL_REGISTER(nr, name)                                                    \
	static const struct syscall_entry __syscall_entry_##name __section(".syscalls") \
		__used = {nr, #name, __se_sys_##name};

#define SYSCALL_DEFINE0(nr, name)                    \
	static long sys_##name(void);                \
	static long __se_sys_##name(const u64 *args) \
	{                                            \
		(void)args;                          \
		return sys_##name();                 \
	}                                            \
	__SYSCALL_REGISTER(nr, name)                 \
	static long sys_##name(void)

#define SYSCALL_DEFINE1(nr, name, t1, a1)            \
	static long sys_##name(t1 a1);               \
	static long __se_sys_##name(const u64 *args) \
	{                                            \
		return sys_##name((t1)args[0]);      \
	}                                            \
	__SYSCALL_REGISTER(nr, name)                 \
	static long sys_##name(t1 a1)

#define SYSCALL_DEFINE2(nr, name, t1, a1, t2, a2)            \
	static long sys_##name(t1 a1, t2 a2);                \
	static long __se_sys_##name(const u64 *args)         \
	{                                                    \
		return sys_##name((t1)args[0], (t2)args[1]); \
	}                                                    \
	__SYSCALL_REGISTER(nr, name)                         \
	static long sys_##name(t1 a1, t2 a2)

#define SYSCALL_DEFINE3(nr, name, t1, a1, t2, a2, t3, a3)                 \
	static long sys_##name(t1 a1, t2 a2, t3 a3);                      \
	static long __se_sys_##name(const u64 *args)                      \
	{                                                                 \
		return sys_##name((t1)args[0], (t2)args[1], (t3)args[2]); \
	}                                                                 \
	__SYSCALL_REGISTER(nr, name)                                      \
	static long sys_##name(t1 a1, t2 a2, t3 a3)

#define SYSCALL_DEFINE4(nr, name, t1, a1, t2, a2, t3, a3, t4, a4)                      \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);                            \
	static long __se_sys_##name(const u64 *args)                                   \
	{                                                                              \
		return sys_##name((t1)args[0], (t2)args[1], (t3)args[2], (t4)args[3]); \
	}                                                                              \
	__SYSCALL_REGISTER(nr, name)                                                   \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)             \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);                    \
	static long __se_sys_##name(const u64 *args)                                  \
	{                                                                             \
		return sys_##name((t1)args[0], (t2)args[1], (t3)args[2], (t4)args[3], \
				  (t5)args[4]);                                       \
	}                                                                             \
	__SYSCALL_REGISTER(nr, name)                                                  \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

#define SYSCALL_DEFINE6(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)                  \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);                          \
	static long __se_sys_##name(const u64 *args)                                               \
	{                                                                                          \
		return sys_##name((t1)args[0], (t2)args[1], (t3)args[2], (t4)args[3], (t5)args[4], \
				  (t6)args[5]);                                                    \
	}                                                                                          \
	__SYSCALL_REGISTER(nr, name)                                                               \
	static long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

#endif

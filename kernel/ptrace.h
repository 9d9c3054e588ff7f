/* ptrace, the part strace needs (kernel/ptrace.c). */
#ifndef KERNEL_PTRACE_H
#define KERNEL_PTRACE_H

#include "kernel/traps.h"

#define PT_PTRACED	 0x1
#define PT_SYSCALL_TRACE 0x2 /* stop at syscall entry and exit */
#define PT_TRACESYSGOOD	 0x4 /* syscall stops report SIGTRAP | 0x80 */
#define PT_EXEC_STOP	 0x8 /* stop with SIGTRAP after a successful execve */

/* Hooks in the syscall path (kernel/syscall.c). */
void ptrace_syscall_entry(struct pt_regs *regs);
void ptrace_syscall_exit(struct pt_regs *regs);

#endif

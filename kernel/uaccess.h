/* Access to user memory from the kernel. Every user pointer a syscall gets
 * goes through these: an address outside user space, or one whose page
 * cannot be faulted in, gives -EFAULT instead of a kernel oops (the copy
 * loop's faulting instruction is listed in the exception table, and the
 * trap handler resumes at its fixup). */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include "kernel/types.h"

#define __user

/* Each returns 0 or -EFAULT. */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes; returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL came within max bytes. */
long strncpy_from_user(char *dst, const char __user *src, size_t max);

bool access_ok(const void __user *p, size_t n);

/* Exception table: a fault at insn resumes at fixup (kernel/copy_user.asm). */
struct exception_table_entry {
	unsigned long insn, fixup;
};
unsigned long search_exception_tables(unsigned long rip);

#endif

/* Checked access to user memory (see kernel/uaccess.h). The range check
 * keeps user pointers out of the kernel half; the exception table makes a
 * fault on an unmapped user page an -EFAULT. */
#include "kernel/uaccess.h"
#include "kernel/errno.h"
#include "mm/mmap.h"

size_t __copy_user(void *dst, const void *src, size_t n);
size_t __clear_user(void *dst, size_t n);
long __strncpy_user(char *dst, const char *src, size_t max);

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

bool access_ok(const void __user *p, size_t n)
{
	unsigned long a = (unsigned long)p;

	return a + n >= a && a + n <= TASK_SIZE;
}

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return __copy_user(dst, src, n) ? -EFAULT : 0;
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __copy_user(dst, src, n) ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __clear_user(dst, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	unsigned long a = (unsigned long)src;
	long len;

	if (a >= TASK_SIZE)
		return -EFAULT;
	max = MIN(max, TASK_SIZE - a); /* never read past user space */
	len = __strncpy_user(dst, src, max);
	if (len < 0)
		return len;
	if ((size_t)len == max)
		return -ENAMETOOLONG;
	return len;
}

unsigned long search_exception_tables(unsigned long rip)
{
	for (const struct exception_table_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}

/* The kernel's symbol table, generated from kernel.elf at build time by
 * tools/gen-ksyms.py (a second link adds it to the image). */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/types.h"

struct ksym {
	unsigned long addr;
	const char *name;
};

extern const struct ksym ksyms[];
extern const unsigned long ksyms_count;

/* Returns the name of the function containing addr and the offset into it,
 * or NULL if addr is outside the kernel's text. */
const char *ksym_lookup(unsigned long addr, unsigned long *offset);

#endif

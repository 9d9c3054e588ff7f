/* ELF64 executables (System V ABI, x86-64 supplement). */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel/types.h"

struct mm_struct;
struct file;

#define ELF_MAX_PHNUM 64

/* What the loader learned, for the initial stack's auxiliary vector. */
struct elf_image {
	unsigned long entry;
	unsigned long phdr_addr; /* program headers in the new image */
	unsigned int phnum;
	unsigned long brk; /* end of the highest segment */
	unsigned long start_code, end_code, start_data, end_data;
};

/* Maps the PT_LOAD segments of the executable f into the empty mm.
 * Returns 0, -ENOEXEC (not a static x86-64 executable) or -ENOMEM. */
int elf_load(struct file *f, struct mm_struct *mm, struct elf_image *img);

#endif

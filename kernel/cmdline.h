/* Kernel command line: "key=value" and bare "flag" words separated by
 * spaces, as GRUB passes them (plus QEMU fw_cfg extras, see kernel/main.c).
 * Pure functions, unit-tested on the host (tests/unit/test_cmdline.c). */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

#define COMMAND_LINE_SIZE 2048

/* kernel/main.c: the command line the kernel booted with. */
extern char saved_command_line[COMMAND_LINE_SIZE];

/* Copies the value of the last "key=value" into out (at most size-1 bytes);
 * returns true if the key was present. A bare "key" gives "". */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size);

/* Parses a decimal or 0x-hex unsigned number that must fill the whole
 * string; returns 0 or -EINVAL. */
int parse_ulong(const char *s, unsigned long *out);

/* Linux's memparse: a number with an optional K, M, G or T suffix (binary
 * multiples); returns 0 or -EINVAL (junk, overflow). */
int memparse(const char *s, unsigned long *out);

#endif

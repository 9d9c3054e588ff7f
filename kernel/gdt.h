#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "kernel/types.h"

/* Selectors. syscall loads CS=STAR[47:32], SS=+8; sysret loads
 * CS=STAR[63:48]+16, SS=STAR[63:48]+8, hence this order. */
#define __KERNEL_CS   0x08
#define __KERNEL_DS   0x10
#define __USER32_CS   0x18
#define __USER_DS     (0x20 | 3)
#define __USER_CS     (0x28 | 3)
#define GDT_TSS_INDEX 6
#define GDT_TSS_SEL   (GDT_TSS_INDEX << 3)
#define GDT_ENTRIES   8

#define IST_DOUBLE_FAULT 1
#define IST_NMI		 2

void gdt_init(void);
void tss_set_kernel_stack(u64 rsp0);

#endif

/* The per-CPU area, reached through GS while in the kernel (swapgs on
 * every entry from user mode). The syscall entry needs it to find the
 * kernel stack before it can save anything. Offsets are used by
 * kernel/entry.asm: keep them in sync. */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/types.h"

struct percpu {
	u64 user_rsp;	/* offset 0: user RSP parked during syscall entry */
	u64 kernel_rsp; /* offset 8: top of the current task's kernel stack */
};

extern struct percpu cpu0;

#define MSR_EFER	   0xc0000080
#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_FMASK	   0xc0000084
#define MSR_FS_BASE	   0xc0000100
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE	   (1UL << 0)

#endif

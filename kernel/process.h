/* Process life cycle (kernel/process.c) and resource usage. */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include "kernel/types.h"

/* Linux's struct rusage: two timevals, then 14 longs. */
struct rusage {
	long ru_utime[2], ru_stime[2];
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

void fill_rusage(struct rusage *ru, u64 utime, u64 stime, unsigned long minflt,
		 unsigned long majflt, unsigned long maxrss_kb, unsigned long nvcsw,
		 unsigned long nivcsw);
void ticks_to_timeval(u64 ticks, long tv[2]);

/* Creates PID 1, which executes path (init=), or if path is NULL the
 * first of /sbin/init, /etc/init, /bin/init, /bin/sh. */
void start_init(const char *path);

#endif

/* Timekeeping: the periodic timer tick (jiffies at HZ) and a nanosecond
 * clock from the TSC, calibrated against the PIT at boot. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "kernel/types.h"

#define HZ	      100
#define NSEC_PER_SEC  1000000000UL
#define NSEC_PER_MSEC 1000000UL

extern volatile u64 jiffies;
extern u64 tsc_khz;

void time_early_init(void);
void time_init(void);
/* Nanoseconds since boot (0 until time_init has calibrated the TSC). */
u64 ktime_get_ns(void);
/* Busy-waits for at least ns nanoseconds. */
void ndelay(u64 ns);

#endif

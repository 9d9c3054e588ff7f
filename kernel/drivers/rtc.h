#ifndef KERNEL_DRIVERS_RTC_H
#define KERNEL_DRIVERS_RTC_H

#include "kernel/types.h"

/* Seconds since 1970 at boot, from the CMOS clock. */
extern u64 boot_time_sec;
void rtc_init(void);

#endif

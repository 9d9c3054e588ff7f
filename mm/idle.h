/* Idle-page reclaim (mm/idle.c, concept C13 "memory sits idle"). */
#ifndef MM_IDLE_H
#define MM_IDLE_H

#include "mm/page.h"

/* /proc/sys/vm/idle_reclaim_secs: the minimum age, in seconds, of a page
 * kidled reclaims (0 = kidled off, the default); idle_reclaim_scan_ms:
 * how often it looks at every LRU page. */
extern unsigned int sysctl_idle_reclaim_secs;
extern unsigned int sysctl_idle_reclaim_scan_ms;

/* The sysctl writers: start kidled on the first enable, wake it. */
int idle_reclaim_set_secs(unsigned long secs);
int idle_reclaim_set_scan_ms(unsigned long ms);

/* A page joins an LRU list for the first time: its idle age starts now. */
void page_idle_reset(struct page *page);

#endif

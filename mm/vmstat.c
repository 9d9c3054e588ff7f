/* Storage and names of the vm event counters (mm/vmstat.h). */
#include "mm/vmstat.h"

unsigned long vm_events[NR_VM_EVENT_ITEMS];
unsigned long vm_stat[NR_VM_STAT_ITEMS];

const char *const vm_stat_names[NR_VM_STAT_ITEMS] = {
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_SHMEM] = "nr_shmem",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC_NORMAL] = "pgalloc_normal",
	[PGFREE] = "pgfree",
	[PGFAULT] = "pgfault",
};

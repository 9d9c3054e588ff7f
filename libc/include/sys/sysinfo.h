/* sys/sysinfo.h: sysinfo(2), laid out as Linux's struct sysinfo on x86-64. */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H

struct sysinfo {
	long uptime;		/* seconds since boot */
	unsigned long loads[3]; /* 1, 5, 15 minute load averages, scaled by 65536 */
	unsigned long totalram; /* all sizes are in units of mem_unit bytes */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;
	char _f[0];
};

int sysinfo(struct sysinfo *info);

#endif

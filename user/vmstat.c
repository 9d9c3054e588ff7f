/*
 * vmstat: report processes, memory, swap, I/O, interrupts and CPU use, from
 * /proc/meminfo, /proc/vmstat and /proc/stat, computed as procps-ng does:
 *   - the first line is an average since boot: each counter times HZ divided
 *     by the total CPU ticks (summed over all CPUs), CPU shares of that total;
 *   - each later line covers the last DELAY seconds: counter deltas / DELAY.
 * Memory is in KiB; si/so in KiB/s; bi/bo in blocks (KiB)/s.
 *   vmstat [-a] [-n] [DELAY [COUNT]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "lib/procfs.h"

/* One sample of everything a line shows. */
struct sample {
	unsigned long running, blocked;			 /* /proc/stat procs_* */
	unsigned long swap_used, free, buff, cache;	 /* KiB */
	unsigned long inactive, active;			 /* KiB, for -a */
	unsigned long pswpin, pswpout, pgpgin, pgpgout;	 /* /proc/vmstat, pages / KiB */
	unsigned long intr, ctxt;			 /* /proc/stat */
	unsigned long user, system, idle, iowait, steal; /* CPU ticks */
};

/* Parse the "cpu" line of /proc/stat into the five shares vmstat shows. */
static void parse_cpu_line(const char *stat, struct sample *s)
{
	unsigned long v[8] = {0}; /* user nice system idle iowait irq softirq steal */
	const char *p = stat + 3;
	char *end;
	int i;

	if (strncmp(stat, "cpu ", 4) != 0)
		return;
	for (i = 0; i < 8; i++) {
		v[i] = strtoul(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	s->user = v[0] + v[1];
	s->system = v[2] + v[5] + v[6];
	s->idle = v[3];
	s->iowait = v[4];
	s->steal = v[7];
}

/* Take a sample; returns false if /proc/meminfo cannot be read. */
static bool take_sample(struct sample *s)
{
	static char mem[8192], vm[16384], stat[16384];
	unsigned long v = 0, total = 0, cached = 0, reclaimable = 0;

	if (proc_read("meminfo", mem, sizeof(mem)) < 0)
		return false;
	/* A young kernel may lack these two: show zeros rather than nothing. */
	if (proc_read("vmstat", vm, sizeof(vm)) < 0)
		vm[0] = '\0';
	if (proc_read("stat", stat, sizeof(stat)) < 0)
		stat[0] = '\0';
	memset(s, 0, sizeof(*s));
	proc_field(mem, "SwapTotal", &total);
	proc_field(mem, "SwapFree", &v);
	s->swap_used = total - v;
	proc_field(mem, "MemFree", &s->free);
	proc_field(mem, "Buffers", &s->buff);
	proc_field(mem, "Cached", &cached);
	proc_field(mem, "SReclaimable", &reclaimable);
	s->cache = cached + reclaimable;
	proc_field(mem, "Active", &s->active);
	proc_field(mem, "Inactive", &s->inactive);
	proc_field(vm, "pswpin", &s->pswpin);
	proc_field(vm, "pswpout", &s->pswpout);
	proc_field(vm, "pgpgin", &s->pgpgin);
	proc_field(vm, "pgpgout", &s->pgpgout);
	proc_field(stat, "procs_running", &s->running);
	proc_field(stat, "procs_blocked", &s->blocked);
	proc_field(stat, "intr", &s->intr);
	proc_field(stat, "ctxt", &s->ctxt);
	parse_cpu_line(stat, s);
	return true;
}

/* The two header lines, as procps prints them. */
static void print_header(bool active)
{
	printf("procs -----------memory---------- ---swap-- -----io---- -system-- "
	       "------cpu-----\n");
	if (active)
		printf(" r  b   swpd   free  inact active   si   so    bi    bo   in   cs us sy id "
		       "wa st\n");
	else
		printf(" r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id "
		       "wa st\n");
}

/* (value * mul + div/2) / div: a rounded rate, as procps computes it. */
static unsigned long rate(unsigned long value, unsigned long mul, unsigned long div)
{
	return (value * mul + div / 2) / div;
}

/*
 * Print one line for the interval from old to now. With old all zero this
 * is the since-boot line: rates are per CPU tick times HZ; otherwise they are
 * per second of the delay.
 */
static void print_line(const struct sample *old, const struct sample *now, bool active,
		       unsigned long delay)
{
	unsigned long kib_per_page = (unsigned long)getpagesize() / 1024;
	unsigned long user = now->user - old->user, sys = now->system - old->system;
	unsigned long idle = now->idle - old->idle, wait = now->iowait - old->iowait;
	unsigned long steal = now->steal - old->steal;
	unsigned long ticks = user + sys + idle + wait + steal;
	unsigned long mul = delay ? 1 : proc_hertz(), div = delay ? delay : ticks;

	if (ticks == 0) {
		ticks = 1;
		idle = 1;
	}
	if (div == 0)
		div = 1;
	printf("%2lu %2lu %6lu %6lu %6lu %6lu %4lu %4lu %5lu %5lu %4lu %4lu %2lu %2lu %2lu %2lu "
	       "%2lu\n",
	       now->running, now->blocked, now->swap_used, now->free,
	       active ? now->inactive : now->buff, active ? now->active : now->cache,
	       rate((now->pswpin - old->pswpin) * kib_per_page, mul, div),
	       rate((now->pswpout - old->pswpout) * kib_per_page, mul, div),
	       rate(now->pgpgin - old->pgpgin, mul, div),
	       rate(now->pgpgout - old->pgpgout, mul, div), rate(now->intr - old->intr, mul, div),
	       rate(now->ctxt - old->ctxt, mul, div), rate(user, 100, ticks), rate(sys, 100, ticks),
	       rate(idle, 100, ticks), rate(wait, 100, ticks), rate(steal, 100, ticks));
}

/* Lines between repeated headers: the terminal height less 3, or 22 when not a terminal. */
static unsigned long header_interval(void)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 3)
		return ws.ws_row - 3;
	return 22;
}

int main(int argc, char **argv)
{
	struct sample samples[2], zero = {0};
	bool active = false, one_header = false;
	unsigned long delay = 0, count = 1, height = header_interval(), i;
	int argi;

	for (argi = 1; argi < argc && argv[argi][0] == '-'; argi++) {
		if (strcmp(argv[argi], "-a") == 0)
			active = true;
		else if (strcmp(argv[argi], "-n") == 0)
			one_header = true;
		else {
			fprintf(stderr, "Usage: vmstat [-a] [-n] [delay [count]]\n");
			return 1;
		}
	}
	if (argi < argc) {
		delay = strtoul(argv[argi++], NULL, 10);
		count = argi < argc ? strtoul(argv[argi], NULL, 10) : ~0UL;
		if (delay == 0) {
			fprintf(stderr, "vmstat: delay must be positive integer\n");
			return 1;
		}
	}
	for (i = 0; i < count; i++) {
		struct sample *now = &samples[i % 2], *old = &samples[(i + 1) % 2];

		if (i > 0) {
			fflush(stdout);
			sleep((unsigned int)delay);
		}
		if (!take_sample(now)) {
			fprintf(stderr, "vmstat: cannot read %s/meminfo\n", proc_root());
			return 1;
		}
		if (i == 0 || (!one_header && i % height == 0))
			print_header(active);
		print_line(i == 0 ? &zero : old, now, active, i == 0 ? 0 : delay);
	}
	return 0;
}

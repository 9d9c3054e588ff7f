/*
 * free: show memory use from /proc/meminfo, computed and laid out as
 * procps-ng 4.0 does, so the numbers mean what they mean on Linux:
 *   used       = MemTotal - MemAvailable   (procps-ng < 4.0.1: total - free - buff/cache)
 *   buff/cache = Buffers + Cached + SReclaimable
 *   shared     = Shmem,  swap used = SwapTotal - SwapFree
 * Options: -b -k -m -g (units), -h (human), -w (wide), -t (total), -s N -c N (repeat).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>
#include "lib/procfs.h"
#include "lib/interval.h"

/* The meminfo fields free needs, in KiB. */
struct meminfo {
	unsigned long total, free, available, shared, buffers, cached, reclaimable;
	unsigned long swap_total, swap_free;
};

struct options {
	int shift;	       /* divide KiB by 2^shift: -1 bytes, 0 KiB, 10 MiB, 20 GiB */
	bool human;	       /* -h */
	bool wide;	       /* -w */
	bool total;	       /* -t */
	struct timespec delay; /* -s */
	unsigned int count;    /* -c */
};

/* Read /proc/meminfo into m; returns false if it cannot be read. */
static bool read_meminfo(struct meminfo *m)
{
	static char text[8192];

	if (proc_read("meminfo", text, sizeof(text)) < 0)
		return false;
	memset(m, 0, sizeof(*m));
	proc_field(text, "MemTotal", &m->total);
	proc_field(text, "MemFree", &m->free);
	/* Kernels before 3.14 have no MemAvailable: procps then uses MemFree. */
	if (!proc_field(text, "MemAvailable", &m->available))
		m->available = m->free;
	proc_field(text, "Shmem", &m->shared);
	proc_field(text, "Buffers", &m->buffers);
	proc_field(text, "Cached", &m->cached);
	proc_field(text, "SReclaimable", &m->reclaimable);
	proc_field(text, "SwapTotal", &m->swap_total);
	proc_field(text, "SwapFree", &m->swap_free);
	return true;
}

/* Used memory as procps-ng 4.0 computes it (falls back to total - free if that underflows). */
static unsigned long mem_used(const struct meminfo *m)
{
	if (m->available > m->total)
		return m->total - m->free;
	return m->total - m->available;
}

/*
 * Human-readable size as procps prints it: the first unit (B, Ki, Mi, ...)
 * where "N.N" fits in 5 characters, else where an integer does. Tenths are
 * rounded to nearest, ties to even, as printf("%.1f") does.
 */
static void human_size(unsigned long long bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	unsigned long long unit = 1;
	int i;

	if (snprintf(buf, size, "%lluB", bytes) <= 4)
		return;
	for (i = 1; units[i]; i++) {
		unsigned long long tenths, rest;

		unit <<= 10;
		tenths = bytes * 10 / unit;
		rest = bytes * 10 % unit;
		if (rest * 2 > unit || (rest * 2 == unit && tenths % 2))
			tenths++;
		if (snprintf(buf, size, "%llu.%llu%ci", tenths / 10, tenths % 10, units[i]) <= 5)
			return;
		if (snprintf(buf, size, "%llu%ci", bytes / unit, units[i]) <= 5)
			return;
	}
}

/* Print one column (12 characters wide, right-aligned) holding kib KiB. */
static void column(const struct options *o, unsigned long kib)
{
	char buf[32];

	if (o->human)
		human_size((unsigned long long)kib << 10, buf, sizeof(buf));
	else if (o->shift < 0)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)kib << 10);
	else
		snprintf(buf, sizeof(buf), "%lu", kib >> o->shift);
	printf(" %11s", buf);
}

/* Print the table once. */
static void show(const struct options *o, const struct meminfo *m)
{
	unsigned long swap_used = m->swap_total - m->swap_free;
	unsigned long cache = m->cached + m->reclaimable;

	if (o->wide)
		printf("               total        used        free      shared     buffers       "
		       "cache   available\n");
	else
		printf("               total        used        free      shared  buff/cache   "
		       "available\n");
	printf("%-8s", "Mem:");
	column(o, m->total);
	column(o, mem_used(m));
	column(o, m->free);
	column(o, m->shared);
	if (o->wide) {
		column(o, m->buffers);
		column(o, cache);
	} else {
		column(o, m->buffers + cache);
	}
	column(o, m->available);
	printf("\n%-8s", "Swap:");
	column(o, m->swap_total);
	column(o, swap_used);
	column(o, m->swap_free);
	printf("\n");
	if (o->total) {
		printf("%-8s", "Total:");
		column(o, m->total + m->swap_total);
		column(o, mem_used(m) + swap_used);
		column(o, m->free + m->swap_free);
		printf("\n");
	}
}

/* Explain the options on stderr and return the exit status for a usage error. */
static int usage(void)
{
	fprintf(stderr, "Usage: free [-b|-k|-m|-g|-h] [-w] [-t] [-s DELAY] [-c COUNT]\n");
	return 1;
}

/* Parse the command line into o; returns false on a bad option. */
static bool parse_options(int argc, char **argv, struct options *o)
{
	bool repeat = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-b") == 0 || strcmp(a, "--bytes") == 0)
			o->shift = -1;
		else if (strcmp(a, "-k") == 0 || strcmp(a, "--kibi") == 0)
			o->shift = 0;
		else if (strcmp(a, "-m") == 0 || strcmp(a, "--mebi") == 0)
			o->shift = 10;
		else if (strcmp(a, "-g") == 0 || strcmp(a, "--gibi") == 0)
			o->shift = 20;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--human") == 0)
			o->human = true;
		else if (strcmp(a, "-w") == 0 || strcmp(a, "--wide") == 0)
			o->wide = true;
		else if (strcmp(a, "-t") == 0 || strcmp(a, "--total") == 0)
			o->total = true;
		else if (strcmp(a, "-s") == 0 && i + 1 < argc) {
			if (!parse_interval(argv[++i], &o->delay))
				return false;
			repeat = true;
		} else if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			o->count = (unsigned int)atoi(argv[++i]);
			repeat = true;
		} else {
			return false;
		}
	}
	if (repeat && !o->count)
		o->count = ~0U; /* -s alone repeats forever */
	if (repeat && !o->delay.tv_sec && !o->delay.tv_nsec)
		o->delay.tv_sec = 1; /* -c alone: every second */
	return true;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct meminfo m;
	unsigned int i;

	if (!parse_options(argc, argv, &o))
		return usage();
	for (i = 0; i == 0 || i < o.count; i++) {
		if (i > 0) {
			printf("\n");
			fflush(stdout);
			sleep_interval(o.delay);
		}
		if (!read_meminfo(&m)) {
			fprintf(stderr, "free: cannot read %s/meminfo\n", proc_root());
			return 1;
		}
		show(&o, &m);
	}
	return 0;
}

/*
 * ps: list processes from /proc/PID/stat, /proc/PID/status and
 * /proc/PID/cmdline, laid out as procps-ng does.
 *   ps          this user's processes on this terminal: PID TTY TIME CMD
 *   ps -e, -A   every process, same columns
 *   ps aux      BSD style: a = other users too, x = also without a terminal,
 *               u = USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>
#include "lib/procfs.h"

#define PROCS_MAX 1024

/* What ps needs to know about one process. */
struct proc {
	int pid, ppid, session, tty, tpgid, pgrp;
	char state;
	char comm[64];
	unsigned long utime, stime, start; /* ticks; start is ticks after boot */
	long nice, threads;
	unsigned long vsize, rss; /* bytes, pages */
	unsigned int euid;
};

/* Which processes to show and how. */
struct selection {
	bool all;      /* -e, -A, or BSD "ax" */
	bool bsd;      /* options given without a dash */
	bool others;   /* BSD a: other users' processes too */
	bool no_tty;   /* BSD x: processes without a terminal too */
	bool user_fmt; /* BSD u */
};

/* Parse /proc/PID/stat text into p; returns false if it is malformed. */
static bool parse_stat(const char *text, struct proc *p)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	unsigned long f[22];
	const char *s;
	char *end;
	size_t len;
	int i;

	if (!open || !close || close < open || close[1] != ' ')
		return false;
	p->pid = atoi(text);
	len = (size_t)(close - open - 1);
	if (len >= sizeof(p->comm))
		len = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, len);
	p->comm[len] = '\0';
	p->state = close[2];
	s = close + 3;
	/* f[0] is field 4 (ppid); see proc(5) for the numbering. */
	for (i = 0; i < 22; i++) {
		f[i] = (unsigned long)strtol(s, &end, 10);
		s = end;
	}
	p->ppid = (int)f[0];
	p->pgrp = (int)f[1];
	p->session = (int)f[2];
	p->tty = (int)f[3];
	p->tpgid = (int)f[4];
	p->utime = f[10];
	p->stime = f[11];
	p->nice = (long)f[15];
	p->threads = (long)f[16];
	p->start = f[18];
	p->vsize = f[19];
	p->rss = f[20];
	return true;
}

/* Read the effective uid from the "Uid:" line of /proc/PID/status (0 if absent). */
static unsigned int read_euid(int pid)
{
	char name[32], text[4096], *uid;

	snprintf(name, sizeof(name), "%d/status", pid);
	if (proc_read(name, text, sizeof(text)) < 0)
		return 0;
	uid = strstr(text, "\nUid:");
	if (!uid)
		return 0;
	strtoul(uid + 5, &uid, 10); /* real uid; the effective one follows */
	return (unsigned int)strtoul(uid, NULL, 10);
}

/* Load process pid; returns false if it vanished meanwhile. */
static bool load_proc(int pid, struct proc *p)
{
	char name[32], text[1024];

	snprintf(name, sizeof(name), "%d/stat", pid);
	if (proc_read(name, text, sizeof(text)) < 0 || !parse_stat(text, p))
		return false;
	p->euid = read_euid(pid);
	return true;
}

/* Order processes by pid. */
static int by_pid(const void *a, const void *b)
{
	return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid;
}

/* Fill procs with every process in /proc, sorted by pid; returns the count or -1. */
static int load_all(struct proc *procs, int max)
{
	DIR *dir = opendir(proc_root());
	struct dirent *d;
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < max) {
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9' &&
		    load_proc(atoi(d->d_name), &procs[n]))
			n++;
	}
	closedir(dir);
	qsort(procs, (size_t)n, sizeof(procs[0]), by_pid);
	return n;
}

/* Name a tty from its device number: "?" for none, tty1, ttyS0, pts/3. */
static void tty_name(int dev, char *buf, size_t size)
{
	int major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	if (dev == 0)
		snprintf(buf, size, "?");
	else if (major == 4 && minor < 64)
		snprintf(buf, size, "tty%d", minor);
	else if (major == 4)
		snprintf(buf, size, "ttyS%d", minor - 64);
	else if (major >= 136 && major <= 143)
		snprintf(buf, size, "pts/%d", (major - 136) * 256 + minor);
	else
		snprintf(buf, size, "%d,%d", major, minor);
}

/* The user name for uid from /etc/passwd, or the number. */
static const char *user_name(unsigned int uid)
{
	static char text[8192], name[32];
	char *line, *save = NULL;
	bool have_passwd = read_file("/etc/passwd", text, sizeof(text)) >= 0;

	for (line = have_passwd ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *uid_field = colon ? strchr(colon + 1, ':') : NULL;

		if (uid_field && strtoul(uid_field + 1, NULL, 10) == uid) {
			*colon = '\0';
			snprintf(name, sizeof(name), "%s", line);
			return name;
		}
	}
	if (uid == 0)
		return "root";
	snprintf(name, sizeof(name), "%u", uid);
	return name;
}

/* The command line of pid with NULs turned into spaces, or "[comm]" if it has none. */
static void command_line(const struct proc *p, char *buf, size_t size)
{
	char name[32];
	ssize_t n, i;

	snprintf(name, sizeof(name), "%d/cmdline", p->pid);
	n = proc_read(name, buf, size);
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	if (n <= 0) {
		snprintf(buf, size, "[%s]", p->comm);
		return;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] == '\0')
			buf[i] = ' ';
	}
	buf[n] = '\0';
}

/* The STAT column: state letter then <, N, s, l, + as procps adds them. */
static void stat_column(const struct proc *p, char *buf)
{
	char *s = buf;

	*s++ = p->state;
	if (p->nice < 0)
		*s++ = '<';
	else if (p->nice > 0)
		*s++ = 'N';
	if (p->session == p->pid)
		*s++ = 's';
	if (p->threads > 1)
		*s++ = 'l';
	if (p->tty && p->tpgid == p->pgrp)
		*s++ = '+';
	*s = '\0';
}

/* START: "HH:MM" (UTC) if started today, else "MonDD" (procps: a process
 * started an hour ago, before midnight, shows yesterday's date). */
static void start_column(const struct proc *p, unsigned long boot_time, char *buf, size_t size)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t started = (time_t)(boot_time + p->start / proc_hertz());
	time_t now = time(NULL);
	struct tm tm, today;

	gmtime_r(&now, &today);
	gmtime_r(&started, &tm);
	if (now - started < 24 * 3600 && tm.tm_yday == today.tm_yday)
		snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, size, "%.3s%02d", months + 3 * tm.tm_mon, tm.tm_mday);
}

/*
 * Print text in a column of width, left- or right-aligned, then a space. A
 * column wider than its width pushes the line right; like procps, later
 * columns give up padding (tracked in *debt) until the line is back in step.
 */
static void put_column(int *debt, const char *text, int width, bool left)
{
	int len = (int)strlen(text);
	int room = width - *debt > len ? width - *debt : len;

	*debt += room - width;
	printf(left ? "%-*s " : "%*s ", room, text);
}

/* Format n as text in buf (a static buffer is enough: used at once). */
static const char *number(unsigned long n)
{
	static char buf[4][24];
	static int next;

	next = (next + 1) % 4;
	snprintf(buf[next], sizeof(buf[next]), "%lu", n);
	return buf[next];
}

/* Ticks since boot, from /proc/uptime ("123.45 ..." seconds). */
static unsigned long ticks_up(void)
{
	char text[128], *dot;
	unsigned long secs, hundredths = 0;

	if (proc_read("uptime", text, sizeof(text)) < 0)
		return 0;
	secs = strtoul(text, &dot, 10);
	if (*dot == '.')
		hundredths = strtoul(dot + 1, NULL, 10) % 100;
	return secs * proc_hertz() + hundredths * proc_hertz() / 100;
}

/* One line of "ps u": %CPU is CPU time over the time since the process started. */
static void print_user_line(const struct proc *p, unsigned long up_ticks, unsigned long mem_total,
			    unsigned long boot_time)
{
	unsigned long hz = proc_hertz(), ticks = p->utime + p->stime, cpu = ticks / hz;
	unsigned long age = up_ticks > p->start ? up_ticks - p->start : 0;
	unsigned long pcpu = age ? ticks * 1000 / age : 0;
	unsigned long rss_kib = p->rss * (unsigned long)getpagesize() / 1024;
	unsigned long pmem = mem_total ? rss_kib * 1000 / mem_total : 0;
	char tty[16], stat[8], start[16], time_col[16], pcpu_col[16], pmem_col[16], cmd[256];
	int debt = 0;

	tty_name(p->tty, tty, sizeof(tty));
	stat_column(p, stat);
	start_column(p, boot_time, start, sizeof(start));
	snprintf(time_col, sizeof(time_col), "%lu:%02lu", cpu / 60, cpu % 60);
	snprintf(pcpu_col, sizeof(pcpu_col), "%lu.%lu", pcpu / 10, pcpu % 10);
	snprintf(pmem_col, sizeof(pmem_col), "%lu.%lu", pmem / 10, pmem % 10);
	command_line(p, cmd, sizeof(cmd));
	put_column(&debt, user_name(p->euid), 8, true);
	put_column(&debt, number((unsigned long)p->pid), 5, false);
	put_column(&debt, pcpu_col, 4, false);
	put_column(&debt, pmem_col, 4, false);
	put_column(&debt, number(p->vsize / 1024), 6, false);
	put_column(&debt, number(rss_kib), 5, false);
	put_column(&debt, tty, 8, true);
	put_column(&debt, stat, 4, true);
	put_column(&debt, start, 5, false);
	put_column(&debt, time_col, 6, false);
	printf("%s\n", cmd);
}

/* One line of the default format: PID TTY TIME CMD, TIME as [DD-]HH:MM:SS. */
static void print_line(const struct proc *p)
{
	unsigned long t = (p->utime + p->stime) / proc_hertz();
	char tty[16], time_col[32];
	int debt = 0;

	tty_name(p->tty, tty, sizeof(tty));
	if (t >= 86400)
		snprintf(time_col, sizeof(time_col), "%lu-%02lu:%02lu:%02lu", t / 86400,
			 t / 3600 % 24, t / 60 % 60, t % 60);
	else
		snprintf(time_col, sizeof(time_col), "%02lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	put_column(&debt, number((unsigned long)p->pid), 5, false);
	put_column(&debt, tty, 8, true);
	put_column(&debt, time_col, 8, false);
	printf("%s\n", p->comm);
}

/* Parse the options; returns false on an unknown one. */
static bool parse_options(int argc, char **argv, struct selection *sel)
{
	int i;
	const char *o;

	for (i = 1; i < argc; i++) {
		o = argv[i];
		if (strcmp(o, "-e") == 0 || strcmp(o, "-A") == 0) {
			sel->all = true;
			continue;
		}
		if (o[0] == '-')
			return false;
		sel->bsd = true;
		for (; *o; o++) {
			if (*o == 'a')
				sel->others = true;
			else if (*o == 'x')
				sel->no_tty = true;
			else if (*o == 'u')
				sel->user_fmt = true;
			else
				return false;
		}
	}
	return true;
}

/* Should p be listed, given who runs ps (me) and the selection? */
static bool selected(const struct proc *p, const struct proc *me, const struct selection *sel)
{
	if (sel->all)
		return true;
	if (sel->bsd)
		return (sel->others || p->euid == me->euid) && (sel->no_tty || p->tty != 0);
	return p->euid == me->euid && p->tty == me->tty;
}

int main(int argc, char **argv)
{
	static struct proc procs[PROCS_MAX];
	static char text[16384];
	struct selection sel = {0};
	struct proc me = {0};
	unsigned long mem_total = 0, boot_time = 0, up = ticks_up();
	int n, i;

	if (!parse_options(argc, argv, &sel)) {
		fprintf(stderr, "Usage: ps [-e|-A] | ps [aux]\n");
		return 1;
	}
	n = load_all(procs, PROCS_MAX);
	if (n < 0) {
		fprintf(stderr, "ps: cannot read %s\n", proc_root());
		return 1;
	}
	load_proc(getpid(), &me);
	if (proc_read("meminfo", text, sizeof(text)) >= 0)
		proc_field(text, "MemTotal", &mem_total);
	if (proc_read("stat", text, sizeof(text)) >= 0)
		proc_field(text, "btime", &boot_time);
	if (sel.user_fmt)
		printf("USER       PID %%CPU %%MEM    VSZ   RSS TTY      STAT START   TIME "
		       "COMMAND\n");
	else
		printf("  PID TTY          TIME CMD\n");
	for (i = 0; i < n; i++) {
		if (!selected(&procs[i], &me, &sel))
			continue;
		if (sel.user_fmt)
			print_user_line(&procs[i], up, mem_total, boot_time);
		else
			print_line(&procs[i]);
	}
	return 0;
}

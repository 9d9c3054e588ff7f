/*
 * uptime: the time, how long the system has been up, the number of users and
 * the load averages, from /proc/uptime and /proc/loadavg, laid out as procps:
 *    12:34:56 up 2 days,  3:04,  0 users,  load average: 0.15, 0.09, 0.03
 * The time of day is UTC (we have no time zone database). Option -p: "up 3 hours, 4 minutes",
 * with procps's rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lib/procfs.h"

/* Read the time since boot in hundredths of a second (/proc/uptime's
 * "SECONDS.HH"); returns -1 if /proc/uptime cannot be read. */
static long read_uptime_cs(void)
{
	char text[128], *end;
	long secs;

	if (proc_read("uptime", text, sizeof(text)) < 0)
		return -1;
	secs = strtol(text, &end, 10);
	if (end[0] == '.' && end[1] >= '0' && end[1] <= '9' && end[2] >= '0' && end[2] <= '9')
		return secs * 100 + (end[1] - '0') * 10 + (end[2] - '0');
	return secs * 100;
}

/* "up 1 week, 2 days, 3 hours, 4 minutes" as procps's uptime -p prints it,
 * quirks included: a unit is taken only while more than one of it is left
 * (so exactly 3600 s reads "60 minutes"), and the minutes are shown when
 * there are some or when less than a minute is left over (so 3 h 0 min 30 s
 * reads "3 hours, 0 minutes" but 3 h 1 min 0 s reads "3 hours"). */
static void print_pretty(long cs)
{
	static const struct {
		long secs;
		const char *one, *many;
	} units[] = {
		{10L * 365 * 86400, "decade", "decades"},
		{365L * 86400, "year", "years"},
		{7L * 86400, "week", "weeks"},
		{86400, "day", "days"},
		{3600, "hour", "hours"},
	};
	const char *sep = "";
	long n;

	printf("up ");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		n = cs > units[i].secs * 100 ? cs / (units[i].secs * 100) : 0;
		cs -= n * units[i].secs * 100;
		if (n) {
			printf("%s%ld %s", sep, n, n > 1 ? units[i].many : units[i].one);
			sep = ", ";
		}
	}
	n = cs > 6000 ? cs / 6000 : 0;
	cs -= n * 6000;
	if (n || cs < 6000)
		printf("%s%ld %s", sep, n, n == 1 ? "minute" : "minutes");
	printf("\n");
}

int main(int argc, char **argv)
{
	char loadavg[128] = "0.00 0.00 0.00";
	long cs = read_uptime_cs(), up = cs / 100, days, hours, minutes;
	time_t now = time(NULL);
	struct tm tm;
	char *load[3], *save = NULL;
	int i;

	if (cs < 0) {
		fprintf(stderr, "uptime: cannot read %s/uptime\n", proc_root());
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		print_pretty(cs);
		return 0;
	}
	proc_read("loadavg", loadavg, sizeof(loadavg));
	for (i = 0; i < 3; i++)
		load[i] = strtok_r(i ? NULL : loadavg, " \n", &save);
	gmtime_r(&now, &tm);
	printf(" %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
	days = up / 86400;
	hours = up / 3600 % 24;
	minutes = up / 60 % 60;
	if (days)
		printf("%ld %s, ", days, days > 1 ? "days" : "day");
	if (hours)
		printf("%2ld:%02ld, ", hours, minutes);
	else
		printf("%ld min, ", minutes);
	/* No login records here: like procps without utmp entries, 0 users. */
	printf("%2d %s, ", 0, "user");
	printf(" load average: %s, %s, %s\n", load[0] ? load[0] : "0.00",
	       load[1] ? load[1] : "0.00", load[2] ? load[2] : "0.00");
	return 0;
}

/*
 * uptime: the time, how long the system has been up, the number of users and
 * the load averages, from /proc/uptime and /proc/loadavg, laid out as procps:
 *    12:34:56 up 2 days,  3:04,  0 users,  load average: 0.15, 0.09, 0.03
 * The time of day is UTC (we have no time zone database). Option -p: "up 3 hours, 4 minutes".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lib/procfs.h"

/* Read the seconds since boot; returns -1 if /proc/uptime cannot be read. */
static long read_uptime(void)
{
	char text[128];

	if (proc_read("uptime", text, sizeof(text)) < 0)
		return -1;
	return strtol(text, NULL, 10);
}

/* "up 1 day, 2 hours, 3 minutes" as uptime -p prints it. */
static void print_pretty(long up)
{
	long days = up / 86400, hours = up / 3600 % 24, minutes = up / 60 % 60;
	const char *sep = "";

	printf("up ");
	if (days) {
		printf("%ld %s", days, days > 1 ? "days" : "day");
		sep = ", ";
	}
	if (hours) {
		printf("%s%ld %s", sep, hours, hours > 1 ? "hours" : "hour");
		sep = ", ";
	}
	if (minutes || !*sep)
		printf("%s%ld %s", sep, minutes, minutes == 1 ? "minute" : "minutes");
	printf("\n");
}

int main(int argc, char **argv)
{
	char loadavg[128] = "0.00 0.00 0.00";
	long up = read_uptime(), days, hours, minutes;
	time_t now = time(NULL);
	struct tm tm;
	char *load[3], *save = NULL;
	int i;

	if (up < 0) {
		fprintf(stderr, "uptime: cannot read %s/uptime\n", proc_root());
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		print_pretty(up);
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

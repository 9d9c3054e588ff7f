/* time.c: clocks and sleeping. */
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include "internal.h"

/* Sleep for *req; on a signal returns -1 (EINTR) with the time left in *rem. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall_ret(__syscall2(SYS_nanosleep, req, rem));
}

/* Read clock `clock` into *ts. */
int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return (int)__syscall_ret(__syscall2(SYS_clock_gettime, clock, ts));
}

/* Wall-clock time as a timeval (tz is obsolete and ignored). */
int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* Seconds since the Epoch, also stored in *t if t is not NULL; -1 on error. */
time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

/* Sleep for seconds; returns 0, or the seconds left if a signal cut the sleep short. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec req = {(time_t)seconds, 0}, rem;

	if (nanosleep(&req, &rem) < 0)
		return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

/* Sleep for usec microseconds; -1 with EINTR if a signal cut it short. */
int usleep(unsigned int usec)
{
	struct timespec req = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};

	return nanosleep(&req, NULL);
}

/* 1 if y is a leap year in the Gregorian calendar. */
static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Break *t (seconds since the Epoch, UTC) into calendar fields; returns tm. */
struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long days = *t / 86400, secs = *t % 86400, year = 1970;
	int mon = 0;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	while (days < 0 || days >= 365 + is_leap(year)) {
		if (days < 0)
			days += 365 + is_leap(--year);
		else
			days -= 365 + is_leap(year++);
	}
	tm->tm_year = (int)(year - 1900);
	tm->tm_yday = (int)days;
	while (days >= month_days[mon] + (mon == 1 && is_leap(year))) {
		days -= month_days[mon] + (mon == 1 && is_leap(year));
		mon++;
	}
	tm->tm_mon = mon;
	tm->tm_mday = (int)days + 1;
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = "UTC";
	return tm;
}

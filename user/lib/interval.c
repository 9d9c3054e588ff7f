/* interval.c: time intervals given as decimal seconds (see interval.h). */
#include <stdlib.h>
#include "interval.h"

/* Parse "S" or "S.FFF" (digits after the point beyond nanoseconds are ignored). */
bool parse_interval(const char *s, struct timespec *ts)
{
	long scale = 100000000;
	char *end;

	if (*s < '0' || *s > '9') {
		if (*s != '.')
			return false; /* no sign, no spaces */
	}
	ts->tv_sec = strtol(s, &end, 10);
	ts->tv_nsec = 0;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			ts->tv_nsec += (*end - '0') * scale;
	}
	return *end == '\0' && end != s;
}

/* nanosleep stores the time left when a signal interrupts it: sleep that too. */
void sleep_interval(struct timespec ts)
{
	while (nanosleep(&ts, &ts) < 0)
		;
}

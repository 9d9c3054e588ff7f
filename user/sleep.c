/* sleep: pause for NUMBER seconds (a fraction such as 0.5 is allowed). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Parse "S" or "S.FFF" into ts; returns 0, or -1 if it is not a number. */
static int parse_seconds(const char *s, struct timespec *ts)
{
	char *end;
	long scale = 100000000;

	ts->tv_sec = strtol(s, &end, 10);
	ts->tv_nsec = 0;
	if (end == s && *end != '.')
		return -1;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			ts->tv_nsec += (*end - '0') * scale;
	}
	return *end == '\0' && ts->tv_sec >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct timespec ts;

	if (argc != 2) {
		fprintf(stderr, "Usage: sleep NUMBER\n");
		return 1;
	}
	if (parse_seconds(argv[1], &ts) < 0) {
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
		return 1;
	}
	while (nanosleep(&ts, &ts) < 0)
		; /* interrupted by a signal: sleep the rest */
	return 0;
}

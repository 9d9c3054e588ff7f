/* interval.h: parsing time intervals such as "2" or "0.5" seconds (sleep, free -s). */
#ifndef USER_INTERVAL_H
#define USER_INTERVAL_H

#include <stdbool.h>
#include <time.h>

/* Parse "S" or "S.FFF" seconds into ts; returns false if s is not such a number. */
bool parse_interval(const char *s, struct timespec *ts);

/* Sleep for all of ts, resuming after interruptions. */
void sleep_interval(struct timespec ts);

#endif

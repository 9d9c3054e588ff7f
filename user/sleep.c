/* sleep: pause for NUMBER seconds (a fraction such as 0.5 is allowed). */
#include <stdio.h>
#include "lib/interval.h"

int main(int argc, char **argv)
{
	struct timespec ts;

	if (argc != 2) {
		fprintf(stderr, "Usage: sleep NUMBER\n");
		return 1;
	}
	if (!parse_interval(argv[1], &ts)) {
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
		return 1;
	}
	sleep_interval(ts);
	return 0;
}

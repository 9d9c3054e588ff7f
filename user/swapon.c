/* swapon / swapoff: enable or disable a swap partition, as util-linux's
 * tools do; without arguments swapon prints /proc/swaps (like --show).
 *   swapon [-p PRIO] /dev/sdXN      swapoff /dev/sdXN
 * One binary: it acts as swapoff when called by that name. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SWAP_FLAG_PREFER 0x8000 /* Linux's: the priority is in the low bits */

static int show_swaps(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/swaps", "r");
	size_t n;

	if (!f) {
		perror("swapon: /proc/swaps");
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	bool off = strcmp(name, "swapoff") == 0;
	int flags = 0, i = 1;
	long ret;

	if (!off && argc == 1)
		return show_swaps();
	if (!off && argc > 2 && strcmp(argv[1], "-p") == 0) {
		flags = SWAP_FLAG_PREFER | (atoi(argv[2]) & 0x7fff);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: swapon [-p PRIO] DEVICE | swapoff DEVICE\n");
		return 2;
	}
	ret = off ? syscall(SYS_swapoff, argv[i]) : syscall(SYS_swapon, argv[i], flags);
	if (ret < 0) {
		fprintf(stderr, "%s: %s: %s\n", name, argv[i], strerror(errno));
		return 1;
	}
	return 0;
}

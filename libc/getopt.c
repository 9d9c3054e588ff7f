/*
 * getopt.c: POSIX getopt. Options are single letters after '-', grouped as
 * in "-ab"; a letter followed by ':' in optstring takes an argument, either
 * attached ("-n5") or as the next word ("-n 5"). Parsing stops at the first
 * non-option or after "--".
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

/* Returns the next option letter, '?' for an unknown one or a missing argument
 * (':' instead if optstring starts with ':'), or -1 when options end. */
int getopt(int argc, char *const argv[], const char *optstring)
{
	static int pos = 1; /* index of the next letter within argv[optind] */
	const char *spec;
	char c;

	if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || !argv[optind][1])
		return -1;
	if (strcmp(argv[optind], "--") == 0) {
		optind++;
		return -1;
	}
	c = argv[optind][pos++];
	spec = c == ':' ? NULL : strchr(optstring, c);
	if (!argv[optind][pos]) {
		optind++;
		pos = 1;
	}
	if (!spec) {
		optopt = c;
		if (opterr && optstring[0] != ':')
			fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
		return '?';
	}
	if (spec[1] != ':')
		return c;
	if (pos > 1) { /* the argument is the rest of this word */
		optarg = argv[optind] + pos;
		optind++;
		pos = 1;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		optopt = c;
		if (optstring[0] == ':')
			return ':';
		if (opterr)
			fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
		return '?';
	}
	return c;
}

/*
 * Allocation workloads for `make bench-malloc` (issue 8, claims C16, C17).
 * Each one uses only malloc/free/realloc, so any allocator can be slid under
 * it with LD_PRELOAD and timed from outside.
 *
 *   workloads churn|fifo-lifo|inverse-square|large|fragmentation|idle [scale]
 *
 * Every workload prints one checksum line, so that a broken allocator cannot
 * pass for a fast one. `idle` allocates nothing itself and prints its own
 * peak RSS (VmHWM, KiB): what the process costs before any work, the
 * allocator's own library included. (The rusage of a run would not do: it
 * also holds the peak of the shell that exec'd us, which is bigger.)
 * Every workload also prints on stderr its peak RSS (VmHWM) and its file
 * pages at the end (RssFile, KiB): file pages are never given back, so the
 * difference is its peak of anonymous memory, the allocator's own.
 * That peak is read from counters that the kernel updates in batches (up to
 * 128 KiB late per CPU), coarse for a workload of 1 MiB; with
 * WORKLOADS_EXACT_PEAK=1 in the environment, fifo-lifo also samples the exact
 * anonymous memory (/proc/self/smaps_rollup walks the page tables) at the end
 * of every batch, where its peak is, and prints the largest sample. Slow:
 * for measuring memory only, not time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: a fast, reproducible pseudo-random number. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Write a byte into every page of p and at both ends; returns a checksum part. */
static uint64_t touch(char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 4096)
		p[i] = (char)i;
	p[n - 1] = 1;
	return (uint64_t)(unsigned char)p[0] + n;
}

/* Many short-lived blocks of mixed small sizes (8..512, mostly small). */
static uint64_t churn(long scale)
{
	enum {
		SLOTS = 4096
	};
	static char *slot[SLOTS];
	uint64_t sum = 0;

	for (long i = 0; i < scale * 4000000L; i++) {
		unsigned k = (unsigned)(rng() % SLOTS);
		size_t n = 8 + (rng() % 4 == 0 ? rng() % 505 : rng() % 121);

		free(slot[k]);
		slot[k] = malloc(n);
		sum += touch(slot[k], n);
	}
	for (unsigned k = 0; k < SLOTS; k++)
		free(slot[k]);
	return sum;
}

static int exact_peak_wanted;	      /* WORKLOADS_EXACT_PEAK=1 */
static unsigned long long exact_peak; /* largest exact sample, KiB */

/*
 * Sample the exact anonymous memory of this process now (KiB) into exact_peak.
 * With read(2) into a buffer on the stack: stdio would malloc (and free) a
 * buffer, and the sample must not disturb the allocator it measures.
 */
static void sample_exact_peak(void)
{
	char text[2048];
	unsigned long long kib = 0;
	ssize_t n = 0;
	int fd = open("/proc/self/smaps_rollup", O_RDONLY);
	const char *field;

	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	text[n > 0 ? n : 0] = 0;
	field = strstr(text, "\nAnonymous:");
	if (field && sscanf(field, "\nAnonymous: %llu", &kib) == 1 && kib > exact_peak)
		exact_peak = kib;
}

/* Blocks of 16..64 bytes freed in allocation order, then in reverse order. */
static uint64_t fifo_lifo(long scale)
{
	enum {
		BATCH = 10000
	};
	static char *block[BATCH];
	uint64_t sum = 0;

	for (long round = 0; round < scale * 300; round++) {
		for (int i = 0; i < BATCH; i++) {
			size_t n = 16 + rng() % 49;

			block[i] = malloc(n);
			sum += touch(block[i], n);
		}
		if (exact_peak_wanted)
			sample_exact_peak();
		for (int i = 0; i < BATCH; i++) {
			int k = (round & 1) ? BATCH - 1 - i : i;

			free(block[k]);
		}
	}
	return sum;
}

/* Size drawn with probability ~ 1/size^2 between 16 bytes and 32 KiB. */
static size_t inverse_square_size(void)
{
	double u = (double)(rng() >> 11) / 9007199254740992.0;
	double lo = 16.0, hi = 32768.0;

	/* Inverse of the CDF of 1/x^2 on [lo, hi]. */
	return (size_t)(1.0 / (1.0 / lo - u * (1.0 / lo - 1.0 / hi)));
}

/* A live set of 20000 blocks replaced at random, sizes ~ 1/size^2. */
static uint64_t inverse_square(long scale)
{
	enum {
		SLOTS = 20000
	};
	static char *slot[SLOTS];
	uint64_t sum = 0;

	for (long i = 0; i < scale * 3000000L; i++) {
		unsigned k = (unsigned)(rng() % SLOTS);
		size_t n = inverse_square_size();

		free(slot[k]);
		slot[k] = malloc(n);
		sum += touch(slot[k], n);
	}
	for (unsigned k = 0; k < SLOTS; k++)
		free(slot[k]);
	return sum;
}

/* Blocks of 5..25 MiB, at most 20 alive, each page written once. */
static uint64_t large(long scale)
{
	enum {
		SLOTS = 20
	};
	static char *slot[SLOTS];
	uint64_t sum = 0;

	for (long i = 0; i < scale * 400; i++) {
		unsigned k = (unsigned)(rng() % SLOTS);
		size_t n = (5 << 20) + rng() % (20 << 20);

		free(slot[k]);
		slot[k] = malloc(n);
		sum += touch(slot[k], n);
	}
	for (unsigned k = 0; k < SLOTS; k++)
		free(slot[k]);
	return sum;
}

/*
 * A fragmentation trace (C17): phases that fill the heap with small blocks,
 * free most of them but keep every tenth alive (holes pinned between them),
 * then ask for bigger blocks that do not fit the holes, then grow strings
 * with realloc. Peak RSS shows how well the holes are reused.
 */
static uint64_t fragmentation(long scale)
{
	enum {
		SMALL = 200000,
		BIG = 20000
	};
	static char *small[SMALL], *big[BIG];
	uint64_t sum = 0;

	for (long round = 0; round < scale * 6; round++) {
		for (int i = 0; i < SMALL; i++) {
			size_t n = 16 + rng() % 240;

			small[i] = malloc(n);
			sum += touch(small[i], n);
		}
		for (int i = 0; i < SMALL; i++) {
			if (i % 10 != 0) {
				free(small[i]);
				small[i] = NULL;
			}
		}
		for (int i = 0; i < BIG; i++) {
			size_t n = 512 + rng() % 3584;

			big[i] = malloc(n);
			sum += touch(big[i], n);
		}
		for (int i = 0; i < BIG; i += 2) {
			size_t n = 64;

			for (int step = 0; step < 6; step++, n *= 2)
				big[i] = realloc(big[i], n);
			sum += touch(big[i], n / 2);
		}
		for (int i = 0; i < BIG; i++)
			free(big[i]);
		for (int i = 0; i < SMALL; i++)
			free(small[i]);
	}
	return sum;
}

/* The value of field `name` ("VmHWM:") of /proc/self/status in KiB, or 0. */
static unsigned long long status_kib(const char *name)
{
	char line[128];
	unsigned long long kib = 0;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, name, len) == 0 && sscanf(line + len, "%llu", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* No allocation at all: returns this process's peak RSS in KiB, or 0. */
static uint64_t idle(long scale)
{
	(void)scale;
	return status_kib("VmHWM:");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint64_t (*run)(long scale);
	} workload[] = {
		{"churn", churn},
		{"fifo-lifo", fifo_lifo},
		{"inverse-square", inverse_square},
		{"large", large},
		{"fragmentation", fragmentation},
		{"idle", idle},
	};
	long scale = argc > 2 ? atol(argv[2]) : 1;
	const char *exact = getenv("WORKLOADS_EXACT_PEAK");

	exact_peak_wanted = exact && strcmp(exact, "1") == 0;

	for (size_t i = 0; argc > 1 && i < sizeof(workload) / sizeof(workload[0]); i++) {
		if (strcmp(argv[1], workload[i].name) == 0) {
			printf("%s checksum %llu\n", argv[1],
			       (unsigned long long)workload[i].run(scale));
			/* File pages only grow: VmHWM - RssFile is the anonymous peak. */
			fprintf(stderr, "workloads: VmHWM %llu RssFile %llu\n",
				status_kib("VmHWM:"), status_kib("RssFile:"));
			if (exact_peak)
				fprintf(stderr, "workloads: exact anonymous peak %llu\n",
					exact_peak);
			return 0;
		}
	}
	fprintf(stderr, "usage: workloads churn|fifo-lifo|inverse-square|large|fragmentation|idle "
			"[scale]\n");
	return 2;
}

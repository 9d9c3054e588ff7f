/* page-trace: replays a page access trace over an anonymous mapping and
 * counts the major faults it costs (make bench-belady, which computes
 * Belady's MIN for the same trace offline: tools/bench/belady_bench.py).
 *   page-trace KIND PAGES ACCESSES HOT SEED
 * KIND:
 *   loop     page i % PAGES, ACCESSES times (cyclic over the region);
 *   hotcold  80 % of accesses to a random one of the first HOT pages,
 *            20 % to a random one of the others;
 *   scan     2*HOT random hot accesses, then a single sequential pass over
 *            pages HOT..PAGES-1 with a random hot access between every two
 *            scan accesses, then 2*HOT hot accesses again (ACCESSES unused).
 * Random numbers are splitmix64 from SEED, so the host regenerates the
 * same trace. Every access writes the page (its first touch is a
 * demand-zero minor fault, never a major one).
 *
 * Every 64 accesses the resident pages of the region are counted with
 * mincore(); the frames the process really held are the mean of those
 * samples taken once memory was full (fewer pages resident than touched).
 * Output, one line:
 *   page-trace: loop pages 6000 accesses 24000 distinct 6000 majflt 17980 minflt 6010
 *   frames_mean 4410 frames_max 4470 frames_min 4380 samples 300 ms 12345 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#define PAGE	     4096UL
#define SAMPLE_EVERY 64

static unsigned long long rng;

static unsigned long long splitmix64(void)
{
	unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static char *mem;
static unsigned char *vec, *touched;
static unsigned long pages, distinct, nsamples, frames_sum, frames_max, frames_min = ~0UL;
static unsigned long accesses_done;

static void sample(void)
{
	unsigned long in = 0;

	if (mincore(mem, pages * PAGE, vec) != 0) {
		perror("page-trace: mincore");
		exit(1);
	}
	for (unsigned long i = 0; i < pages; i++)
		in += vec[i] & 1;
	if (in < distinct) { /* memory is full: this is what the process holds */
		nsamples++;
		frames_sum += in;
		frames_max = in > frames_max ? in : frames_max;
		frames_min = in < frames_min ? in : frames_min;
	}
}

static void access_page(unsigned long p)
{
	mem[p * PAGE + (accesses_done & (PAGE - 1))]++;
	if (!touched[p]) {
		touched[p] = 1;
		distinct++;
	}
	if (++accesses_done % SAMPLE_EVERY == 0)
		sample();
}

static unsigned long hot_page(unsigned long hot)
{
	return (unsigned long)(splitmix64() >> 8) % hot;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";
	unsigned long accesses = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
	unsigned long hot = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
	struct rusage r0, r1;
	struct timespec t0, t1;

	pages = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	rng = argc > 5 ? strtoull(argv[5], NULL, 10) : 1;
	if (argc != 6 || !pages ||
	    (strcmp(kind, "loop") &&
	     ((strcmp(kind, "hotcold") && strcmp(kind, "scan")) || !hot || hot >= pages))) {
		fprintf(stderr, "usage: page-trace loop|hotcold|scan PAGES ACCESSES HOT SEED\n");
		return 2;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vec = malloc(pages);
	touched = calloc(pages, 1);
	if (mem == MAP_FAILED || !vec || !touched) {
		perror("page-trace: memory");
		return 1;
	}
	/* Bookkeeping pages first, so that their first touches are not in
	 * the trace's window. */
	memset(vec, 0, pages);
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(kind, "loop")) {
		for (unsigned long i = 0; i < accesses; i++)
			access_page(i % pages);
	} else if (!strcmp(kind, "hotcold")) {
		for (unsigned long i = 0; i < accesses; i++) {
			unsigned long long r = splitmix64();

			access_page(r % 100 < 80 ? (unsigned long)(r >> 8) % hot
						 : hot + (unsigned long)(r >> 8) % (pages - hot));
		}
	} else {
		for (unsigned long i = 0; i < 2 * hot; i++)
			access_page(hot_page(hot));
		for (unsigned long s = hot; s < pages; s++) {
			access_page(hot_page(hot));
			access_page(s);
		}
		for (unsigned long i = 0; i < 2 * hot; i++)
			access_page(hot_page(hot));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);
	printf("page-trace: %s pages %lu accesses %lu distinct %lu majflt %ld minflt %ld "
	       "frames_mean %lu frames_max %lu frames_min %lu samples %lu ms %ld\n",
	       kind, pages, accesses_done, distinct, r1.ru_majflt - r0.ru_majflt,
	       r1.ru_minflt - r0.ru_minflt, nsamples ? frames_sum / nsamples : 0, frames_max,
	       nsamples ? frames_min : 0, nsamples,
	       (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return 0;
}

/*
 * fragmentation: why malloc does not use brk for everything (concept C17).
 * Memory freed inside the brk heap stays there; holes between live blocks
 * can only be reused by requests that fit them, and the heap cannot shrink
 * below its highest live block. A program's live data can be small while
 * its heap stays large: a "leak" no leak checker reports.
 *
 * The churn: 128 records of 256 bytes are allocated first and live on.
 * Then, in rounds r = 0..ROUNDS-1, 16 buffers of 32 KiB + r KiB are
 * allocated and every other one is freed. Each round's buffers are slightly
 * larger than the last round's, so they never fit in the old holes and the
 * heap grows. At the end every buffer is freed but the very last one (a
 * result still in use), which sits at the top of the heap and pins it.
 * It runs twice, each in a fresh child process:
 *   brk:  M_MMAP_THRESHOLD 1 MiB: buffers and records share the brk heap;
 *   mmap: M_MMAP_THRESHOLD 32 KiB: buffers get their own mappings (and go
 *         back on free), only the records are in the heap, which stays
 *         compact.
 * The table shows live bytes (our own count of malloc_usable_size), the
 * heap (brk(0) - start), the free bytes inside it (mallinfo2's fordblks)
 * and mapped bytes (hblkhd) over time; malloc_stats() ends each run.
 *
 * Summary lines for the tests:
 *   fragmentation: policy=brk live_kb=N heap_kb=N free_kb=N mmapped_kb=N
 * Runs unchanged on Linux and on memos.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KIB	    1024UL
#define ROUNDS	    8
#define PER_ROUND   16
#define RECORD_SIZE 256

static unsigned long heap_start;
static long live_bytes;

/* The break, from the kernel (malloc moves it with brk directly). */
static unsigned long current_break(void)
{
	return (unsigned long)syscall(SYS_brk, 0);
}

/* malloc that keeps the live-byte count. */
static void *tracked_malloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		live_bytes += (long)malloc_usable_size(p);
	return p;
}

/* free that keeps the live-byte count. */
static void tracked_free(void *p)
{
	if (!p)
		return;
	live_bytes -= (long)malloc_usable_size(p);
	free(p);
}

/* One row of the table. */
static void print_row(const char *step)
{
	struct mallinfo2 mi = mallinfo2();
	unsigned long heap = current_break() - heap_start;

	printf("  %-24s %9ld %9lu %9lu %9lu %6.1f%%\n", step, live_bytes / (long)KIB, heap / KIB,
	       (unsigned long)mi.fordblks / KIB, (unsigned long)mi.hblkhd / KIB,
	       heap ? 100.0 * (double)(live_bytes - (long)mi.hblkhd) / (double)heap : 100.0);
}

/* The churn under one policy; prints the table and the summary line. */
static void churn(const char *policy, int threshold)
{
	static void *buffers[ROUNDS][PER_ROUND];
	static void *records[ROUNDS * PER_ROUND];
	void *last;
	char step[32];
	struct mallinfo2 mi;

	mallopt(M_MMAP_THRESHOLD, threshold);
	heap_start = current_break();
	printf("%s: M_MMAP_THRESHOLD %d KiB\n", policy, threshold / (int)KIB);
	printf("  %-24s %9s %9s %9s %9s %7s\n", "step", "live KiB", "heap KiB", "free KiB",
	       "mmap KiB", "heap use");
	for (int i = 0; i < ROUNDS * PER_ROUND; i++)
		records[i] = tracked_malloc(RECORD_SIZE);
	print_row("records");
	for (int r = 0; r < ROUNDS; r++) {
		size_t size = 32 * KIB + (size_t)r * KIB;

		for (int i = 0; i < PER_ROUND; i++)
			buffers[r][i] = tracked_malloc(size);
		for (int i = 0; i < PER_ROUND; i += 2) {
			tracked_free(buffers[r][i]);
			buffers[r][i] = NULL;
		}
		snprintf(step, sizeof(step), "round %d (%zu KiB)", r, size / KIB);
		print_row(step);
	}
	last = buffers[ROUNDS - 1][PER_ROUND - 1];
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < PER_ROUND; i++)
			if (buffers[r][i] != last)
				tracked_free(buffers[r][i]);
	print_row("all but the last freed");
	mi = mallinfo2();
	printf("fragmentation: policy=%s live_kb=%ld heap_kb=%lu free_kb=%lu mmapped_kb=%lu\n",
	       policy, live_bytes / (long)KIB, (current_break() - heap_start) / KIB,
	       (unsigned long)mi.fordblks / KIB, (unsigned long)mi.hblkhd / KIB);
	tracked_free(last);
	print_row("the last freed too");
	for (int i = 0; i < ROUNDS * PER_ROUND; i++)
		tracked_free(records[i]);
	print_row("records freed");
	fflush(stdout);
	malloc_stats();
}

/* Runs churn in a child, so each policy starts from an empty heap. */
static void run_in_child(const char *policy, int threshold)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		churn(policy, threshold);
		exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("\n");
}

int main(void)
{
	printf("fragmentation: %d records of %d bytes, then %d rounds of %d buffers\n"
	       "(32 KiB + r KiB) with every other one freed; at the end all buffers\n"
	       "but the last are freed. heap use = live bytes in the heap / heap size\n\n",
	       ROUNDS * PER_ROUND, RECORD_SIZE, ROUNDS, PER_ROUND);
	run_in_child("brk", 1024 * KIB);
	run_in_child("mmap", 32 * KIB);
	return 0;
}

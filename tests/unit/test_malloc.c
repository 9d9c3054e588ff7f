/*
 * Unit tests of libc/malloc.c (issue 8; claims C2, C14, C15, C17), built with
 * MALLOC_PREFIX=tm_ so the allocator under test sits beside the host's
 * malloc (which cmocka uses), and with the program break replaced by a test
 * region (malloc_sys_use_test_brk) so that brk growth and trim are exact.
 * The tests share one allocator and run in order.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "malloc.h"
#include "../../libc/malloc_sys.h"

void *tm_malloc(size_t n);
void tm_free(void *p);
void *tm_calloc(size_t nmemb, size_t size);
void *tm_realloc(void *p, size_t n);
void *tm_reallocarray(void *p, size_t nmemb, size_t size);
void *tm_memalign(size_t align, size_t n);
void *tm_aligned_alloc(size_t align, size_t n);
int tm_posix_memalign(void **out, size_t align, size_t n);
void *tm_valloc(size_t n);
void *tm_pvalloc(size_t n);
size_t tm_malloc_usable_size(void *p);
int tm_malloc_trim(size_t pad);
int tm_mallopt(int param, int value);
struct mallinfo2 tm_mallinfo2(void);
void tm_malloc_stats(void);

#define TEST_BRK_SIZE (256UL << 20)
#define IN_USE	      1UL
#define PREV_FREE     2UL
#define MMAPPED	      4UL

/* The head word of the header in front of p (C14). */
static size_t head_of(void *p)
{
	return ((size_t *)p)[-1];
}

/* The prev_size word of the header in front of p. */
static size_t prev_size_of(void *p)
{
	return ((size_t *)p)[-2];
}

/* Chunk size malloc must use for a request of n bytes. */
static size_t expected_chunk(size_t n)
{
	size_t size = (n + 8 + 15) & ~15UL;

	return size < 32 ? 32 : size;
}

static void test_header_recovers_size(void **state)
{
	static const size_t sizes[] = {0, 1, 24, 25, 100, 1000, 5000, 100000};

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *p = tm_malloc(sizes[i]);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(head_of(p) & ~15UL, expected_chunk(sizes[i]));
		assert_true(head_of(p) & IN_USE);
		assert_false(head_of(p) & MMAPPED);
		assert_int_equal(tm_malloc_usable_size(p), expected_chunk(sizes[i]) - 8);
		memset(p, 0xab, sizes[i]);
		tm_free(p);
	}
}

static void test_malloc_zero_distinct(void **state)
{
	void *a = tm_malloc(0), *b = tm_malloc(0);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	tm_free(a);
	tm_free(b);
	assert_int_equal(tm_malloc_usable_size(NULL), 0);
}

static void test_threshold_switch(void **state)
{
	struct mallinfo2 before = tm_mallinfo2();
	char *heap = tm_malloc(100 * 1024), *mapped = tm_malloc(200 * 1024);

	(void)state;
	assert_false(head_of(heap) & MMAPPED);
	assert_true(head_of(mapped) & MMAPPED);
	assert_int_equal(tm_mallinfo2().hblks, before.hblks + 1);
	assert_true(tm_mallinfo2().hblkhd >= 200 * 1024);
	tm_free(mapped);
	assert_int_equal(tm_mallinfo2().hblks, before.hblks);
	/* glibc's dynamic threshold: blocks of that size now come from the heap. */
	mapped = tm_malloc(200 * 1024);
	assert_false(head_of(mapped) & MMAPPED);
	tm_free(mapped);
	tm_free(heap);

	assert_int_equal(tm_mallopt(M_MMAP_THRESHOLD, 64 * 1024), 1);
	heap = tm_malloc(100 * 1024);
	assert_true(head_of(heap) & MMAPPED);
	tm_free(heap);
	assert_int_equal(tm_mallopt(M_MMAP_THRESHOLD, 0), 1);
	heap = tm_malloc(16);
	assert_true(head_of(heap) & MMAPPED);
	assert_int_equal(tm_malloc_usable_size(heap), (head_of(heap) & ~15UL) - 16);
	tm_free(heap);
	assert_int_equal(tm_mallopt(M_MMAP_MAX, 0), 1);
	heap = tm_malloc(300 * 1024);
	assert_false(head_of(heap) & MMAPPED);
	tm_free(heap);
	assert_int_equal(tm_mallopt(M_MMAP_MAX, 65536), 1);
	assert_int_equal(tm_mallopt(M_MMAP_THRESHOLD, 128 * 1024), 1);
	assert_int_equal(tm_mallopt(12345, 1), 0);
}

static void test_split_and_coalesce(void **state)
{
	char *a = tm_malloc(2000), *b = tm_malloc(2000), *c = tm_malloc(2000);
	char *guard = tm_malloc(2000), *big;
	size_t chunk = expected_chunk(2000);

	(void)state;
	assert_ptr_equal(b, a + chunk);
	assert_ptr_equal(c, b + chunk);
	tm_free(a);
	/* b's header now says "the chunk before me is free, this big". */
	assert_true(head_of(b) & PREV_FREE);
	assert_int_equal(prev_size_of(b), chunk);
	tm_free(b);
	assert_true(head_of(c) & PREV_FREE);
	assert_int_equal(prev_size_of(c), 2 * chunk);
	/* The merged hole serves one request of twice the size... */
	big = tm_malloc(2 * chunk - 8);
	assert_ptr_equal(big, a);
	assert_false(head_of(c) & PREV_FREE);
	tm_free(big);
	/* ...or is split: the front is handed out, the rest stays free. */
	big = tm_malloc(1500);
	assert_ptr_equal(big, a);
	assert_true(head_of(c) & PREV_FREE);
	assert_int_equal(prev_size_of(c), 2 * chunk - expected_chunk(1500));
	tm_free(big);
	tm_free(c);
	tm_free(guard);
}

static void test_quick_list_reuse(void **state)
{
	void *p = tm_malloc(40);

	(void)state;
	tm_free(p);
	assert_ptr_equal(tm_malloc(40), p);
	tm_free(p);
}

/*
 * Deferred coalescing (C17): blocks parked in the quick lists are merged
 * only when a big request comes; then each hole between two live blocks
 * must be one free chunk (or have served the big request). Small requests
 * then split those holes through the remainder. Checking level 2 validates
 * every list and boundary tag after the merge and on each later call.
 */
static void test_deferred_coalescing(void **state)
{
	enum {
		N = 20000,
		KEEP = 20
	};
	static char *p[N];
	char *small[64], *big;
	size_t chunk = expected_chunk(200);
	int holes = 0;

	(void)state;
	tm_mallopt(M_MEMOS_CHECK, 1);
	for (int i = 0; i < N; i++)
		p[i] = tm_malloc(200);
	for (int i = 0; i < N; i++)
		if (i % KEEP)
			tm_free(p[i]);
	tm_mallopt(M_MEMOS_CHECK, 2);
	big = tm_malloc(3000);
	assert_non_null(big);
	assert_int_equal(tm_malloc_usable_size(big), expected_chunk(3000) - 8);
	for (int i = KEEP; i < N; i += KEEP) {
		char *hole = p[i - KEEP] + chunk;

		if (p[i] != p[i - KEEP] + KEEP * chunk || (big >= hole && big < p[i]))
			continue;
		assert_true(head_of(p[i]) & PREV_FREE);
		assert_int_equal(prev_size_of(p[i]), (KEEP - 1) * chunk);
		holes++;
	}
	assert_true(holes > N / KEEP / 2);
	for (int i = 0; i < 64; i++) {
		small[i] = tm_malloc(16 + 16 * (size_t)(i % 8));
		memset(small[i], 0x5a, 16);
	}
	for (int i = 0; i < 64; i++)
		tm_free(small[i]);
	tm_free(big);
	tm_mallopt(M_MEMOS_CHECK, 1);
	for (int i = 0; i < N; i += KEEP)
		tm_free(p[i]);
	tm_mallopt(M_MEMOS_CHECK, 0);
}

static void test_trim_returns_top(void **state)
{
	enum {
		N = 40
	};
	void *block[N];
	uintptr_t grown, trimmed;

	(void)state;
	assert_int_equal(tm_mallopt(M_TRIM_THRESHOLD, 128 * 1024), 1);
	for (int i = 0; i < N; i++)
		block[i] = tm_malloc(100 * 1024);
	grown = sys_brk(0);
	for (int i = N - 1; i >= 0; i--)
		tm_free(block[i]);
	trimmed = sys_brk(0);
	/* C15 nuance: the free top went back, all but top_pad (128 KiB). */
	assert_true(trimmed + 3 * 1024 * 1024 < grown);
	assert_true(tm_mallinfo2().keepcost <= 128 * 1024 + 2 * 4096);
	assert_int_equal(tm_mallopt(M_TOP_PAD, 0), 1);
	tm_malloc_trim(0);
	assert_true(sys_brk(0) <= trimmed);
	assert_true(tm_mallinfo2().keepcost < 2 * 4096);
	assert_int_equal(tm_mallopt(M_TOP_PAD, 128 * 1024), 1);
}

static void test_alignment_apis(void **state)
{
	void *p;

	(void)state;
	for (size_t align = 32; align <= 8192; align *= 2) {
		p = tm_memalign(align, 100);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % align, 0);
		memset(p, 1, 100);
		tm_free(p);
	}
	p = tm_memalign(4096, 300 * 1024);
	assert_int_equal((uintptr_t)p % 4096, 0);
	assert_true(head_of(p) & MMAPPED);
	tm_free(p);
	p = tm_memalign(48, 10); /* rounded up to 64, as glibc does */
	assert_int_equal((uintptr_t)p % 64, 0);
	tm_free(p);
	assert_null(tm_aligned_alloc(24, 10));
	assert_int_equal(errno, EINVAL);
	p = tm_aligned_alloc(256, 10);
	assert_int_equal((uintptr_t)p % 256, 0);
	tm_free(p);
	assert_int_equal(tm_posix_memalign(&p, 4, 10), EINVAL);
	assert_int_equal(tm_posix_memalign(&p, 24, 10), EINVAL);
	assert_int_equal(tm_posix_memalign(&p, 0, 10), EINVAL);
	assert_int_equal(tm_posix_memalign(&p, 64, 10), 0);
	assert_int_equal((uintptr_t)p % 64, 0);
	tm_free(p);
	p = tm_valloc(10);
	assert_int_equal((uintptr_t)p % 4096, 0);
	tm_free(p);
	p = tm_pvalloc(10);
	assert_int_equal((uintptr_t)p % 4096, 0);
	assert_true(tm_malloc_usable_size(p) >= 4096);
	tm_free(p);
}

static void test_overflow(void **state)
{
	void *p = tm_malloc(10);

	(void)state;
	errno = 0;
	assert_null(tm_malloc(SIZE_MAX));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(tm_malloc(SIZE_MAX - 8));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(tm_calloc(SIZE_MAX / 2, 3));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(tm_reallocarray(p, SIZE_MAX / 4, 8));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(tm_realloc(p, SIZE_MAX - 100));
	assert_int_equal(errno, ENOMEM);
	assert_null(tm_memalign(64, SIZE_MAX - 10));
	assert_null(tm_pvalloc(SIZE_MAX - 10));
	assert_int_equal(tm_posix_memalign(&p, 64, SIZE_MAX - 10), ENOMEM);
	tm_free(p); /* still valid after every failed resize */
}

static void test_calloc_zeroes_reused_memory(void **state)
{
	unsigned char *p = tm_malloc(3000), *q;

	(void)state;
	memset(p, 0xff, 3000);
	tm_free(p);
	q = tm_calloc(1, 3000);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(q[i], 0);
	tm_free(q);
	q = tm_calloc(1000, 1000); /* mmapped: fresh zero pages, no memset */
	assert_true(head_of(q) & MMAPPED);
	assert_int_equal(q[999999], 0);
	tm_free(q);
}

static void test_realloc_semantics(void **state)
{
	char *a = tm_malloc(2000), *b = tm_malloc(2000), *guard = tm_malloc(2000), *p;

	(void)state;
	memset(a, 'a', 2000);
	tm_free(b);
	/* Grows in place into the free neighbour. */
	p = tm_realloc(a, 3500);
	assert_ptr_equal(p, a);
	assert_int_equal(p[1999], 'a');
	/* Shrinks in place. */
	p = tm_realloc(p, 100);
	assert_ptr_equal(p, a);
	assert_int_equal(tm_malloc_usable_size(p), expected_chunk(100) - 8);
	/* Moves when it must, keeping the contents. */
	p = tm_realloc(p, 50000);
	assert_non_null(p);
	assert_int_equal(p[99], 'a');
	p = tm_realloc(p, 400000);
	assert_true(head_of(p) & MMAPPED);
	assert_int_equal(p[0], 'a');
	memset(p + 100, 'b', 400000 - 100);
	/* A mapping grows (and shrinks) with mremap, contents intact. */
	p = tm_realloc(p, 3000000);
	assert_true(head_of(p) & MMAPPED);
	assert_true(tm_malloc_usable_size(p) >= 3000000);
	assert_int_equal(p[399999], 'b');
	p = tm_realloc(p, 300000);
	assert_true(head_of(p) & MMAPPED);
	assert_true(tm_malloc_usable_size(p) < 310000);
	assert_int_equal(p[299999], 'b');
	p = tm_realloc(p, 10);
	assert_false(head_of(p) & MMAPPED);
	assert_int_equal(p[9], 'a');
	assert_null(tm_realloc(p, 0)); /* frees, as glibc does */
	p = tm_realloc(NULL, 30);
	assert_non_null(p);
	errno = 4321;
	tm_free(p);
	tm_free(guard);
	tm_free(NULL);
	assert_int_equal(errno, 4321);
}

/* Fill byte that the model expects in slot s at generation g. */
static unsigned char pattern(int s, unsigned g)
{
	return (unsigned char)(s * 31 + g * 7 + 1);
}

/* Check that the block of slot s still holds n pattern bytes. */
static void check_block(const unsigned char *p, size_t n, unsigned char byte)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != byte)
			fail_msg("block %p byte %zu is %u, expected %u", (void *)p, i, p[i], byte);
}

static void test_random_against_model(void **state)
{
	enum {
		SLOTS = 300,
		OPS = 30000
	};
	static unsigned char *ptr[SLOTS];
	static size_t len[SLOTS];
	static unsigned gen[SLOTS];
	struct mallinfo2 before = tm_mallinfo2();
	unsigned seed = 12345;

	(void)state;
	tm_mallopt(M_MEMOS_CHECK, 2);
	for (int op = 0; op < OPS; op++) {
		int s = rand_r(&seed) % SLOTS, kind = rand_r(&seed) % 10;
		size_t n = rand_r(&seed) % 100 < 3
				   ? (size_t)(100000 + rand_r(&seed) % 200000)
				   : (size_t)(rand_r(&seed) % (1 << (rand_r(&seed) % 13)));

		if (ptr[s]) {
			check_block(ptr[s], len[s], pattern(s, gen[s]));
			if (kind < 3) {
				ptr[s] = tm_realloc(ptr[s], n + 1);
				assert_non_null(ptr[s]);
				check_block(ptr[s], len[s] < n + 1 ? len[s] : n + 1,
					    pattern(s, gen[s]));
				len[s] = n + 1;
			} else {
				tm_free(ptr[s]);
				ptr[s] = NULL;
				continue;
			}
		} else if (kind < 2) {
			ptr[s] = tm_calloc(1, n);
			check_block(ptr[s], n, 0);
			len[s] = n;
		} else if (kind < 3) {
			ptr[s] = tm_memalign(64, n);
			assert_int_equal((uintptr_t)ptr[s] % 64, 0);
			len[s] = n;
		} else {
			ptr[s] = tm_malloc(n);
			len[s] = n;
		}
		assert_non_null(ptr[s]);
		assert_int_equal((uintptr_t)ptr[s] % 16, 0);
		assert_true(tm_malloc_usable_size(ptr[s]) >= len[s]);
		gen[s]++;
		memset(ptr[s], pattern(s, gen[s]), len[s]);
	}
	for (int s = 0; s < SLOTS; s++) {
		if (ptr[s])
			check_block(ptr[s], len[s], pattern(s, gen[s]));
		tm_free(ptr[s]);
	}
	tm_mallopt(M_MEMOS_CHECK, 0);
	assert_int_equal(tm_mallinfo2().uordblks, before.uordblks);
	assert_int_equal(tm_mallinfo2().hblks, before.hblks);
}

/*
 * Run bad(level) in a child with stderr in a pipe; assert that it died of
 * SIGABRT and that its message contains expect.
 */
static void expect_abort(void (*bad)(void), int level, const char *expect)
{
	int fd[2], status;
	char msg[256] = {0};
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 2);
		tm_mallopt(M_MEMOS_CHECK, level);
		bad();
		_exit(0);
	}
	close(fd[1]);
	assert_true(read(fd[0], msg, sizeof(msg) - 1) > 0);
	close(fd[0]);
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	if (!strstr(msg, expect))
		fail_msg("message '%s' lacks '%s'", msg, expect);
	assert_non_null(strstr(msg, "memos-malloc: "));
}

static void double_free_small(void)
{
	void *p = tm_malloc(64);

	tm_free(p);
	tm_free(p);
}

static void double_free_large(void)
{
	void *p = tm_malloc(5000), *guard = tm_malloc(10);

	tm_free(p);
	tm_free(p);
	tm_free(guard);
}

static void invalid_free(void)
{
	static _Alignas(16) char not_heap[64];

	tm_free(not_heap + 16);
}

static void corrupt_header(void)
{
	size_t *p = tm_malloc(64);

	p[-1] = (1UL << 40) | IN_USE; /* an overrun wrote a huge size */
	tm_free(p);
}

static void test_checking_mode_aborts(void **state)
{
	(void)state;
	expect_abort(double_free_small, 1, "double free");
	expect_abort(double_free_large, 1, "double free");
	expect_abort(invalid_free, 1, "invalid pointer");
	expect_abort(corrupt_header, 1, "corrupted header");
	/* The O(1) double-free check is on even without checking mode. */
	expect_abort(double_free_small, 0, "double free");
}

static void test_stats_output(void **state)
{
	int fd[2], saved = dup(2);
	char out[1024] = {0};

	(void)state;
	assert_int_equal(pipe(fd), 0);
	dup2(fd[1], 2);
	tm_malloc_stats();
	dup2(saved, 2);
	close(fd[1]);
	assert_true(read(fd[0], out, sizeof(out) - 1) > 0);
	close(fd[0]);
	assert_non_null(strstr(out, "Arena 0:\nsystem bytes     = "));
	assert_non_null(strstr(out, "max mmap regions = "));
}

static void test_brk_failure_falls_back_to_mmap(void **state)
{
	enum {
		N = 60
	};
	struct mallinfo2 before = tm_mallinfo2();
	static _Alignas(16) char no_room[16];
	char *p[N];

	(void)state;
	/* A break that cannot move at all. */
	malloc_sys_use_test_brk(no_room, 0);
	for (int i = 0; i < N; i++) {
		p[i] = tm_malloc(100 * 1024);
		assert_non_null(p[i]);
		assert_false(head_of(p[i]) & MMAPPED);
		memset(p[i], 1, 100 * 1024);
	}
	assert_true(tm_mallinfo2().arena >= before.arena + 1024 * 1024);
	assert_int_equal(sys_brk(0), (uintptr_t)no_room);
	for (int i = 0; i < N; i++)
		tm_free(p[i]);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_recovers_size),
		cmocka_unit_test(test_malloc_zero_distinct),
		cmocka_unit_test(test_threshold_switch),
		cmocka_unit_test(test_split_and_coalesce),
		cmocka_unit_test(test_quick_list_reuse),
		cmocka_unit_test(test_deferred_coalescing),
		cmocka_unit_test(test_trim_returns_top),
		cmocka_unit_test(test_alignment_apis),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_calloc_zeroes_reused_memory),
		cmocka_unit_test(test_realloc_semantics),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_checking_mode_aborts),
		cmocka_unit_test(test_stats_output),
		cmocka_unit_test(test_brk_failure_falls_back_to_mmap),
	};
	void *region = mmap(NULL, TEST_BRK_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (region == MAP_FAILED)
		return 1;
	malloc_sys_use_test_brk(region, TEST_BRK_SIZE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

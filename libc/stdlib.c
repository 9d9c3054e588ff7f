/* stdlib.c: number conversion (strto*, ato*), abs, sorting and searching, rand. */
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <inttypes.h>

/* The value of digit character c in bases up to 36, or 99 if it is not a digit. */
static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 99;
}

/*
 * The common part of the strto* family: skip spaces, read a sign and a base
 * prefix ("0x" for base 16, "0" for octal when base is 0), then digits.
 * Returns the magnitude, sets *neg and *overflow (magnitude beyond
 * ULLONG_MAX), and points *end past the last digit (at s if there is none).
 */
static unsigned long long scan_integer(const char *s, char **end, int base, bool *neg,
				       bool *overflow)
{
	const char *p = s;
	const char *digits;
	unsigned long long value = 0;

	*neg = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	/* "0x" counts as a prefix only if a hex digit follows; else the "0" is the number. */
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	digits = p;
	for (; digit_value((unsigned char)*p) < base; p++) {
		unsigned int d = (unsigned int)digit_value((unsigned char)*p);

		if (value > (ULLONG_MAX - d) / (unsigned int)base)
			*overflow = true;
		else
			value = value * (unsigned int)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return value;
}

/* Convert s to unsigned long long; "-N" wraps as C says; ULLONG_MAX and ERANGE on overflow. */
unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = scan_integer(s, end, base, &neg, &overflow);

	if (overflow) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

/* Convert s to unsigned long (64 bits here, so the same as strtoull). */
unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return strtoull(s, end, base);
}

/* Convert s to long long; LLONG_MAX or LLONG_MIN and ERANGE when out of range. */
long long strtoll(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = scan_integer(s, end, base, &neg, &overflow);
	unsigned long long limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;

	if (overflow || v > limit) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)-v : (long long)v;
}

/* Convert s to long (64 bits here, so the same as strtoll). */
long strtol(const char *restrict s, char **restrict end, int base)
{
	return strtoll(s, end, base);
}

/* The intmax_t versions: the same as the long long ones here. */
intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
	return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
	return strtoull(s, end, base);
}

/* Decimal string to int; no error reporting (use strtol for that). */
int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}

long labs(long x)
{
	return x < 0 ? -x : x;
}

long long llabs(long long x)
{
	return x < 0 ? -x : x;
}

/* Exchange two elements of size bytes. */
static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Move element i down the max-heap of n elements until both children are smaller. */
static void sift_down(unsigned char *base, size_t i, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + i * size, base + child * size) >= 0)
			return;
		swap_bytes(base + i * size, base + child * size, size);
		i = child;
	}
}

/* Sort nmemb elements with heapsort: O(n log n) always, no extra memory. */
void qsort(void *base, size_t nmemb, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base;
	size_t i;

	for (i = nmemb / 2; i-- > 0;)
		sift_down(b, i, nmemb, size, cmp);
	for (i = nmemb; i-- > 1;) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}

/* Binary search in a sorted array; returns the matching element or NULL. */
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const unsigned char *b = base;

	while (nmemb > 0) {
		const void *mid = b + (nmemb / 2) * size;
		int c = cmp(key, mid);

		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			b = (const unsigned char *)mid + size;
			nmemb -= nmemb / 2 + 1;
		} else {
			nmemb /= 2;
		}
	}
	return NULL;
}

/* The state holds seed - 1, so that no srand() at all means srand(1), as C requires. */
static unsigned long long rand_state;

/* Seed rand(). */
void srand(unsigned int seed)
{
	rand_state = seed - 1ULL;
}

/* A pseudo-random number in [0, RAND_MAX] (64-bit LCG, top bits). */
int rand(void)
{
	rand_state = rand_state * 6364136223846793005ULL + 1;
	return (int)(rand_state >> 33);
}

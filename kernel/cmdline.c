/* Kernel command-line parsing (see kernel/cmdline.h). */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return s;
}

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n')
		n++;
	return n;
}

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	bool found = false;

	for (const char *w = skip_spaces(cmdline); *w; w = skip_spaces(w)) {
		size_t len = word_len(w);

		if (len >= klen && !strncmp(w, key, klen) && (len == klen || w[klen] == '=')) {
			const char *val = len == klen ? w + len : w + klen + 1;
			size_t vlen = (size_t)(w + len - val);

			found = true;
			if (size) {
				vlen = MIN(vlen, size - 1);
				memcpy(out, val, vlen);
				out[vlen] = '\0';
			}
		}
		w += len;
	}
	return found;
}

/* Parses digits in the given base at s; returns the end, or NULL on
 * overflow or when there are none. */
static const char *parse_digits(const char *s, unsigned base, unsigned long *out)
{
	unsigned long v = 0;
	const char *start = s;

	for (;; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (~0UL - d) / base)
			return NULL;
		v = v * base + d;
	}
	if (s == start)
		return NULL;
	*out = v;
	return s;
}

static const char *parse_number(const char *s, unsigned long *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, 16, out);
	return parse_digits(s, 10, out);
}

int parse_ulong(const char *s, unsigned long *out)
{
	const char *end = parse_number(s, out);

	return end && !*end ? 0 : -EINVAL;
}

/* Returns the shift of a K/M/G/T suffix (either case), or -1. */
static int suffix_shift(char c)
{
	switch (c | 0x20) {
	case 'k':
		return 10;
	case 'm':
		return 20;
	case 'g':
		return 30;
	case 't':
		return 40;
	default:
		return -1;
	}
}

int memparse(const char *s, unsigned long *out)
{
	unsigned long v;
	const char *end = parse_number(s, &v);
	int shift = 0;

	if (!end)
		return -EINVAL;
	if (*end) {
		shift = suffix_shift(*end);
		if (shift < 0 || end[1])
			return -EINVAL;
	}
	if (shift && v > (~0UL >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/*
 * setenv.c: changing the environment. The first change copies environ (which
 * lives on the initial stack) into a malloc'd array; new "NAME=VALUE" strings
 * are malloc'd too. Replaced strings are never freed, because a pointer from
 * an earlier getenv() may still be in use (the standard allows this leak).
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

static char **owned_env; /* environ, when it is an array we allocated */

/* True if name is a valid variable name for setenv/unsetenv (else errno EINVAL). */
static int valid_name(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

/* The index of name's entry in environ, or -1; *count gets the number of entries. */
static long find_entry(const char *name, size_t *count)
{
	size_t len = strlen(name), i;
	long found = -1;

	for (i = 0; environ && environ[i]; i++) {
		if (found < 0 && strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
			found = (long)i;
	}
	*count = i;
	return found;
}

/* Append entry to environ, moving it to a larger malloc'd array; returns 0 or -1. */
static int append_entry(char *entry, size_t count)
{
	char **grown = malloc((count + 2) * sizeof(char *));

	if (!grown)
		return -1;
	if (count)
		memcpy(grown, environ, count * sizeof(char *));
	grown[count] = entry;
	grown[count + 1] = NULL;
	free(owned_env);
	owned_env = environ = grown;
	return 0;
}

/* Set name to value (kept as is if it exists and overwrite is 0); returns 0 or -1. */
int setenv(const char *name, const char *value, int overwrite)
{
	size_t nlen, vlen, count;
	long slot;
	char *entry;

	if (!valid_name(name))
		return -1;
	slot = find_entry(name, &count);
	if (slot >= 0 && !overwrite)
		return 0;
	nlen = strlen(name);
	vlen = strlen(value);
	entry = malloc(nlen + vlen + 2);
	if (!entry)
		return -1;
	memcpy(entry, name, nlen);
	entry[nlen] = '=';
	memcpy(entry + nlen + 1, value, vlen + 1);
	if (slot >= 0) {
		environ[slot] = entry;
		return 0;
	}
	if (append_entry(entry, count) < 0) {
		free(entry);
		return -1;
	}
	return 0;
}

/* Remove every entry for name; returns 0, or -1 (EINVAL) for a bad name. */
int unsetenv(const char *name)
{
	size_t count, len;
	char **src, **dst;

	if (!valid_name(name))
		return -1;
	if (find_entry(name, &count) < 0)
		return 0;
	len = strlen(name);
	for (src = dst = environ; *src; src++) {
		if (!(strncmp(*src, name, len) == 0 && (*src)[len] == '='))
			*dst++ = *src;
	}
	*dst = NULL;
	return 0;
}

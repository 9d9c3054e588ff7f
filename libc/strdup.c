/* strdup.c: copies of strings in malloc'd memory (kept apart so only users link malloc). */
#include <string.h>
#include <stdlib.h>

/* A malloc'd copy of s, or NULL (errno ENOMEM). */
char *strdup(const char *s)
{
	return strndup(s, strlen(s));
}

/* A malloc'd copy of at most n bytes of s, always NUL-terminated, or NULL. */
char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *copy = malloc(len + 1);

	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

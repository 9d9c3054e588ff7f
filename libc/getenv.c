/* getenv.c: looking up environment variables in environ. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value of variable name, or NULL if it is not set. */
char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e;

	if (len == 0 || strchr(name, '='))
		return NULL;
	for (e = environ; e && *e; e++) {
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	}
	return NULL;
}

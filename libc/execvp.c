/* execvp.c: run a program found by searching the directories in $PATH. */
#include <unistd.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>

#define DEFAULT_PATH "/bin:/usr/bin"

/* Try file in each PATH directory (or as given if it contains '/'); returns -1 on failure. */
int execvp(const char *file, char *const argv[])
{
	const char *path = getenv("PATH");
	char full[PATH_MAX];
	size_t flen = strlen(file);
	int saved = ENOENT;

	if (flen == 0) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, environ);
	if (!path)
		path = DEFAULT_PATH;
	while (*path) {
		size_t dlen = strcspn(path, ":");

		if (dlen + 1 + flen < sizeof(full)) {
			memcpy(full, path, dlen);
			full[dlen] = '/';
			memcpy(full + dlen + 1, file, flen + 1);
			execve(dlen ? full : file, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				saved = errno;
		}
		path += dlen;
		if (*path == ':')
			path++;
	}
	errno = saved;
	return -1;
}

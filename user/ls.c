/* ls: list directory contents, sorted by name, like coreutils' ls in its
 * simplest forms: names one per line, or with -l the type and permission
 * string, size and name. -a shows entries starting with a dot. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 1024

static char *names[MAX_ENTRIES];

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "drwxr-xr-x"-style mode string. */
static void mode_string(unsigned int mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";

	out[0] = S_ISDIR(mode)	 ? 'd'
		 : S_ISLNK(mode) ? 'l'
		 : S_ISCHR(mode) ? 'c'
		 : S_ISBLK(mode) ? 'b'
				 : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

/* Lists one directory (or names one file); returns 0 or 1 on error. */
static int list(const char *path, int all, int longfmt)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d) {
		struct stat st;

		if (stat(path, &st) == 0) {
			printf("%s\n", path);
			return 0;
		}
		fprintf(stderr, "ls: cannot access '%s': ", path);
		perror("");
		return 1;
	}
	while ((e = readdir(d)) && n < MAX_ENTRIES)
		if (all || e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		if (longfmt) {
			char full[1024], mode[11];
			struct stat st;

			snprintf(full, sizeof(full), "%s/%s", path, names[i]);
			if (lstat(full, &st) == 0) {
				char target[1024];
				ssize_t len = S_ISLNK(st.st_mode)
						      ? readlink(full, target, sizeof(target) - 1)
						      : -1;

				mode_string(st.st_mode, mode);
				target[len > 0 ? len : 0] = '\0';
				/* a symlink shows its target, as coreutils' ls -l */
				printf("%s %8ld %s%s%s\n", mode, (long)st.st_size, names[i],
				       len > 0 ? " -> " : "", target);
			}
		} else {
			printf("%s\n", names[i]);
		}
		free(names[i]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int all = 0, longfmt = 0, status = 0, first = 1, paths = 0;

	while (first < argc && argv[first][0] == '-' && argv[first][1]) {
		all |= strchr(argv[first], 'a') != NULL;
		longfmt |= strchr(argv[first], 'l') != NULL;
		first++;
	}
	for (int i = first; i < argc; i++) {
		if (argc - first > 1)
			printf("%s%s:\n", paths++ ? "\n" : "", argv[i]);
		status |= list(argv[i], all, longfmt);
	}
	if (first == argc)
		status = list(".", all, longfmt);
	return status;
}

/* procfs.c: reading Linux-format /proc files for the tools (see procfs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <sys/auxv.h>
#include "procfs.h"

/* $MEMOS_PROC if set (a test's fake /proc), else "/proc". */
const char *proc_root(void)
{
	const char *root = getenv("MEMOS_PROC");

	return root && *root ? root : "/proc";
}

/* Read the file path whole into buf; returns the length, or -1 with errno set. */
ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* /proc files are generated on each read: keep reading until end of file. */
	while (used + 1 < size && (n = read(fd, buf + used, size - 1 - used)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		used += (size_t)n;
	}
	buf[used] = '\0';
	close(fd);
	return (ssize_t)used;
}

int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Read proc_root()/name whole into buf; returns the length, or -1 with errno set. */
ssize_t proc_read(const char *name, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_root(), name);
	return read_file(path, buf, size);
}

/* Parse the number after "key:" or "key " at the start of a line of text. */
bool proc_field(const char *text, const char *key, unsigned long *value)
{
	size_t len = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (strncmp(line, key, len) == 0 && (line[len] == ':' || line[len] == ' ')) {
			*value = strtoul(line + len + 1, NULL, 10);
			return true;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* Ticks per second for the times in /proc/PID/stat and /proc/stat. */
unsigned long proc_hertz(void)
{
	unsigned long hz = getauxval(AT_CLKTCK);

	return hz ? hz : 100;
}

long prefault_file_maps(void)
{
	static char maps[16384];
	unsigned long start, end;
	char *line = maps, *nl, *p;
	long pages = 0;

	if (read_file("/proc/self/maps", maps, sizeof(maps)) < 0)
		return -1;
	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		/* "start-end perms offset dev inode   pathname": file-backed
		 * lines name a path ("/..."), the others "[heap]" or nothing. */
		start = strtoul(line, &p, 16);
		end = strtoul(p + 1, &p, 16);
		if (*p != ' ' || p[1] != 'r' || !strchr(p, '/'))
			continue;
		for (unsigned long a = start; a < end; a += 4096, pages++)
			(void)*(volatile const char *)a;
	}
	return pages;
}

/* dirent.c: opendir/readdir over getdents64(2), from a small fixed pool (no malloc). */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>

#define DIR_MAX 4

struct __dir {
	int in_use; /* 0 when the slot is free */
	int fd;
	size_t pos; /* next record in buf */
	size_t len; /* bytes of records in buf */
	char buf[2048] __attribute__((aligned(8)));
};

static struct __dir dirs[DIR_MAX];

/* Open the directory path for reading; NULL with errno on failure (EMFILE if no slot). */
DIR *opendir(const char *path)
{
	int i, fd;

	for (i = 0; i < DIR_MAX && dirs[i].in_use; i++)
		;
	if (i == DIR_MAX) {
		errno = EMFILE;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	dirs[i].in_use = 1;
	dirs[i].fd = fd;
	dirs[i].pos = dirs[i].len = 0;
	return &dirs[i];
}

/* The next entry, or NULL at the end (errno unchanged) or on error (errno set). */
struct dirent *readdir(DIR *dir)
{
	struct dirent *d;

	if (dir->pos >= dir->len) {
		ssize_t n = getdents64(dir->fd, dir->buf, sizeof(dir->buf));

		if (n <= 0)
			return NULL;
		dir->len = (size_t)n;
		dir->pos = 0;
	}
	d = (struct dirent *)(dir->buf + dir->pos);
	dir->pos += d->d_reclen;
	return d;
}

/* Close the directory and free its slot. */
int closedir(DIR *dir)
{
	dir->in_use = 0;
	return close(dir->fd);
}

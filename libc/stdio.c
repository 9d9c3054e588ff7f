/*
 * stdio.c: buffered streams. stdout is line-buffered on a terminal and fully
 * buffered otherwise (as in glibc and musl), stderr is unbuffered, and up to
 * FOPEN_MAX further streams come from a fixed pool, so stdio never needs malloc.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "internal.h"

#define FOPEN_MAX 8

enum {
	F_READ = 1,   /* opened for reading */
	F_WRITE = 2,  /* opened for writing */
	F_EOF = 4,    /* end of file seen */
	F_ERROR = 8,  /* a read or write failed */
	F_INUSE = 16, /* the slot holds an open stream */
	F_APPEND = 32,
};

struct __file {
	int fd;
	int flags;
	int bufmode; /* _IOFBF, _IOLBF, _IONBF; -1 means "decide at first use" */
	char *buf;
	size_t size;	   /* capacity of buf */
	size_t rpos, rlen; /* reading: next byte and end of the valid bytes in buf */
	size_t wlen;	   /* writing: bytes waiting in buf */
	int ungot;	   /* a byte pushed back by ungetc, or EOF */
};

static char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static char pool_bufs[FOPEN_MAX][BUFSIZ];

static struct __file std_files[3] = {
	{0, F_READ | F_INUSE, _IOLBF, stdin_buf, BUFSIZ, 0, 0, 0, EOF},
	{1, F_WRITE | F_INUSE, -1, stdout_buf, BUFSIZ, 0, 0, 0, EOF},
	{2, F_WRITE | F_INUSE, _IONBF, NULL, 0, 0, 0, 0, EOF},
};
static struct __file pool[FOPEN_MAX];

FILE *const stdin = &std_files[0];
FILE *const stdout = &std_files[1];
FILE *const stderr = &std_files[2];

/* Write all n bytes to fd, retrying short writes and EINTR; returns 0 or -1. */
int __write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send the bytes waiting in f's buffer to its file; returns 0, or EOF on error. */
static int flush_writes(FILE *f)
{
	int ret = 0;

	if (f->wlen && __write_all(f->fd, f->buf, f->wlen) < 0) {
		f->flags |= F_ERROR;
		ret = EOF;
	}
	f->wlen = 0;
	return ret;
}

/* Give back read-ahead bytes by moving the file offset back to what the caller has read. */
static void drop_reads(FILE *f)
{
	off_t unread = (off_t)(f->rlen - f->rpos) + (f->ungot != EOF);

	if (unread)
		lseek(f->fd, -unread, SEEK_CUR);
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
}

/* Flush stream f, or every output stream if f is NULL. Returns 0, or EOF on error. */
int fflush(FILE *f)
{
	int ret = 0, i;

	if (f)
		return (f->flags & F_WRITE) ? flush_writes(f) : 0;
	for (i = 0; i < 3; i++)
		ret |= fflush(&std_files[i]);
	for (i = 0; i < FOPEN_MAX; i++) {
		if (pool[i].flags & F_INUSE)
			ret |= fflush(&pool[i]);
	}
	return ret ? EOF : 0;
}

/* 1 if f is an unbuffered output stream with nothing pending (stderr). */
int __stream_unbuffered(FILE *f)
{
	return (f->flags & F_WRITE) && f->bufmode == _IONBF && f->wlen == 0;
}

/* Called by exit(): flush everything. */
void __stdio_exit(void)
{
	fflush(NULL);
}

/* Get f ready for writing; returns 0, or EOF (EBADF) if it is not writable. */
static int start_writing(FILE *f)
{
	if (!(f->flags & F_WRITE)) {
		errno = EBADF;
		f->flags |= F_ERROR;
		return EOF;
	}
	if (f->rlen || f->ungot != EOF)
		drop_reads(f);
	if (f->bufmode < 0)
		f->bufmode = isatty(f->fd) ? _IOLBF : _IOFBF;
	return 0;
}

/* Write n bytes to f through its buffer; returns 0, or EOF on error. */
static int write_bytes(FILE *f, const char *s, size_t n)
{
	const char *newline;

	if (start_writing(f) < 0)
		return EOF;
	if (f->bufmode == _IONBF || !f->buf) {
		if (flush_writes(f) < 0 || __write_all(f->fd, s, n) < 0) {
			f->flags |= F_ERROR;
			return EOF;
		}
		return 0;
	}
	newline = f->bufmode == _IOLBF ? memrchr(s, '\n', n) : NULL;
	while (n > 0) {
		size_t room = f->size - f->wlen;
		size_t chunk = n < room ? n : room;

		memcpy(f->buf + f->wlen, s, chunk);
		f->wlen += chunk;
		s += chunk;
		n -= chunk;
		if (f->wlen == f->size && flush_writes(f) < 0)
			return EOF;
	}
	return newline ? flush_writes(f) : 0;
}

/* Write nmemb elements of size bytes; returns the number of whole elements written. */
size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb, FILE *restrict f)
{
	if (size == 0 || nmemb == 0)
		return 0;
	if (nmemb > (size_t)-1 / size) {
		errno = EOVERFLOW;
		return 0;
	}
	return write_bytes(f, ptr, size * nmemb) < 0 ? 0 : nmemb;
}

/* Write c as an unsigned char; returns it, or EOF on error. */
int fputc(int c, FILE *f)
{
	char ch = (char)c;

	return write_bytes(f, &ch, 1) < 0 ? EOF : (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* Write the string s (without its NUL); returns a non-negative number, or EOF. */
int fputs(const char *restrict s, FILE *restrict f)
{
	return write_bytes(f, s, strlen(s)) < 0 ? EOF : 1;
}

/* Write s and a newline to stdout. */
int puts(const char *s)
{
	if (fputs(s, stdout) < 0 || fputc('\n', stdout) < 0)
		return EOF;
	return 1;
}

/* Refill f's read buffer; returns the number of bytes now available (0 at EOF/error). */
static size_t refill(FILE *f)
{
	ssize_t n;

	if (!(f->flags & F_READ)) {
		errno = EBADF;
		f->flags |= F_ERROR;
		return 0;
	}
	if (f->flags & F_WRITE)
		flush_writes(f);
	if (f == stdin)
		fflush(stdout); /* show a prompt before waiting for input */
	do {
		n = read(f->fd, f->buf, f->size);
	} while (n < 0 && errno == EINTR);
	f->rpos = 0;
	f->rlen = n > 0 ? (size_t)n : 0;
	if (n == 0)
		f->flags |= F_EOF;
	else if (n < 0)
		f->flags |= F_ERROR;
	return f->rlen;
}

/* Read one byte; returns it as an unsigned char, or EOF at end of file or on error. */
int fgetc(FILE *f)
{
	int c;

	if (f->ungot != EOF) {
		c = f->ungot;
		f->ungot = EOF;
		return c;
	}
	if (f->rpos == f->rlen && refill(f) == 0)
		return EOF;
	return (unsigned char)f->buf[f->rpos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

/* Push c back so the next read returns it (one byte of push-back). */
int ungetc(int c, FILE *f)
{
	if (c == EOF || f->ungot != EOF)
		return EOF;
	f->ungot = (unsigned char)c;
	f->flags &= ~F_EOF;
	return (unsigned char)c;
}

/* Read a line (up to size-1 bytes, keeping the '\n'); NULL if nothing was read. */
char *fgets(char *restrict s, int size, FILE *restrict f)
{
	int i = 0, c = 0;

	if (size <= 0)
		return NULL;
	while (i < size - 1 && c != '\n') {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
	}
	if (i == 0 || (c == EOF && ferror(f)))
		return NULL;
	s[i] = '\0';
	return s;
}

/* Read nmemb elements of size bytes; returns the number of whole elements read. */
size_t fread(void *restrict ptr, size_t size, size_t nmemb, FILE *restrict f)
{
	unsigned char *p = ptr;
	size_t want, got = 0;

	if (size == 0 || nmemb == 0 || nmemb > (size_t)-1 / size)
		return 0;
	want = size * nmemb;
	if (f->ungot != EOF && want > 0) {
		p[got++] = (unsigned char)f->ungot;
		f->ungot = EOF;
	}
	while (got < want) {
		size_t avail = f->rlen - f->rpos;
		size_t chunk;

		if (avail == 0 && (avail = refill(f)) == 0)
			break;
		chunk = want - got < avail ? want - got : avail;
		memcpy(p + got, f->buf + f->rpos, chunk);
		f->rpos += chunk;
		got += chunk;
	}
	return got / size;
}

int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & F_ERROR) != 0;
}

void clearerr(FILE *f)
{
	f->flags &= ~(F_EOF | F_ERROR);
}

int fileno(FILE *f)
{
	return f->fd;
}

/* Choose the buffering mode (and optionally a caller's buffer) before any I/O. */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
		return -1;
	flush_writes(f);
	f->bufmode = mode;
	if (buf && size) {
		f->buf = buf;
		f->size = size;
	}
	return 0;
}

/* Translate an fopen mode string into open(2) flags and stream flags; -1 if invalid. */
static int parse_mode(const char *mode, int *oflags, int *fflags)
{
	int plus = strchr(mode, '+') != NULL;

	switch (mode[0]) {
	case 'r':
		*oflags = plus ? O_RDWR : O_RDONLY;
		*fflags = F_READ | (plus ? F_WRITE : 0);
		return 0;
	case 'w':
		*oflags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
		*fflags = F_WRITE | (plus ? F_READ : 0);
		return 0;
	case 'a':
		*oflags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
		*fflags = F_WRITE | F_APPEND | (plus ? F_READ : 0);
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* Take a free stream slot for fd; returns NULL with EMFILE when the pool is full. */
static FILE *new_stream(int fd, int fflags)
{
	int i;

	for (i = 0; i < FOPEN_MAX; i++) {
		FILE *f = &pool[i];

		if (!(f->flags & F_INUSE)) {
			*f = (struct __file){
				fd, fflags | F_INUSE, _IOFBF, pool_bufs[i], BUFSIZ, 0, 0, 0, EOF};
			return f;
		}
	}
	errno = EMFILE;
	return NULL;
}

/* Open a stream on an already open descriptor. */
FILE *fdopen(int fd, const char *mode)
{
	int oflags, fflags;

	if (parse_mode(mode, &oflags, &fflags) < 0)
		return NULL;
	return new_stream(fd, fflags);
}

/* Open path as a stream with mode "r", "w", "a" (each optionally with "+"). */
FILE *fopen(const char *restrict path, const char *restrict mode)
{
	int oflags, fflags, fd;
	FILE *f;

	if (parse_mode(mode, &oflags, &fflags) < 0)
		return NULL;
	fd = open(path, oflags | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	f = new_stream(fd, fflags);
	if (!f)
		close(fd);
	return f;
}

/* Flush and close f; returns 0, or EOF if flushing or closing failed. */
int fclose(FILE *f)
{
	int ret = fflush(f);

	if (close(f->fd) < 0)
		ret = EOF;
	f->flags = 0;
	return ret;
}

/* Move the stream position; pending output is written, read-ahead is dropped. */
int fseek(FILE *f, long offset, int whence)
{
	if (flush_writes(f) < 0)
		return -1;
	if (whence == SEEK_CUR)
		offset -= (long)(f->rlen - f->rpos) + (f->ungot != EOF);
	f->rpos = f->rlen = 0;
	f->ungot = EOF;
	if (lseek(f->fd, offset, whence) < 0)
		return -1;
	f->flags &= ~F_EOF;
	return 0;
}

/* The stream position, counting buffered bytes; -1 on error. */
long ftell(FILE *f)
{
	off_t pos = lseek(f->fd, 0, SEEK_CUR);

	if (pos < 0)
		return -1;
	return pos - (long)(f->rlen - f->rpos) - (f->ungot != EOF) + (long)f->wlen;
}

void rewind(FILE *f)
{
	fseek(f, 0, SEEK_SET);
	clearerr(f);
}

/* Print "msg: <error text>" for errno on stderr. */
void perror(const char *msg)
{
	const char *text = strerror(errno);

	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, text);
	else
		fprintf(stderr, "%s\n", text);
}

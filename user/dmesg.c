/*
 * dmesg: print the kernel log. Reads it with syslog(2) READ_ALL as
 * util-linux dmesg does; each record arrives as "<level>[time] text" and is
 * printed without the "<level>" prefix. If syslog(2) does not exist (ENOSYS),
 * falls back to reading /proc/kmsg without blocking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/klog.h>

static char small_buf[128 * 1024];
static char *log_buf = small_buf;
static size_t log_size = sizeof(small_buf);

/* Print the records in text[0..len), dropping each line's "<N>" level prefix. */
static void print_records(const char *text, size_t len)
{
	const char *end = text + len;

	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		const char *line_end = nl ? nl : end;

		if (*text == '<') {
			const char *close = memchr(text, '>', (size_t)(line_end - text));

			if (close)
				text = close + 1;
		}
		fwrite(text, 1, (size_t)(line_end - text), stdout);
		putchar('\n');
		text = nl ? nl + 1 : end;
	}
}

/* Read what /proc/kmsg holds right now, without waiting for more; returns bytes or -1. */
static ssize_t read_proc_kmsg(void)
{
	size_t used = 0;
	ssize_t n;
	int fd = open("/proc/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	while (used < log_size && (n = read(fd, log_buf + used, log_size - used)) > 0)
		used += (size_t)n;
	close(fd);
	return (ssize_t)used;
}

/* Make log_buf as large as the kernel's log, if that is larger than our static buffer. */
static void size_buffer(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *big;

	if (size > (int)log_size && (big = malloc((size_t)size))) {
		log_buf = big;
		log_size = (size_t)size;
	}
}

int main(void)
{
	int len;

	size_buffer();
	len = klogctl(SYSLOG_ACTION_READ_ALL, log_buf, (int)log_size);
	if (len < 0 && errno == ENOSYS)
		len = (int)read_proc_kmsg();
	if (len < 0) {
		fprintf(stderr, "dmesg: read kernel buffer failed: %s\n", strerror(errno));
		return 1;
	}
	print_records(log_buf, (size_t)len);
	return 0;
}

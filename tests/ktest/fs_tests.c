/* In-kernel tests of the file-system half: path lookup, the initramfs
 * contents, ramfs files, the tty line discipline on injected input, pipes,
 * procfs values against the allocator's counters, and sysctl parsing.
 * They call kernel/fs directly (no process needed); the syscall layer is
 * tested from user space by libc-test. Run with ktest=fs_NAME. */
#include "kernel/drivers/tty.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/drivers/rtc.h"
#include "kernel/ktest.h"
#include "mm/overcommit.h"
#include "mm/swap.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/vmstat.h"

/* The error of looking up path from the root (0 if found). */
static int lookup_err(const char *path, unsigned int flags)
{
	struct inode *inode;
	int err = path_lookup(vfs_root, path, flags, &inode);

	if (!err)
		iput(inode);
	return err;
}

/* Reads a whole file into buf (NUL-terminated); returns its length or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	struct file *f;
	ssize_t n, len = 0;
	int err;

	f = vfs_open(path, O_RDONLY, &err);
	if (!f)
		return err;
	while ((n = kernel_read(f, buf + len, size - 1 - (size_t)len, &f->pos)) > 0)
		len += n;
	vfs_close(f);
	buf[len] = '\0';
	return n < 0 ? n : len;
}

/* Writes text to path (O_WRONLY); returns write's result or the open error. */
static ssize_t write_file(const char *path, const char *text)
{
	struct file *f;
	ssize_t n;
	int err;

	f = vfs_open(path, O_WRONLY, &err);
	if (!f)
		return err;
	n = kernel_write(f, text, strlen(text), &f->pos);
	vfs_close(f);
	return n;
}

/* The value of "Name:" in /proc/meminfo-style text, or ~0UL. */
static unsigned long field(const char *text, const char *name)
{
	size_t len = strlen(name);
	unsigned long v = 0;

	for (const char *p = text; *p; p++) {
		if ((p == text || p[-1] == '\n') && !strncmp(p, name, len) &&
		    (p[len] == ':' || p[len] == ' ')) {
			p += len + 1;
			while (*p == ' ')
				p++;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (unsigned long)(*p++ - '0');
			return v;
		}
	}
	return ~0UL;
}

KTEST(fs_lookup)
{
	char long_name[NAME_MAX + 8], path[64];
	struct inode *a, *b, *link;

	KTEST_EXPECT(lookup_err("/bin/sh", LOOKUP_FOLLOW) == 0, "/bin/sh found");
	KTEST_EXPECT(!path_lookup(vfs_root, "/bin/sh", 0, &a) &&
			     !path_lookup(vfs_root, "//bin/./../bin//sh", 0, &b) && a == b,
		     "//bin/./../bin//sh is the same inode");
	iput(a);
	iput(b);
	KTEST_EXPECT(!path_lookup(vfs_root, "/..", 0, &a) && a == vfs_root, "/.. is the root");
	iput(a);
	KTEST_EXPECT(lookup_err("bin/sh", 0) == 0, "relative bin/sh from the root");
	KTEST_EXPECT(lookup_err("/nonexistent", 0) == -ENOENT, "missing name: ENOENT");
	KTEST_EXPECT(lookup_err("/bin/nonexistent/x", 0) == -ENOENT, "missing directory: ENOENT");
	KTEST_EXPECT(lookup_err("/bin/sh/x", 0) == -ENOTDIR, "file as directory: ENOTDIR");
	KTEST_EXPECT(lookup_err("/bin/sh/", 0) == -ENOTDIR, "trailing slash on a file: ENOTDIR");
	KTEST_EXPECT(lookup_err("/bin/sh", LOOKUP_DIRECTORY) == -ENOTDIR,
		     "LOOKUP_DIRECTORY on a file: ENOTDIR");
	KTEST_EXPECT(lookup_err("", 0) == -ENOENT, "empty path: ENOENT");
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[0] = '/';
	long_name[sizeof(long_name) - 1] = '\0';
	KTEST_EXPECT(lookup_err(long_name, 0) == -ENAMETOOLONG, "%zu-byte name: ENAMETOOLONG",
		     sizeof(long_name) - 2);
	KTEST_EXPECT(!path_lookup(vfs_root, "/sbin/init", 0, &link) && S_ISLNK(link->mode),
		     "/sbin/init is a symlink without LOOKUP_FOLLOW");
	iput(link);
	KTEST_EXPECT(!path_lookup(vfs_root, "/sbin/init", LOOKUP_FOLLOW, &a) &&
			     !path_lookup(vfs_root, "/bin/init", 0, &b) && a == b,
		     "/sbin/init follows to /bin/init");
	iput(a);
	iput(b);
	KTEST_EXPECT(!path_lookup(vfs_root, "/proc/sys/vm", 0, &a) &&
			     inode_path(a, path, sizeof(path)) > 0 && !strcmp(path, "/proc/sys/vm"),
		     "inode_path gives %s", path);
	iput(a);
}

KTEST(fs_initramfs)
{
	static const char *const progs[] = {"/bin/sh", "/bin/init", "/bin/cat", "/bin/ps",
					    "/bin/free"};
	char magic[4];
	struct inode *inode;
	struct file *f;
	ssize_t n = -1;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		f = vfs_open(progs[i], O_RDONLY, &err);
		if (f) {
			n = vfs_pread(f, magic, 4, 0);
			vfs_close(f);
		}
		KTEST_EXPECT(f && n == 4 &&
				     !memcmp(magic,
					     "\x7f"
					     "ELF",
					     4),
			     "%s is in the initramfs and starts with \\x7fELF", progs[i]);
	}
	if (KTEST_EXPECT(!path_lookup(vfs_root, "/bin/sh", 0, &inode), "lookup /bin/sh")) {
		KTEST_EXPECT((inode->mode & 0111) && inode->size > 4096,
			     "/bin/sh is executable, %lu bytes", inode->size);
		iput(inode);
	}
	if (KTEST_EXPECT(!path_lookup(vfs_root, "/dev/console", 0, &inode),
			 "lookup /dev/console")) {
		KTEST_EXPECT(S_ISCHR(inode->mode) && inode->rdev == MKDEV(5, 1),
			     "/dev/console is char device 5:1");
		iput(inode);
	}
	KTEST_EXPECT(lookup_err("/dev/null", 0) == 0 && lookup_err("/dev/zero", 0) == 0 &&
			     lookup_err("/tmp", LOOKUP_DIRECTORY) == 0 &&
			     lookup_err("/proc/meminfo", 0) == 0,
		     "/dev/null, /dev/zero, /tmp and /proc/meminfo exist");
}

KTEST(fs_ramfs)
{
	unsigned long objects = kmalloc_live_objects();
	char buf[64];
	struct file *f, *g;
	int err;
	ssize_t n;

	f = vfs_open("/tmp/t", O_CREAT | O_RDWR, &err);
	if (!KTEST_EXPECT(f != NULL, "O_CREAT makes /tmp/t (%d)", err))
		return;
	KTEST_EXPECT(kernel_write(f, "hello", 5, &f->pos) == 5, "write 5 bytes");
	KTEST_EXPECT(generic_file_llseek(f, 0, SEEK_SET) == 0, "lseek to 0");
	n = kernel_read(f, buf, sizeof(buf), &f->pos);
	KTEST_EXPECT(n == 5 && !memcmp(buf, "hello", 5), "read them back");
	KTEST_EXPECT(generic_file_llseek(f, -1, SEEK_SET) == -EINVAL, "negative lseek: EINVAL");
	vfs_close(f);
	KTEST_EXPECT(vfs_open("/tmp/t", O_CREAT | O_EXCL | O_WRONLY, &err) == NULL &&
			     err == -EEXIST,
		     "O_CREAT|O_EXCL on an existing file: EEXIST");
	f = vfs_open("/tmp/t", O_WRONLY | O_APPEND, &err);
	KTEST_EXPECT(f && kernel_write(f, "!", 1, &f->pos) == 1, "O_APPEND write");
	if (f)
		vfs_close(f);
	KTEST_EXPECT(read_file("/tmp/t", buf, sizeof(buf)) == 6 && !strcmp(buf, "hello!"),
		     "appended at the end: '%s'", buf);
	f = vfs_open("/tmp/t", O_RDONLY, &err);
	g = vfs_open("/tmp/t", O_WRONLY | O_TRUNC, &err);
	KTEST_EXPECT(g && f && f->inode->size == 0, "O_TRUNC empties the file");
	KTEST_EXPECT(g && kernel_read(g, buf, 1, &g->pos) == -EBADF,
		     "reading a write-only file: EBADF");
	if (g)
		vfs_close(g);
	KTEST_EXPECT(vfs_open("/tmp/t", O_RDONLY | O_DIRECTORY, &err) == NULL && err == -ENOTDIR,
		     "O_DIRECTORY on a file: ENOTDIR");
	KTEST_EXPECT(vfs_open("/tmp", O_WRONLY, &err) == NULL && err == -EISDIR,
		     "opening a directory for writing: EISDIR");
	KTEST_EXPECT(vfs_open("/proc/new", O_CREAT | O_WRONLY, &err) == NULL && err == -EACCES,
		     "creating in /proc: EACCES");
	KTEST_EXPECT(vfs_open("/proc/meminfo", O_WRONLY, &err) == NULL && err == -EACCES,
		     "writing /proc/meminfo: EACCES");
	dir_unlink(f->inode->parent, f->inode);
	KTEST_EXPECT(lookup_err("/tmp/t", 0) == -ENOENT, "unlinked: the name is gone");
	KTEST_EXPECT(kernel_write(f, "x", 1, &f->pos) == -EBADF, "the open file lives on");
	vfs_close(f);
	KTEST_EXPECT(kmalloc_live_objects() == objects, "no kmalloc object leaked (%lu live)",
		     kmalloc_live_objects());
}

/* Types input and reads it back as a canonical-mode reader would. */
static bool typed_reads(const char *typed, const char *want)
{
	char buf[64];
	ssize_t n;

	tty_receive_buf(typed, strlen(typed));
	n = tty_read(buf, sizeof(buf) - 1, true);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, want);
}

KTEST(fs_tty)
{
	struct termios saved, t;
	char buf[8];

	tty_get_termios(&saved);
	KTEST_EXPECT((saved.c_lflag & ICANON) && (saved.c_lflag & ECHO) &&
			     saved.c_cc[VERASE] == 0x7f,
		     "default termios: canonical, echo, VERASE=DEL (Linux's)");
	t = saved;
	t.c_lflag &= ~(u32)ECHO; /* keep the TAP log clean */
	tty_set_termios(&t);
	tty_flush_input();
	KTEST_EXPECT(typed_reads("ab\x7f"
				 "c\n",
				 "ac\n"),
		     "DEL erases a character");
	KTEST_EXPECT(typed_reads("ab\bc\n", "ac\n"), "backspace erases a character");
	KTEST_EXPECT(typed_reads("junk\x15ok\n", "ok\n"), "^U kills the line");
	KTEST_EXPECT(typed_reads("cr\r", "cr\n"), "ICRNL: CR reads as NL");
	KTEST_EXPECT(typed_reads("\x7f\x7fx\n", "x\n"), "erase at line start does nothing");
	tty_receive_buf("part", 4);
	KTEST_EXPECT(tty_read(buf, sizeof(buf), true) == -EAGAIN,
		     "an unfinished line is not readable");
	KTEST_EXPECT(typed_reads("ial\n", "partial\n"), "the line once finished");
	tty_receive_buf("one\ntwo\n", 8);
	KTEST_EXPECT(tty_read(buf, sizeof(buf), true) == 4 && tty_read(buf, sizeof(buf), true) == 4,
		     "one line per read");
	tty_receive_buf("\x04", 1);
	KTEST_EXPECT(tty_read(buf, sizeof(buf), true) == 0, "^D on an empty line: end of file");
	t.c_lflag &= ~(u32)ICANON;
	t.c_cc[VMIN] = 1;
	tty_set_termios(&t);
	tty_receive_buf("q\x7f", 2);
	KTEST_EXPECT(tty_read(buf, sizeof(buf), true) == 2 && buf[0] == 'q' && buf[1] == 0x7f,
		     "non-canonical: bytes as typed, DEL included");
	KTEST_EXPECT(tty_read(buf, sizeof(buf), true) == -EAGAIN, "non-canonical: empty again");
	tty_set_termios(&saved);
	tty_flush_input();
}

KTEST(fs_pipe)
{
	static char big[20000];
	unsigned long objects = kmalloc_live_objects();
	struct file *p[2];
	char buf[8];

	if (!KTEST_EXPECT(pipe_create(p, O_NONBLOCK) == 0, "pipe created"))
		return;
	KTEST_EXPECT(kernel_read(p[0], buf, sizeof(buf), &p[0]->pos) == -EAGAIN,
		     "empty pipe, O_NONBLOCK: EAGAIN");
	KTEST_EXPECT(kernel_write(p[1], "hello", 5, &p[1]->pos) == 5, "write 5");
	KTEST_EXPECT(kernel_read(p[0], buf, 3, &p[0]->pos) == 3 && !memcmp(buf, "hel", 3) &&
			     kernel_read(p[0], buf, 8, &p[0]->pos) == 2 && !memcmp(buf, "lo", 2),
		     "read in order, in pieces");
	KTEST_EXPECT(kernel_write(p[0], "x", 1, &p[0]->pos) == -EBADF, "read end is not writable");
	KTEST_EXPECT(kernel_write(p[1], big, sizeof(big), &p[1]->pos) == 16384,
		     "a full pipe takes 16384 bytes");
	KTEST_EXPECT(kernel_write(p[1], "x", 1, &p[1]->pos) == -EAGAIN, "full, O_NONBLOCK: EAGAIN");
	fput(p[1]);
	KTEST_EXPECT(kernel_read(p[0], big, sizeof(big), &p[0]->pos) == 16384,
		     "data outlives the writer");
	KTEST_EXPECT(kernel_read(p[0], buf, sizeof(buf), &p[0]->pos) == 0,
		     "no writer and empty: end of file");
	fput(p[0]);
	if (KTEST_EXPECT(pipe_create(p, 0) == 0, "second pipe")) {
		fput(p[0]);
		KTEST_EXPECT(kernel_write(p[1], "x", 1, &p[1]->pos) == -EPIPE, "no reader: EPIPE");
		fput(p[1]);
	}
	KTEST_EXPECT(kmalloc_live_objects() == objects, "pipes freed");
}

KTEST(fs_procfs)
{
	static char text[4096];
	unsigned long total, free, avail, cache, reserve = 0, low = 0;
	struct file *f;
	int err;

	f = vfs_open("/proc/meminfo", O_RDONLY, &err);
	if (!KTEST_EXPECT(f != NULL, "open /proc/meminfo"))
		return;
	text[kernel_read(f, text, sizeof(text) - 1, &f->pos)] = '\0';
	/* Measured while the file (and its buffer) is still open. With the
	 * disk as root, the directories walked at boot are in the page cache. */
	total = totalram_pages() * 4;
	free = nr_free_pages() * 4;
	cache = vm_stat[NR_FILE_PAGES] * 4;
	vfs_close(f);
	/* Linux's totalreserve_pages: every zone's high watermark here. */
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		reserve += NODE_DATA(nid)->node_zone._watermark[WMARK_HIGH] * 4;
		low += NODE_DATA(nid)->node_zone._watermark[WMARK_LOW] * 4;
	}
	/* si_mem_available(): free - reserve + cache - min(cache / 2, low),
	 * halved in pages as the kernel does (cache / 4 / 2 * 4 kB). */
	avail = free + cache - MIN(cache / 8 * 4, low);
	avail = avail > reserve ? avail - reserve : 0;
	KTEST_EXPECT(field(text, "MemTotal") == total, "MemTotal %lu kB = totalram_pages",
		     field(text, "MemTotal"));
	KTEST_EXPECT(field(text, "MemFree") == free, "MemFree %lu kB = nr_free_pages",
		     field(text, "MemFree"));
	KTEST_EXPECT(field(text, "MemAvailable") == avail,
		     "MemAvailable %lu kB = free - reserve + cache - min(cache/2, low) = %lu",
		     field(text, "MemAvailable"), avail);
	KTEST_EXPECT(field(text, "SwapTotal") == total_swap_pages * 4 &&
			     field(text, "SwapFree") == nr_swap_pages * 4,
		     "SwapTotal %lu kB and SwapFree are the swap areas'", field(text, "SwapTotal"));
	KTEST_EXPECT(field(text, "Cached") == cache && field(text, "SReclaimable") == 0 &&
			     field(text, "Buffers") == 0,
		     "Cached %lu kB = nr_file_pages; Buffers, SReclaimable present and 0",
		     field(text, "Cached"));
	KTEST_EXPECT(!strncmp(text, "MemTotal:       ", 16), "Linux's column layout");
	f = vfs_open("/proc/vmstat", O_RDONLY, &err);
	if (f) {
		text[kernel_read(f, text, sizeof(text) - 1, &f->pos)] = '\0';
		free = nr_free_pages();
		vfs_close(f);
	}
	KTEST_EXPECT(f && field(text, "nr_free_pages") == free, "vmstat nr_free_pages %lu",
		     field(text, "nr_free_pages"));
	KTEST_EXPECT(read_file("/proc/uptime", text, sizeof(text)) > 0 && text[0] >= '0' &&
			     strchr(text, '.') && strchr(text, ' '),
		     "uptime: %s", text);
	KTEST_EXPECT(read_file("/proc/loadavg", text, sizeof(text)) > 0 &&
			     !strncmp(text, "0.00 0.00 0.00 ", 15),
		     "loadavg at boot: %s", text);
	KTEST_EXPECT(read_file("/proc/stat", text, sizeof(text)) > 0 &&
			     !strncmp(text, "cpu  ", 5) && field(text, "btime") == boot_time_sec,
		     "stat starts with the cpu line; btime is the RTC's boot time");
	snprintf(text + 64, 32, "%u\n", watermark_scale_factor);
	KTEST_EXPECT(read_file("/proc/sys/vm/watermark_scale_factor", text, 64) > 0 &&
			     !strcmp(text, text + 64),
		     "watermark_scale_factor reads %s", text + 64);
	KTEST_EXPECT(lookup_err("/proc/99999", 0) == -ENOENT && lookup_err("/proc/0", 0) == -ENOENT,
		     "no such process: ENOENT");
}

KTEST(fs_sysctl)
{
	static const char *const bad[] = {
		"", "\n", "abc", "-1", "+5", "5x", "1 2", "0x10", "99999999999999999999999"};
	const char *path = "/proc/sys/vm/min_free_kbytes";
	struct zone *z = &NODE_DATA(0)->node_zone;
	unsigned long v, old = min_free_kbytes, old_min = z->_watermark[WMARK_MIN];
	unsigned int old_wsf = watermark_scale_factor;
	char value[32], text[32];
	bool all_bad = true;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		all_bad &= proc_parse_ulong(bad[i], 0, ~0UL, &v) == -EINVAL;
	KTEST_EXPECT(all_bad, "junk, signs, hex and overflow: EINVAL");
	KTEST_EXPECT(!proc_parse_ulong("42\n", 0, 100, &v) && v == 42, "\"42\\n\" parses as 42");
	KTEST_EXPECT(proc_parse_ulong("101", 0, 100, &v) == -EINVAL, "above max: EINVAL");
	KTEST_EXPECT(write_file(path, "junk\n") == -EINVAL && min_free_kbytes == old,
		     "junk written to min_free_kbytes: EINVAL, unchanged");
	KTEST_EXPECT(write_file(path, "-1") == -EINVAL, "a negative value: EINVAL");
	snprintf(value, sizeof(value), "%lu\n", old * 2);
	KTEST_EXPECT(write_file(path, value) == (ssize_t)strlen(value) &&
			     min_free_kbytes == old * 2,
		     "min_free_kbytes set to %lu", old * 2);
	KTEST_EXPECT(z->_watermark[WMARK_MIN] > old_min, "min watermark rose from %lu to %lu pages",
		     old_min, z->_watermark[WMARK_MIN]);
	KTEST_EXPECT(read_file(path, text, sizeof(text)) > 0 && !strcmp(text, value),
		     "reads back %s", text);
	snprintf(value, sizeof(value), "%lu", old);
	write_file(path, value);
	KTEST_EXPECT(min_free_kbytes == old && z->_watermark[WMARK_MIN] == old_min,
		     "restored: min watermark %lu pages", z->_watermark[WMARK_MIN]);
	path = "/proc/sys/vm/watermark_scale_factor";
	KTEST_EXPECT(write_file(path, "0") == -EINVAL && write_file(path, "3001") == -EINVAL &&
			     watermark_scale_factor == old_wsf,
		     "watermark_scale_factor outside 1..3000: EINVAL");
	KTEST_EXPECT(write_file(path, "3000") == 4 && watermark_scale_factor == 3000,
		     "watermark_scale_factor 3000 accepted");
	snprintf(value, sizeof(value), "%u", old_wsf);
	write_file(path, value);
}

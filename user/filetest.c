/* filetest: exercises writes, write-back and file mappings of a disk
 * file, one check per line as "name=value" (a syscall's result, or
 * -errno), for tests/qemu/filecache_guest.py to judge against Linux's
 * values. Runs on Linux too (on a file it may change).
 *   filetest FILE      the write/fsync/mmap checks on FILE (at least 64 KiB;
 *                      page 0..15 are changed)
 *   filetest -ro FILE  the checks of a read-only mount
 *   filetest -dirty FILE  writes page 6 and exits without fsync (for the
 *                      flusher check)
 *   filetest -etxtbsy SELF COPY  ETXTBSY both ways: SELF (this program's
 *                      file) cannot be opened for writing while it runs; a
 *                      COPY of it still open for writing cannot be run */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/procfs.h"

#define PAGE 4096L

static void show(const char *name, long ret)
{
	printf("%s=%ld\n", name, ret < 0 ? -(long)errno : ret);
}

static unsigned long meminfo(const char *key)
{
	static char buf[8192];
	unsigned long v = 0;

	if (proc_read("meminfo", buf, sizeof(buf)) > 0)
		proc_field(buf, key, &v);
	return v;
}

static unsigned long vmstat(const char *key)
{
	static char buf[16384];
	unsigned long v = 0;

	if (proc_read("vmstat", buf, sizeof(buf)) > 0)
		proc_field(buf, key, &v);
	return v;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "3\n", 2) != 2)
			perror("filetest: drop_caches");
		close(fd);
	}
}

/* The child touches addr; the parent reports how it ended. */
static void touch_in_child(const char *name, volatile char *addr, int write)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("%s=%s%d\n", name, WIFSIGNALED(status) ? "signal " : "exit ",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* Runs path as "filetest -true" in a child; its exit status, or 128 + the
 * errno of a failed execve. */
static int run_copy(const char *path)
{
	char *argv[] = {"filetest", "-true", NULL};
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execv(path, argv);
		_exit(128 + errno);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int etxtbsy_checks(const char *self, const char *copy)
{
	char buf[PAGE];
	ssize_t n;
	int in, out;

	show("open_self_for_write", open(self, O_WRONLY));
	in = open(self, O_RDONLY);
	show("open_self_for_read", in < 0 ? -1 : 0);
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	show("create_copy", out < 0 ? -1 : 0);
	if (in < 0 || out < 0)
		return 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return 1;
	close(in);
	printf("exec_copy_open_for_write=%d\n", run_copy(copy));
	close(out);
	printf("exec_copy_closed=%d\n", run_copy(copy));
	show("unlink_copy", unlink(copy));
	return 0;
}

static int ro_checks(const char *path)
{
	int fd;

	show("ro.open_rdwr", open(path, O_RDWR));
	show("ro.open_wronly", open(path, O_WRONLY));
	show("ro.creat", open("/mnt/newfile", O_WRONLY | O_CREAT, 0644));
	show("ro.mkdir", mkdir("/mnt/newdir", 0755));
	show("ro.unlink", unlink(path));
	fd = open(path, O_RDONLY);
	show("ro.mmap_shared_write",
	     (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == -1 ? -1 : 0);
	show("ro.mmap_private_write",
	     (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == -1 ? -1 : 0);
	show("ro.fsync", fsync(fd));
	return 0;
}

int main(int argc, char **argv)
{
	char buf[PAGE], want[PAGE];
	const char *path;
	struct stat st;
	int fd, rfd, pfd[2];
	unsigned long dirty0, written0, pgpgin0;
	char *map, *priv;

	/* Our text in first: Mapped is compared before and after below. */
	prefault_file_maps();
	if (argc > 1 && !strcmp(argv[1], "-true"))
		return 0;
	if (argc > 3 && !strcmp(argv[1], "-etxtbsy"))
		return etxtbsy_checks(argv[2], argv[3]);
	if (argc > 2 && !strcmp(argv[1], "-ro"))
		return ro_checks(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "-dirty")) {
		fd = open(argv[2], O_RDWR);
		show("pwrite", pwrite(fd, "flusher", 7, 6 * PAGE));
		printf("dirty_kb=%lu\n", meminfo("Dirty"));
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: filetest [-ro] FILE\n");
		return 2;
	}
	path = argv[1];
	fd = open(path, O_RDWR);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 16 * PAGE) {
		fprintf(stderr, "filetest: %s: %s\n", path, fd < 0 ? strerror(errno) : "too small");
		return 1;
	}
	rfd = open(path, O_RDONLY);
	sync();
	drop_caches();
	printf("size=%ld\n", (long)st.st_size);

	/* write() goes to the page cache: dirty, then fsync writes it. */
	for (int i = 0; i < PAGE; i++)
		want[i] = (char)('A' + i % 26);
	dirty0 = meminfo("Dirty");
	written0 = vmstat("nr_written");
	show("pwrite", pwrite(fd, want, PAGE, 3 * PAGE));
	show("pread_same", pread(rfd, buf, PAGE, 3 * PAGE));
	printf("readback_cached=%d\n", !memcmp(buf, want, PAGE));
	printf("dirty_kb_after_write=%ld\n", (long)(meminfo("Dirty") - dirty0));
	show("fsync", fsync(fd));
	printf("dirty_kb_after_fsync=%ld\n", (long)(meminfo("Dirty") - dirty0));
	printf("written_by_fsync=%ld\n", (long)(vmstat("nr_written") - written0));
	show("fdatasync_clean", fdatasync(fd));
	drop_caches();
	pgpgin0 = vmstat("pgpgin");
	memset(buf, 0, sizeof(buf));
	show("pread_after_drop", pread(rfd, buf, PAGE, 3 * PAGE));
	printf("readback_disk=%d\n", !memcmp(buf, want, PAGE));
	printf("pgpgin_kb_reread=%ld\n", (long)(vmstat("pgpgin") - pgpgin0));

	/* drop_caches leaves dirty pages alone; sync writes them. */
	show("pwrite_page4", pwrite(fd, want, 100, 4 * PAGE + 10));
	dirty0 = meminfo("Dirty");
	drop_caches();
	printf("dirty_kb_after_drop=%ld\n", (long)meminfo("Dirty"));
	printf("dirty_kept_by_drop=%d\n", meminfo("Dirty") == dirty0 && dirty0 > 0);
	written0 = vmstat("nr_written");
	sync();
	printf("dirty_kb_after_sync=%ld\n", (long)meminfo("Dirty"));
	printf("written_by_sync=%ld\n", (long)(vmstat("nr_written") - written0));
	show("syncfs", syncfs(fd));

	/* Limits of a driver that writes existing blocks only. */
	show("pwrite_at_eof", pwrite(fd, "x", 1, st.st_size));
	show("pwrite_across_eof", pwrite(fd, want, 100, st.st_size - 10));
	show("pwrite_zero_at_eof", pwrite(fd, "x", 0, st.st_size));
	{
		int afd = open(path, O_WRONLY | O_APPEND);

		show("append_write", write(afd, "x", 1));
		close(afd);
	}
	show("open_trunc", open(path, O_WRONLY | O_TRUNC));
	show("creat_in_mnt", open("/mnt/newfile", O_WRONLY | O_CREAT, 0644));
	show("mkdir_in_mnt", mkdir("/mnt/newdir", 0755));
	show("write_rdonly_fd", write(rfd, "x", 1));

	/* fsync, fdatasync, syncfs and msync errors. */
	pipe(pfd);
	show("fsync_badfd", fsync(-1));
	show("fsync_closedfd", fsync(99));
	show("fsync_pipe", fsync(pfd[0]));
	show("fdatasync_pipe", fdatasync(pfd[1]));
	{
		int pr = open("/proc/meminfo", O_RDONLY);

		show("fsync_proc", fsync(pr));
		show("mmap_proc",
		     (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pr, 0) == -1 ? -1 : 0);
		close(pr);
	}
	show("syncfs_badfd", syncfs(-1));
	show("mmap_pipe", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0) == -1 ? -1 : 0);
	show("mmap_badfd", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0) == -1 ? -1 : 0);
	show("mmap_shared_write_rdonly_fd",
	     (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0) == -1 ? -1 : 0);
	{
		int wfd = open(path, O_WRONLY);

		show("mmap_wronly_fd",
		     (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wfd, 0) == -1 ? -1 : 0);
		close(wfd);
	}
	priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	show("mmap_private_write_rdonly_fd", priv == MAP_FAILED ? -1 : 0);

	/* MAP_SHARED: a store is seen by read() and dirties the page. */
	map = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("mmap_shared", map == MAP_FAILED ? -1 : 0);
	if (map == MAP_FAILED)
		return 1;
	show("msync_unaligned", msync(map + 1, PAGE, MS_SYNC));
	show("msync_async_and_sync", msync(map, PAGE, MS_SYNC | MS_ASYNC));
	show("msync_badflags", msync(map, PAGE, 8));
	show("msync_unmapped", msync((void *)0x10000, PAGE, MS_SYNC));
	show("msync_zero_len", msync(map, 0, MS_SYNC));
	dirty0 = meminfo("Dirty");
	printf("mapped_kb=%ld\n", (long)meminfo("Mapped"));
	printf("map_reads_file=%d\n", !memcmp(map + 3 * PAGE, want, PAGE));
	memcpy(map + 5 * PAGE, "shared-store", 12);
	memset(buf, 0, sizeof(buf));
	pread(rfd, buf, 12, 5 * PAGE);
	printf("shared_store_seen_by_read=%d\n", !memcmp(buf, "shared-store", 12));
	printf("dirty_kb_after_store=%ld\n", (long)(meminfo("Dirty") - dirty0));
	printf("mapped_kb_after_store=%ld\n", (long)meminfo("Mapped"));
	written0 = vmstat("nr_written");
	show("msync_async", msync(map, 16 * PAGE, MS_ASYNC));
	printf("written_by_ms_async=%ld\n", (long)(vmstat("nr_written") - written0));
	show("msync_invalidate", msync(map, 16 * PAGE, MS_INVALIDATE));
	show("msync_sync", msync(map, 16 * PAGE, MS_SYNC));
	printf("written_by_ms_sync=%ld\n", (long)(vmstat("nr_written") - written0));
	printf("dirty_kb_after_msync=%ld\n", (long)(meminfo("Dirty") - dirty0));
	/* A second store to a page just written: it must fault and dirty again. */
	memcpy(map + 5 * PAGE, "second-store", 12);
	printf("dirty_kb_after_second_store=%ld\n", (long)(meminfo("Dirty") - dirty0));
	show("msync_sync2", msync(map + 5 * PAGE, PAGE, MS_SYNC));
	munmap(map, 16 * PAGE);
	drop_caches();
	memset(buf, 0, sizeof(buf));
	pread(rfd, buf, 12, 5 * PAGE);
	printf("shared_store_on_disk=%d\n", !memcmp(buf, "second-store", 12));

	/* mincore of a file mapping reports page cache residency. */
	map = mmap(NULL, 16 * PAGE, PROT_READ, MAP_SHARED, rfd, 0);
	if (map != MAP_FAILED) {
		unsigned char vec[16];

		drop_caches();
		show("mincore", mincore(map, 16 * PAGE, vec));
		printf("mincore_after_drop=%d\n", vec[2]);
		pread(rfd, buf, 1, 2 * PAGE);
		mincore(map, 16 * PAGE, vec);
		printf("mincore_after_read=%d%d%d\n", vec[1], vec[2], vec[3]);
		munmap(map, 16 * PAGE);
	}

	/* MAP_PRIVATE: a store copies the page; the file does not change. */
	if (priv != MAP_FAILED) {
		dirty0 = meminfo("Dirty");
		pread(rfd, want, 16, 0);
		memcpy(priv, "private-store!!!", 16);
		pread(rfd, buf, 16, 0);
		printf("private_store_not_in_file=%d\n", !memcmp(buf, want, 16));
		printf("private_store_in_map=%d\n", !memcmp(priv, "private-store!!!", 16));
		printf("dirty_kb_after_private_store=%ld\n", (long)(meminfo("Dirty") - dirty0));
		munmap(priv, PAGE);
	}

	/* Past the end of the file: SIGBUS, as Linux; inside the last page
	 * (before EOF): fine. */
	{
		long pages = (st.st_size + PAGE - 1) / PAGE;
		char *m = mmap(NULL, (pages + 2) * PAGE, PROT_READ, MAP_SHARED, rfd, 0);

		show("mmap_past_eof", m == MAP_FAILED ? -1 : 0);
		if (m != MAP_FAILED) {
			touch_in_child("touch_last_page", m + (pages - 1) * PAGE, 0);
			touch_in_child("touch_past_eof", m + (pages + 1) * PAGE, 0);
			munmap(m, (pages + 2) * PAGE);
		}
	}
	/* Writing a PROT_READ shared mapping: SIGSEGV. */
	map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	touch_in_child("store_prot_read", map, 1);
	munmap(map, PAGE);

	/* Nothing leaked: everything written, caches dropped, MemFree back. */
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
	close(rfd);
	sync();
	drop_caches();
	printf("dirty_kb_end=%ld\n", (long)meminfo("Dirty"));
	printf("mapped_kb_end=%ld\n", (long)meminfo("Mapped"));
	return 0;
}

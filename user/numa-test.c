/*
 * numa-test: checks of the NUMA policy system calls for tests/qemu/
 * numa_guest.py (concept C12). Every result is measured in the guest:
 *   numa-test place task|vma MODE NODES PAGES
 *       sets MODE (default preferred bind interleave local) on NODES for
 *       the task (set_mempolicy) or an mmap'ed region (mbind), touches
 *       PAGES pages, asks the kernel where each landed
 *       (get_mempolicy MPOL_F_NODE|MPOL_F_ADDR) and prints
 *         placed: node0=N node1=M ...
 *         sequence: 0101...          (the node of each page, first 64)
 *         delta nodeK: numa_hit=.. numa_miss=.. numa_foreign=.. interleave_hit=..
 *         delta pgalloc_normal=..    (from /proc/vmstat, over the same span)
 *   numa-test errno      the errno cases, one "PASS|FAIL what" line each
 *   numa-test inherit    a policy set before fork, seen by the child
 *   numa-test merge      VMAs split by mbind and merged back (/proc/self/maps)
 *   numa-test read DIR   reads every file of DIR (fills the page cache)
 *   numa-test dirty FILE KB   overwrites the first KB of FILE (no truncation,
 *                        no fsync): dirty page cache pages on the task's node
 *   numa-test sync       sync(2): every dirty page written back
 *   numa-test move NODE PAGES   touches PAGES pages (on the local node),
 *                        then mbind(MPOL_BIND NODE, MPOL_MF_MOVE): prints
 *                        where they are before and after and whether the
 *                        data survived; then the same range shared
 *                        copy-on-write with a child: MOVE|STRICT gives EIO
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <numaif.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include "lib/numa.h"
#include "lib/procfs.h"

#define PAGE	  4096UL
#define MAX_NODES 8

static const char *const stat_names[] = {"numa_hit", "numa_miss", "numa_foreign", "interleave_hit"};

struct snapshot {
	unsigned long stat[MAX_NODES][4];
	unsigned long pgalloc;
};

static void snap(struct snapshot *s, int n)
{
	char buf[8192];

	for (int nid = 0; nid < n; nid++)
		for (int k = 0; k < 4; k++)
			node_numastat(nid, stat_names[k], &s->stat[nid][k]);
	s->pgalloc = 0;
	if (proc_read("vmstat", buf, sizeof(buf)) > 0)
		proc_field(buf, "pgalloc_normal", &s->pgalloc);
}

static int parse_mode(const char *s)
{
	static const char *const names[] = {"default", "preferred", "bind", "interleave", "local"};

	for (int m = 0; m <= MPOL_LOCAL; m++)
		if (!strcmp(s, names[m]))
			return m;
	return -1;
}

static int place(int argc, char **argv)
{
	int n = numa_nodes(), mode, counts[MAX_NODES] = {0};
	unsigned long mask = 0, pages;
	struct snapshot a, b;
	char seq[65];
	char *p;

	if (argc != 6 || (mode = parse_mode(argv[3])) < 0) {
		fprintf(stderr, "usage: numa-test place task|vma MODE NODES PAGES\n");
		return 2;
	}
	if (strcmp(argv[4], "-") && !parse_nodes(argv[4], n, &mask))
		return 2;
	pages = strtoul(argv[5], NULL, 0);
	if (!strcmp(argv[2], "task") &&
	    set_mempolicy(mode, mask ? &mask : NULL, mask ? NUMA_MAXNODE : 0) < 0) {
		perror("set_mempolicy");
		return 1;
	}
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (!strcmp(argv[2], "vma") &&
	    mbind(p, pages * PAGE, mode, mask ? &mask : NULL, mask ? NUMA_MAXNODE : 0, 0) < 0) {
		perror("mbind");
		return 1;
	}
	snap(&a, n);
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	snap(&b, n);
	for (unsigned long i = 0; i < pages; i++) {
		int node = page_node(p + i * PAGE);

		if (node < 0 || node >= MAX_NODES) {
			printf("page %lu: get_mempolicy failed (%s)\n", i, strerror(errno));
			return 1;
		}
		counts[node]++;
		if (i < 64)
			seq[i] = (char)('0' + node);
	}
	seq[pages < 64 ? pages : 64] = '\0';
	printf("placed:");
	for (int nid = 0; nid < n; nid++)
		printf(" node%d=%d", nid, counts[nid]);
	printf("\nsequence: %s\n", seq);
	for (int nid = 0; nid < n; nid++) {
		printf("delta node%d:", nid);
		for (int k = 0; k < 4; k++)
			printf(" %s=%lu", stat_names[k], b.stat[nid][k] - a.stat[nid][k]);
		printf("\n");
	}
	printf("delta pgalloc_normal=%lu\n", b.pgalloc - a.pgalloc);
	return 0;
}

static int failures;

static void expect(const char *what, long ret, int want_errno)
{
	bool ok = want_errno ? ret == -1 && errno == want_errno : ret == 0;

	if (!ok)
		failures++;
	printf("%s %s (ret %ld, errno %s)\n", ok ? "PASS" : "FAIL", what, ret,
	       ret < 0 ? strerror(errno) : "-");
}

static int errno_cases(void)
{
	unsigned long none = 0, n0 = 1, far = 1UL << 9, offline = 1UL << 7, big[2] = {1, 1};
	int mode = -1;
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect("set_mempolicy bad mode 5 -> EINVAL", set_mempolicy(5, &n0, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy BIND empty mask -> EINVAL",
	       set_mempolicy(MPOL_BIND, &none, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy INTERLEAVE NULL mask -> EINVAL",
	       set_mempolicy(MPOL_INTERLEAVE, NULL, 0), EINVAL);
	expect("set_mempolicy BIND only offline node 7 -> EINVAL",
	       set_mempolicy(MPOL_BIND, &offline, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy node 9 > MAX_NUMNODES -> EINVAL",
	       set_mempolicy(MPOL_BIND, &far, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy bit in a second word -> EINVAL", set_mempolicy(MPOL_BIND, big, 129),
	       EINVAL);
	expect("set_mempolicy DEFAULT with nodes -> EINVAL",
	       set_mempolicy(MPOL_DEFAULT, &n0, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy LOCAL with nodes -> EINVAL",
	       set_mempolicy(MPOL_LOCAL, &n0, NUMA_MAXNODE), EINVAL);
	expect("set_mempolicy both mode flags -> EINVAL",
	       set_mempolicy(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, &n0,
			     NUMA_MAXNODE),
	       EINVAL);
	expect("set_mempolicy bad mask pointer -> EFAULT",
	       set_mempolicy(MPOL_BIND, (unsigned long *)8, NUMA_MAXNODE), EFAULT);
	expect("set_mempolicy BIND node 0 and offline 7 -> ok",
	       set_mempolicy(MPOL_BIND, &(unsigned long){1 | 1UL << 7}, NUMA_MAXNODE), 0);
	expect("get_mempolicy after it", get_mempolicy(&mode, &none, NUMA_MAXNODE, NULL, 0), 0);
	printf("%s mode %d mask %#lx (offline node dropped)\n",
	       mode == MPOL_BIND && none == 1 ? "PASS" : "FAIL", mode, none);
	failures += !(mode == MPOL_BIND && none == 1);
	expect("set_mempolicy PREFERRED empty -> ok (local)",
	       set_mempolicy(MPOL_PREFERRED, NULL, 0), 0);
	get_mempolicy(&mode, NULL, 0, NULL, 0);
	printf("%s PREFERRED with no node reads back as MPOL_LOCAL (%d)\n",
	       mode == MPOL_LOCAL ? "PASS" : "FAIL", mode);
	failures += mode != MPOL_LOCAL;
	expect("get_mempolicy bad flags -> EINVAL", get_mempolicy(&mode, NULL, 0, NULL, 8), EINVAL);
	expect("get_mempolicy addr without MPOL_F_ADDR -> EINVAL",
	       get_mempolicy(&mode, NULL, 0, p, 0), EINVAL);
	expect("get_mempolicy MEMS_ALLOWED|NODE -> EINVAL",
	       get_mempolicy(&mode, NULL, 0, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE), EINVAL);
	expect("get_mempolicy maxnode below nodes -> EINVAL",
	       get_mempolicy(&mode, &none, 1, NULL, 0), EINVAL);
	expect("get_mempolicy unmapped address -> EFAULT",
	       get_mempolicy(&mode, NULL, 0, (void *)PAGE, MPOL_F_ADDR), EFAULT);
	expect("get_mempolicy bad mode pointer -> EFAULT",
	       get_mempolicy((int *)8, NULL, 0, NULL, 0), EFAULT);
	expect("get_mempolicy NODE of a task policy that is not interleave -> EINVAL",
	       get_mempolicy(&mode, NULL, 0, NULL, MPOL_F_NODE), EINVAL);
	expect("mbind unaligned start -> EINVAL",
	       mbind(p + 1, PAGE, MPOL_BIND, &n0, NUMA_MAXNODE, 0), EINVAL);
	expect("mbind bad flags -> EINVAL", mbind(p, PAGE, MPOL_BIND, &n0, NUMA_MAXNODE, 64),
	       EINVAL);
	expect("mbind over a hole -> EFAULT",
	       mbind(p + 3 * PAGE, 4 * PAGE, MPOL_BIND, &n0, NUMA_MAXNODE, 0), EFAULT);
	expect("mbind BIND empty -> EINVAL",
	       mbind(p, PAGE, MPOL_BIND, &(unsigned long){0}, NUMA_MAXNODE, 0), EINVAL);
	expect("mbind len 0 -> ok", mbind(p, 0, MPOL_BIND, &n0, NUMA_MAXNODE, 0), 0);
	expect("set_mempolicy DEFAULT -> ok", set_mempolicy(MPOL_DEFAULT, NULL, 0), 0);
	printf("errno cases: %d failed\n", failures);
	return failures ? 1 : 0;
}

static int inherit(void)
{
	unsigned long mask = numa_nodes() > 1 ? 3 : 1, got = 0;
	int mode = -1, status;
	pid_t pid;

	if (set_mempolicy(MPOL_INTERLEAVE, &mask, NUMA_MAXNODE) < 0) {
		perror("set_mempolicy");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		get_mempolicy(&mode, &got, NUMA_MAXNODE, NULL, 0);
		printf("child: mode %d mask %#lx\n", mode, got);
		_exit(mode == MPOL_INTERLEAVE && got == mask ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	printf("inherit: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "PASS" : "FAIL");
	return 0;
}

/* Lines of /proc/self/maps that overlap [p, p + len). */
static int vmas_in(char *p, unsigned long len)
{
	char buf[8192], *line = buf;
	int n = 0;

	if (proc_read("self/maps", buf, sizeof(buf)) < 0)
		return -1;
	while (*line) {
		unsigned long s = strtoul(line, &line, 16), e = strtoul(line + 1, NULL, 16);

		if (s < (unsigned long)p + len && e > (unsigned long)p)
			n++;
		line = strchr(line, '\n');
		if (!line)
			break;
		line++;
	}
	return n;
}

static int merge(void)
{
	unsigned long n1 = numa_nodes() > 1 ? 2 : 1;
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int before = vmas_in(p, 3 * PAGE), split, merged;

	mbind(p + PAGE, PAGE, MPOL_BIND, &n1, NUMA_MAXNODE, 0);
	split = vmas_in(p, 3 * PAGE);
	mbind(p + PAGE, PAGE, MPOL_DEFAULT, NULL, 0, 0);
	merged = vmas_in(p, 3 * PAGE);
	printf("merge: vmas %d -> %d after mbind of the middle page -> %d after MPOL_DEFAULT\n",
	       before, split, merged);
	return before == 1 && split == 3 && merged == 1 ? 0 : 1;
}

static int read_dir(const char *dir)
{
	long n = read_dir_files(dir);

	if (n < 0) {
		perror(dir);
		return 1;
	}
	printf("read %lu kB\n", (unsigned long)n / 1024);
	return 0;
}

static void count_nodes(char *p, unsigned long pages, const char *label)
{
	int counts[MAX_NODES] = {0}, n = numa_nodes();

	for (unsigned long i = 0; i < pages; i++) {
		int node = page_node(p + i * PAGE);

		if (node >= 0 && node < MAX_NODES)
			counts[node]++;
	}
	printf("%s:", label);
	for (int nid = 0; nid < n && nid < MAX_NODES; nid++)
		printf(" node%d=%d", nid, counts[nid]);
	printf("\n");
}

static int move(unsigned long node, unsigned long pages)
{
	unsigned long mask = 1UL << node, bad = 0;
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	long ret;
	int status;
	pid_t pid;

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		memset(p + i * PAGE, (int)(i & 0xff), PAGE);
	count_nodes(p, pages, "before");
	ret = mbind(p, pages * PAGE, MPOL_BIND, &mask, NUMA_MAXNODE, MPOL_MF_MOVE);
	printf("mbind MPOL_MF_MOVE: %ld\n", ret);
	count_nodes(p, pages, "after");
	for (unsigned long i = 0; i < pages * PAGE; i++)
		bad += (unsigned char)p[i] != ((i / PAGE) & 0xff);
	printf("data intact: %s\n", bad ? "no" : "yes");
	/* Shared copy-on-write with a child: not ours alone, so not moved. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	mask = 1;
	ret = mbind(p, pages * PAGE, MPOL_BIND, &mask, NUMA_MAXNODE, MPOL_MF_MOVE | MPOL_MF_STRICT);
	printf("shared with a child, MOVE|STRICT: %s\n", ret < 0 ? strerror(errno) : "moved");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 0;
}

static int dirty(const char *file, unsigned long kb)
{
	static char buf[4096];
	int fd = open(file, O_WRONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	memset(buf, 'n', sizeof(buf));
	for (unsigned long off = 0; off < kb * 1024; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), (off_t)off) != (ssize_t)sizeof(buf)) {
			perror("pwrite");
			return 1;
		}
	close(fd);
	printf("dirtied %lu kB of %s\n", kb, file);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dirty"))
		return dirty(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "move"))
		return move(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "sync")) {
		sync();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "read"))
		return read_dir(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "place"))
		return place(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "errno"))
		return errno_cases();
	if (argc == 2 && !strcmp(argv[1], "inherit"))
		return inherit();
	if (argc == 2 && !strcmp(argv[1], "merge"))
		return merge();
	fprintf(stderr, "usage: numa-test place|errno|inherit|merge ...\n");
	return 2;
}

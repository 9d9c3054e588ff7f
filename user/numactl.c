/*
 * numactl: show the NUMA machine, or run a command under a memory policy
 * (concept C12), like numactl(8):
 *   numactl -H | --hardware          nodes, CPUs, sizes, free memory, distances
 *   numactl -s | --show              this process's policy
 *   numactl --membind=NODES CMD...   allocate only on NODES (MPOL_BIND)
 *   numactl --preferred=NODE CMD...  NODE first, then the nearest others
 *   numactl --interleave=NODES CMD.. page by page round robin over NODES
 *   numactl --localalloc CMD...      the CPU's node (MPOL_LOCAL)
 * The policy is set with set_mempolicy and survives execve, so CMD and
 * its children inherit it. NODES: "0", "0,1", "0-3" or "all".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <numaif.h>
#include "lib/numa.h"
#include "lib/procfs.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: numactl [--interleave= | -i <nodes>] [--preferred= | -p <node>]\n"
		"               [--membind= | -m <nodes>] [--localalloc | -l] command args ...\n"
		"       numactl [--show | -s]\n"
		"       numactl [--hardware | -H]\n");
	exit(1);
}

static void print_cpus(int nid)
{
	char path[96], buf[128];
	size_t len;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", nid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	len = strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	/* cpulist is "0" or "0-3" here; numactl prints each CPU. */
	printf("node %d cpus:", nid);
	if (len) {
		char *end;
		unsigned long a = strtoul(buf, &end, 10),
			      b = *end == '-' ? strtoul(end + 1, NULL, 10) : a;

		for (unsigned long c = a; c <= b; c++)
			printf(" %lu", c);
	}
	printf("\n");
}

static int hardware(void)
{
	int n = numa_nodes();

	printf("available: %d nodes (0", n);
	if (n > 1)
		printf("-%d", n - 1);
	printf(")\n");
	for (int nid = 0; nid < n; nid++) {
		unsigned long total = 0, free = 0;

		node_meminfo(nid, "MemTotal", &total);
		node_meminfo(nid, "MemFree", &free);
		print_cpus(nid);
		printf("node %d size: %lu MB\n", nid, total / 1024);
		printf("node %d free: %lu MB\n", nid, free / 1024);
	}
	printf("node distances:\nnode ");
	for (int b = 0; b < n; b++)
		printf("%3d ", b);
	printf("\n");
	for (int a = 0; a < n; a++) {
		printf("%3d: ", a);
		for (int b = 0; b < n; b++)
			printf("%3d ", node_distance(a, b));
		printf("\n");
	}
	return 0;
}

static void print_mask(const char *label, unsigned long mask)
{
	printf("%s:", label);
	for (int n = 0; n < 64; n++)
		if (mask >> n & 1)
			printf(" %d", n);
	printf(" \n");
}

static int show(void)
{
	static const char *const names[] = {"default", "preferred", "bind", "interleave", "local"};
	unsigned long mask = 0, allowed = 0;
	int mode = 0, next = -1;

	if (get_mempolicy(&mode, &mask, NUMA_MAXNODE, NULL, 0) < 0 ||
	    get_mempolicy(NULL, &allowed, NUMA_MAXNODE, NULL, MPOL_F_MEMS_ALLOWED) < 0) {
		perror("numactl: get_mempolicy");
		return 1;
	}
	mode &= ~(MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES);
	printf("policy: %s\n", mode >= 0 && mode <= MPOL_LOCAL ? names[mode] : "?");
	if (mode == MPOL_PREFERRED)
		printf("preferred node: %d\n", __builtin_ctzl(mask));
	else
		printf("preferred node: current\n");
	printf("physcpubind: 0 \ncpubind: 0 \nnodebind: 0 \n");
	print_mask("membind", mode == MPOL_BIND ? mask : allowed);
	if (mode == MPOL_INTERLEAVE) {
		print_mask("interleavemask", mask);
		if (get_mempolicy(&next, NULL, 0, NULL, MPOL_F_NODE) == 0)
			printf("interleavenode: %d\n", next);
	}
	return 0;
}

/* "--name=value", "--name value" or "-x value": the value, or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *lng, const char *shrt)
{
	size_t n = strlen(lng);

	if (!strncmp(argv[*i], lng, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if ((!strcmp(argv[*i], lng) || !strcmp(argv[*i], shrt)) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int main(int argc, char **argv)
{
	int nodes = numa_nodes(), mode = -1, i;
	unsigned long mask = 0;
	const char *v;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-H") || !strcmp(argv[i], "--hardware"))
			return hardware();
		if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "--show"))
			return show();
		if (!strcmp(argv[i], "-l") || !strcmp(argv[i], "--localalloc")) {
			mode = MPOL_LOCAL;
			mask = 0;
		} else if ((v = option_value(argc, argv, &i, "--membind", "-m"))) {
			mode = MPOL_BIND;
			if (!parse_nodes(v, nodes, &mask))
				return 1;
		} else if ((v = option_value(argc, argv, &i, "--interleave", "-i"))) {
			mode = MPOL_INTERLEAVE;
			if (!parse_nodes(v, nodes, &mask))
				return 1;
		} else if ((v = option_value(argc, argv, &i, "--preferred", "-p"))) {
			mode = MPOL_PREFERRED;
			if (!parse_nodes(v, nodes, &mask))
				return 1;
			mask &= -mask; /* one node: the first */
		} else {
			usage();
		}
	}
	if (mode < 0 || i >= argc)
		usage();
	if (set_mempolicy(mode, mask ? &mask : NULL, mask ? NUMA_MAXNODE : 0) < 0) {
		perror("numactl: set_mempolicy");
		return 1;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "numactl: execution of `%s': %s\n", argv[i], strerror(errno));
	return 1;
}

/* numa.c: reading /sys/devices/system/node for the NUMA tools (numa.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <numaif.h>
#include "numa.h"
#include "procfs.h"

#define NODE_DIR "/sys/devices/system/node"

int numa_nodes(void)
{
	char buf[64], *end;
	unsigned long first, last;

	if (read_file(NODE_DIR "/online", buf, sizeof(buf)) <= 0)
		return 1;
	first = strtoul(buf, &end, 10);
	last = *end == '-' ? strtoul(end + 1, NULL, 10) : first;
	return (int)(last + 1);
}

static bool node_file(int nid, const char *name, char *buf, size_t size)
{
	char path[96];

	snprintf(path, sizeof(path), NODE_DIR "/node%d/%s", nid, name);
	return read_file(path, buf, size) > 0;
}

bool node_meminfo(int nid, const char *key, unsigned long *kb)
{
	char buf[2048], prefix[48], *p;

	if (!node_file(nid, "meminfo", buf, sizeof(buf)))
		return false;
	snprintf(prefix, sizeof(prefix), "Node %d %s:", nid, key);
	p = strstr(buf, prefix);
	if (!p)
		return false;
	*kb = strtoul(p + strlen(prefix), NULL, 10);
	return true;
}

bool node_numastat(int nid, const char *key, unsigned long *value)
{
	char buf[512];

	return node_file(nid, "numastat", buf, sizeof(buf)) && proc_field(buf, key, value);
}

int node_distance(int a, int b)
{
	char buf[256], *p = buf, *end;

	if (!node_file(a, "distance", buf, sizeof(buf)))
		return -1;
	for (int i = 0;; i++) {
		long d = strtol(p, &end, 10);

		if (end == p)
			return -1;
		if (i == b)
			return (int)d;
		p = end;
	}
}

bool parse_nodes(const char *s, int nr_nodes, unsigned long *mask)
{
	const char *p = s;
	char *end;

	*mask = 0;
	if (!strcmp(s, "all")) {
		*mask = (1UL << nr_nodes) - 1;
		return true;
	}
	while (*p) {
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p)
				break;
		}
		if (b < a || b >= 64)
			break;
		for (unsigned long n = a; n <= b; n++)
			*mask |= 1UL << n;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			break;
	}
	if (*p || !*mask) {
		fprintf(stderr, "invalid node list '%s'\n", s);
		return false;
	}
	return true;
}

int page_node(void *addr)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) < 0)
		return -1;
	return node;
}

long read_dir_files(const char *dir)
{
	static char buf[65536];
	unsigned long total = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);
	char path[300];
	ssize_t n;

	if (!dp)
		return -1;
	while ((d = readdir(dp))) {
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			total += (unsigned long)n;
		close(fd);
	}
	closedir(dp);
	return (long)total;
}

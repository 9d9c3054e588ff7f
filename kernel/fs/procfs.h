/* procfs internals: a file is one line in a table (name, mode, a show()
 * that prints its text, and for sysctls a write() that parses a value);
 * a directory is a table of its children. The tables live in
 * proc_files.c (/proc/...), proc_pid.c (/proc/PID/...) and
 * proc_sysctl.c (/proc/sys/...). */
#ifndef KERNEL_FS_PROCFS_H
#define KERNEL_FS_PROCFS_H

#include "kernel/fs/vfs.h"

struct task_struct;

/* Text being generated for one read of a proc file. */
struct seq_buf {
	char *buf;
	size_t size, len;
	bool overflow;
};

void seq_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);
void seq_write(struct seq_buf *s, const void *data, size_t n);

struct proc_entry {
	const char *name;
	umode_t mode;
	/* Prints the file; t is the process for /proc/PID files, else NULL.
	 * Returns 0 or -errno. */
	int (*show)(struct seq_buf *s, struct task_struct *t);
	/* Parses a written value (NUL-terminated) for process t (NULL outside
	 * /proc/PID); returns 0 or -EINVAL. */
	int (*write)(const char *buf, struct task_struct *t);
	const struct proc_entry *children; /* for directories, ended by {NULL} */
	/* Instead of show: prints the file for the entry's own arg (a node
	 * id for /sys/devices/system/node/nodeN/... files). */
	int (*show_arg)(struct seq_buf *s, long arg);
	long arg;
	/* For symlinks in /proc/PID: writes process t's target into buf
	 * (NUL-terminated); 0 or -errno. */
	int (*link)(struct task_struct *t, char *buf, size_t size);
};

#define PROC_FILE(n, fn)                                      \
	{                                                     \
		.name = n, .mode = S_IFREG | 0444, .show = fn \
	}
#define PROC_LINK(n, fn)                                      \
	{                                                     \
		.name = n, .mode = S_IFLNK | 0777, .link = fn \
	}
#define PROC_RW(n, fn, wr)                                                 \
	{                                                                  \
		.name = n, .mode = S_IFREG | 0644, .show = fn, .write = wr \
	}
#define PROC_DIR(n, entries)                                           \
	{                                                              \
		.name = n, .mode = S_IFDIR | 0555, .children = entries \
	}

/* A directory inode for a table that is not /proc (sysfs uses this). */
struct inode *procfs_make_root(const struct proc_entry *entry);

extern const struct proc_entry proc_root_entries[];
extern const struct proc_entry proc_pid_entries[];
extern const struct proc_entry proc_sys_entries[];

/* Parses a sysctl value as Linux's proc_dou*vec_minmax does: decimal
 * digits, optional surrounding whitespace (the newline of echo), nothing
 * else (no sign); 0 or -EINVAL, also when outside [min, max]. */
int proc_parse_ulong(const char *buf, unsigned long min, unsigned long max, unsigned long *out);

/* proc_tick.c: ticks by kind (Linux's kcpustat names) and avenrun[], the
 * load averages in FSHIFT fixed point. */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_SYSTEM,
	CPUTIME_IDLE,
	NR_CPUTIME,
};
extern u64 cpustat[NR_CPUTIME];
#define FSHIFT	     11
#define FIXED_1	     (1UL << FSHIFT)
#define LOAD_INT(x)  ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
extern unsigned long avenrun[3];

#endif

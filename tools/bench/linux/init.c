/* tools/bench/linux/init.c: PID 1 of the Linux guest that make bench-belady
 * boots beside memos (tools/bench/linux_guest.py builds its initramfs).
 *
 * It runs the same programs as memos (page-trace built for Linux, the
 * static user programs as they are) inside a memory cgroup whose
 * memory.max can give a process about as many frames as it had on memos,
 * with swap on the virtio disk; for make bench-belady, each trace once per
 * LRU policy the plan names: "classic" (the active/inactive lists,
 * /sys/kernel/mm/lru_gen/enabled = n) and "mglru" (the multi-generational
 * LRU, = y). make bench-faults runs the faults program under the same
 * accelerator as memos.
 *
 * The plan is /plan, one command per line:
 *   module NAME.ko        load /lib/NAME.ko (in the order given)
 *   swapon DEVICE         enable swap on DEVICE (made by mkswap on the host)
 *   limit BYTES           memory.max of the cgroup the traces run in
 *   mode classic|mglru    the LRU policy for the following runs
 *   run PROGRAM ARGS...   /PROGRAM ARGS in the cgroup
 * Output lines for the host to parse:
 *   linux-mode: NAME lru_gen=VALUE
 *   ...                                     (the program's own output)
 *   linux-vmstat: pswpin N pswpout N workingset_refault_anon N ...
 *   linux-done
 * then the machine powers off. Anything that fails prints "linux-error: ..."
 * and powers off too, so the host never waits for a hung guest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CGROUP "/sys/fs/cgroup/bench"

static const char *const counters[] = {
	"pswpin",
	"pswpout",
	"pgmajfault",
	"swap_ra",
	"swap_ra_hit",
	"workingset_refault_anon",
	"workingset_activate_anon",
	"workingset_restore_anon",
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

__attribute__((noreturn)) static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	printf("linux-error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	power_off();
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("writing '%s' to %s: %s", text, path, strerror(errno));
	close(fd);
}

static void read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die("opening %s: %s", path, strerror(errno));
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void vmstat(unsigned long long out[NCOUNTERS])
{
	char line[128];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("opening /proc/vmstat: %s", strerror(errno));
	memset(out, 0, NCOUNTERS * sizeof(out[0]));
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long long v;

		if (sscanf(line, "%63s %llu", name, &v) != 2)
			continue;
		for (size_t i = 0; i < NCOUNTERS; i++)
			if (!strcmp(name, counters[i]))
				out[i] = v;
	}
	fclose(f);
}

static void load_module(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/lib/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("opening %s: %s", path, strerror(errno));
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		die("loading %s: %s", path, strerror(errno));
	close(fd);
}

static void enable_swap(const char *dev)
{
	/* The disk's driver was just loaded: its node appears in devtmpfs as
	 * soon as the device is probed. Wait up to 10 s. */
	for (int i = 0; i < 1000 && access(dev, F_OK) != 0; i++)
		usleep(10000);
	if (swapon(dev, 0) != 0)
		die("swapon %s: %s", dev, strerror(errno));
}

static void set_mode(const char *mode)
{
	char now[32];

	if (strcmp(mode, "classic") && strcmp(mode, "mglru"))
		die("unknown mode %s", mode);
	write_file("/sys/kernel/mm/lru_gen/enabled", strcmp(mode, "mglru") ? "n" : "y");
	read_file("/sys/kernel/mm/lru_gen/enabled", now, sizeof(now));
	printf("linux-mode: %s lru_gen=%s\n", mode, now);
}

static void run_trace(char *args)
{
	char *argv[16], path[64];
	int argc = 0, status;
	unsigned long long before[NCOUNTERS], after[NCOUNTERS];
	pid_t pid;

	for (char *tok = strtok(args, " \t"); tok && argc < 15; tok = strtok(NULL, " \t"))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (!argc)
		die("run: no program");
	snprintf(path, sizeof(path), "/%s", argv[0]);
	fflush(stdout);
	vmstat(before);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		write_file(CGROUP "/cgroup.procs", "0");
		execv(path, argv);
		printf("linux-error: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("%s did not exit cleanly (status 0x%x)", argv[0], status);
	vmstat(after);
	printf("linux-vmstat:");
	for (size_t i = 0; i < NCOUNTERS; i++)
		printf(" %s %llu", counters[i], after[i] - before[i]);
	printf("\n");
}

int main(void)
{
	char line[512];
	FILE *plan;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) != 0)
		die("mounting cgroup2: %s", strerror(errno));
	setvbuf(stdout, NULL, _IOLBF, 0);
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	if (mkdir(CGROUP, 0755) != 0)
		die("mkdir %s: %s", CGROUP, strerror(errno));

	plan = fopen("/plan", "r");
	if (!plan)
		die("opening /plan: %s", strerror(errno));
	while (fgets(line, sizeof(line), plan)) {
		char *arg;

		line[strcspn(line, "\n")] = '\0';
		arg = strchr(line, ' ');
		if (!arg)
			continue;
		*arg++ = '\0';
		if (!strcmp(line, "module"))
			load_module(arg);
		else if (!strcmp(line, "swapon"))
			enable_swap(arg);
		else if (!strcmp(line, "limit"))
			write_file(CGROUP "/memory.max", arg);
		else if (!strcmp(line, "mode"))
			set_mode(arg);
		else if (!strcmp(line, "run"))
			run_trace(arg);
		else
			die("unknown plan command %s", line);
	}
	fclose(plan);
	printf("linux-done\n");
	power_off();
	return 0;
}

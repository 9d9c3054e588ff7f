/* The virtual file system, as the rest of the kernel sees it. The
 * implementation (kernel/fs/) owns struct file, the per-task fd tables, the
 * initramfs root, /dev and /proc. */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel/types.h"

struct file;
struct fdtable;

/* Mounts the root file system (the initramfs GRUB loaded as a module),
 * /dev and /proc. Panics with a clear message if there is no root. */
void vfs_init(void);

/* Kernel-side file access (the ELF loader reads programs with these).
 * vfs_open returns the file or NULL with -errno in *err. */
struct file *vfs_open(const char *path, int flags, int *err);
ssize_t vfs_pread(struct file *f, void *buf, size_t n, u64 pos);
void vfs_close(struct file *f);

/* Per-task fd tables: a new empty one, a copy for fork (shares the open
 * files), closing O_CLOEXEC fds for execve, and release at exit. */
struct fdtable *fdtable_alloc(void);
struct fdtable *fdtable_dup(const struct fdtable *t);
void fdtable_close_on_exec(struct fdtable *t);
void fdtable_release(struct fdtable *t);

/* Installs f as the lowest free fd of the current task; fd or -EMFILE. */
int fd_install(struct file *f);

/* Called by scheduler_tick() on every timer tick: charges the tick to
 * user, system or idle time (/proc/stat, /proc/uptime) and updates the
 * load averages every 5 s (/proc/loadavg). kernel/fs/proc_tick.c. */
struct pt_regs;
void proc_account_tick(const struct pt_regs *regs);

#endif

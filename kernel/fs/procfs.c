/* procfs, mounted at /proc: every file is made when it is read, from the
 * kernel's live counters (Linux's formats, so procps-style tools parse
 * it). Inodes exist only while looked up or open: a lookup builds one
 * from a table entry (procfs.h); /proc/PID directories come from the task
 * list and /proc/self is a symlink to the caller's. */
#include "kernel/errno.h"
#include "kernel/fs/procfs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

#define PROC_WRITE_MAX 64
#define SEQ_MAX	       (256 * 1024)

static const struct proc_entry proc_root_entry = PROC_DIR("proc", proc_root_entries);
static const struct proc_entry proc_pid_dir_entry = PROC_DIR("pid", proc_pid_entries);
static const struct proc_entry proc_self_entry = {.name = "self", .mode = S_IFLNK | 0777};

static const struct inode_operations proc_dir_iops, proc_link_iops;
static const struct file_operations proc_dir_fops, proc_ro_fops, proc_rw_fops;
static struct inode *proc_root;

void seq_write(struct seq_buf *s, const void *data, size_t n)
{
	if (s->len + n > s->size) {
		s->overflow = true;
		return;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
}

void seq_printf(struct seq_buf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= s->size - s->len)
		s->overflow = true;
	else
		s->len += (size_t)n;
}

/* The /proc directory inode (made on first use, never freed). */
struct inode *procfs_root(void)
{
	if (!proc_root) {
		proc_root = inode_alloc(proc_root_entry.mode, &proc_dir_iops, &proc_dir_fops);
		if (!proc_root)
			panic("procfs: no memory");
		proc_root->proc_entry = &proc_root_entry;
	}
	return proc_root;
}

struct inode *procfs_make_root(const struct proc_entry *entry)
{
	struct inode *root = inode_alloc(entry->mode, &proc_dir_iops, &proc_dir_fops);

	if (!root)
		panic("procfs: no memory for /%s", entry->name);
	root->proc_entry = entry;
	return root;
}

/* A nameless inode for entry under parent (which it pins); NULL without
 * memory. */
static struct inode *proc_make_inode(struct inode *parent, const struct proc_entry *entry, int pid,
				     const char *name)
{
	const struct file_operations *fops = entry->write ? &proc_rw_fops : &proc_ro_fops;
	struct inode *inode;

	if (S_ISDIR(entry->mode))
		inode = inode_alloc(entry->mode, &proc_dir_iops, &proc_dir_fops);
	else if (S_ISLNK(entry->mode))
		inode = inode_alloc(entry->mode, &proc_link_iops, NULL);
	else
		inode = inode_alloc(entry->mode, NULL, fops);
	if (!inode)
		return NULL;
	inode->proc_entry = entry;
	inode->proc_pid = pid;
	inode->parent = iget(parent);
	strlcpy(inode->name, name, sizeof(inode->name));
	return inode;
}

/* "123" -> 123; -1 if name is not a positive decimal number. */
static int parse_pid(const char *name)
{
	long pid = 0;

	if (!*name || *name == '0')
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || pid > 0x3fffffff)
			return -1;
		pid = pid * 10 + (*name - '0');
	}
	return (int)pid;
}

static struct inode *proc_lookup(struct inode *dir, const char *name)
{
	const struct proc_entry *entry = dir->proc_entry, *e;
	int pid;

	for (e = entry->children; e->name; e++)
		if (!strcmp(e->name, name))
			return proc_make_inode(dir, e, dir->proc_pid, name);
	if (entry != &proc_root_entry)
		return NULL;
	if (!strcmp(name, "self"))
		return proc_make_inode(dir, &proc_self_entry, 0, name);
	pid = parse_pid(name);
	if (pid > 0 && find_task_by_pid(pid))
		return proc_make_inode(dir, &proc_pid_dir_entry, pid, name);
	return NULL;
}

/* /proc/self -> the caller's pid; a /proc/PID link -> what its entry
 * says of that process. Returns 0, or -ENOENT without the task. */
static int proc_get_link(struct inode *inode, char *buf, size_t size)
{
	const struct proc_entry *entry = inode->proc_entry;
	struct task_struct *t;

	if (entry == &proc_self_entry) {
		if (!current)
			return -ENOENT;
		snprintf(buf, size, "%d", current->pid);
		return 0;
	}
	t = find_task_by_pid(inode->proc_pid);
	return t && entry->link ? entry->link(t, buf, size) : -ENOENT;
}

/* Lists ".", "..", the table, then (in /proc) "self" and one directory per
 * process. Past the table, pos is pid_base + the next pid to list, so a
 * process exiting between two getdents64 calls shifts nothing. */
static int proc_readdir(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->inode;
	const struct proc_entry *entry = dir->proc_entry;
	struct inode *up = dir->parent ? dir->parent : dir;
	u64 n = 0, pid_base;
	struct task_struct *t;
	char name[16];

	while (entry->children[n].name)
		n++;
	if (ctx->pos == 0 && !ctx->emit(ctx, ".", dir->ino, DT_DIR))
		return 0;
	ctx->pos = MAX(ctx->pos, 1UL);
	if (ctx->pos == 1 && !ctx->emit(ctx, "..", up->ino, DT_DIR))
		return 0;
	ctx->pos = MAX(ctx->pos, 2UL);
	for (; ctx->pos < 2 + n; ctx->pos++) {
		const struct proc_entry *e = &entry->children[ctx->pos - 2];

		if (!ctx->emit(ctx, e->name, 0x1000 + ctx->pos, S_ISDIR(e->mode) ? DT_DIR : DT_REG))
			return 0;
	}
	if (entry != &proc_root_entry)
		return 0;
	if (ctx->pos == 2 + n && !ctx->emit(ctx, "self", 0x1000 + ctx->pos, DT_LNK))
		return 0;
	pid_base = 3 + n;
	ctx->pos = MAX(ctx->pos, pid_base);
	for_each_process(t)
	{
		if (t->pid <= 0 || (u64)t->pid < ctx->pos - pid_base)
			continue;
		snprintf(name, sizeof(name), "%d", t->pid);
		if (!ctx->emit(ctx, name, 0x10000 + (u64)t->pid, DT_DIR))
			return 0;
		ctx->pos = pid_base + (u64)t->pid + 1;
	}
	return 0;
}

/* Runs the entry's show() into a buffer big enough for its text (grown
 * by doubling up to SEQ_MAX). Returns 0, -ESRCH if the process is gone,
 * -ENOMEM, or show()'s error. */
static int proc_generate(struct file *f)
{
	const struct proc_entry *entry = f->inode->proc_entry;
	struct seq_buf *s = f->private_data;
	struct task_struct *t = NULL;
	size_t size = s->size ? s->size : 4096;
	int err;

	for (;;) {
		if (f->inode->proc_pid && !(t = find_task_by_pid(f->inode->proc_pid)))
			return -ESRCH;
		if (size != s->size) {
			kfree(s->buf);
			s->buf = kmalloc(size, GFP_KERNEL);
			s->size = s->buf ? size : 0;
			if (!s->buf)
				return -ENOMEM;
		}
		s->len = 0;
		s->overflow = false;
		err = entry->show_arg ? entry->show_arg(s, entry->arg) : entry->show(s, t);
		if (err || !s->overflow)
			return err;
		if (size >= SEQ_MAX)
			return -ENOMEM;
		size *= 2;
	}
}

static int proc_file_open(struct inode *inode, struct file *f)
{
	(void)inode;
	f->private_data = kzalloc(sizeof(struct seq_buf), GFP_KERNEL);
	return f->private_data ? 0 : -ENOMEM;
}

/* The text is made afresh by a read at offset 0 (so rereading after
 * lseek(fd, 0, SEEK_SET) sees new values) and served from the buffer
 * after that, so one reader sees one consistent snapshot. */
static ssize_t proc_file_read(struct file *f, char *buf, size_t n, u64 *pos)
{
	struct seq_buf *s = f->private_data;
	int err;

	if (*pos == 0 || !s->buf) {
		err = proc_generate(f);
		if (err)
			return err;
	}
	if (*pos >= s->len)
		return 0;
	n = MIN(n, s->len - *pos);
	memcpy(buf, s->buf + *pos, n);
	*pos += n;
	return (ssize_t)n;
}

/* A sysctl takes its whole value in one write (Linux's default strict
 * mode). Returns n, or -EINVAL for a value the entry rejects or that is
 * too long. */
static ssize_t proc_file_write(struct file *f, const char *buf, size_t n, u64 *pos)
{
	const struct proc_entry *entry = f->inode->proc_entry;
	char value[PROC_WRITE_MAX + 1];
	struct task_struct *t = NULL;
	int err;

	if (n > PROC_WRITE_MAX || *pos != 0)
		return -EINVAL;
	memcpy(value, buf, n);
	value[n] = '\0';
	if (f->inode->proc_pid && !(t = find_task_by_pid(f->inode->proc_pid)))
		return -ESRCH; /* the process is gone */
	err = entry->write(value, t);
	if (err)
		return err;
	*pos += n;
	return (ssize_t)n;
}

static void proc_file_release(struct file *f)
{
	struct seq_buf *s = f->private_data;

	kfree(s->buf);
	kfree(s);
}

static const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
};

static const struct inode_operations proc_link_iops = {
	.get_link = proc_get_link,
};

static const struct file_operations proc_dir_fops = {
	.llseek = generic_file_llseek,
	.readdir = proc_readdir,
};

static const struct file_operations proc_ro_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.llseek = generic_file_llseek,
	.release = proc_file_release,
};

static const struct file_operations proc_rw_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = generic_file_llseek,
	.release = proc_file_release,
};

int proc_parse_ulong(const char *buf, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	bool digits = false;

	while (*buf == ' ' || *buf == '\t' || *buf == '\n')
		buf++;
	for (; *buf >= '0' && *buf <= '9'; buf++) {
		if (v > (~0UL - 9) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long)(*buf - '0');
		digits = true;
	}
	while (*buf == ' ' || *buf == '\t' || *buf == '\n')
		buf++;
	if (!digits || *buf || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

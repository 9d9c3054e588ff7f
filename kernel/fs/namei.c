/* Path lookup: turns "/bin/sh", "../tmp/x" or "/proc/self/stat" into an
 * inode, one component at a time, as Linux's fs/namei.c does: "." stays,
 * ".." goes to the parent (the root is its own parent), a symlink is
 * followed (at most SYMLOOP_MAX deep), every component but the last must
 * be a directory. */
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/kmalloc.h"

/* Copies the next component of *path into name and advances past it and
 * its slashes. Returns its length, 0 at the end, or -ENAMETOOLONG. */
static int next_component(const char **path, char *name)
{
	const char *p = *path, *start;
	size_t len;

	while (*p == '/')
		p++;
	start = p;
	while (*p && *p != '/')
		p++;
	len = (size_t)(p - start);
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, start, len);
	name[len] = '\0';
	while (*p == '/')
		p++;
	*path = p;
	return (int)len;
}

static int walk(struct inode *start, const char *path, unsigned int flags, int depth,
		struct inode **out);

/* Replaces *node (a symlink found in dir) by what it points to. */
static int follow_link(struct inode *dir, struct inode **node, int depth)
{
	char target[NAME_MAX + 1];
	struct inode *resolved;
	int err;

	if (depth >= SYMLOOP_MAX)
		return -ELOOP;
	err = (*node)->i_op->get_link(*node, target, sizeof(target));
	if (err)
		return err;
	err = walk(target[0] == '/' ? vfs_root : dir, target, LOOKUP_FOLLOW, depth + 1, &resolved);
	if (err)
		return err;
	iput(*node);
	*node = resolved;
	return 0;
}

/* One lookup step from dir (referenced) to its child name: returns 0 with
 * *out referenced, or -ENOENT/-ENOTDIR. */
static int step(struct inode *dir, const char *name, struct inode **out)
{
	struct inode *child;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!strcmp(name, ".")) {
		*out = iget(dir);
		return 0;
	}
	if (!strcmp(name, "..")) {
		*out = iget(dir->parent && dir != vfs_root ? dir->parent : dir);
		return 0;
	}
	child = dir->i_op && dir->i_op->lookup ? dir->i_op->lookup(dir, name) : NULL;
	if (!child)
		return -ENOENT;
	/* A mountpoint: go on in the root mounted there (follow_mount). */
	for (int i = 0; i < 8 && mounted_root(child); i++) {
		struct inode *root = iget(mounted_root(child));

		iput(child);
		child = root;
	}
	*out = child;
	return 0;
}

static int walk(struct inode *start, const char *path, unsigned int flags, int depth,
		struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *node = iget(start), *next;
	bool trailing_slash;
	int len, err = 0;

	if (!*path) {
		iput(node);
		return -ENOENT;
	}
	while ((len = next_component(&path, name)) > 0) {
		trailing_slash = path[-1] == '/';
		err = step(node, name, &next);
		if (!err && S_ISLNK(next->mode) &&
		    (*path || trailing_slash || (flags & LOOKUP_FOLLOW)))
			err = follow_link(node, &next, depth);
		iput(node);
		if (err)
			return err;
		node = next;
		if ((*path || trailing_slash) && !S_ISDIR(node->mode)) {
			iput(node);
			return -ENOTDIR;
		}
	}
	if (len < 0) {
		iput(node);
		return len;
	}
	if ((flags & LOOKUP_DIRECTORY) && !S_ISDIR(node->mode)) {
		iput(node);
		return -ENOTDIR;
	}
	*out = node;
	return 0;
}

/* Resolves path from start (used when the path is relative). Returns 0
 * with *out referenced (iput it), or -ENOENT, -ENOTDIR, -ENAMETOOLONG,
 * -ELOOP. */
int path_lookup(struct inode *start, const char *path, unsigned int flags, struct inode **out)
{
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return walk(path[0] == '/' ? vfs_root : start, path, flags, 0, out);
}

/* Resolves every component of path but the last, which goes into name
 * (NAME_MAX + 1 bytes) for create, mkdir and unlink. Returns 0 with *dir
 * referenced, -ENOENT for "", -EEXIST for "/" (it has no name in a
 * parent), or a lookup error. */
int path_parent(struct inode *start, const char *path, struct inode **dir, char *name)
{
	size_t len = strnlen(path, PATH_MAX), end, begin;
	char *head;
	int err;

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	end = len;
	while (end > 0 && path[end - 1] == '/')
		end--;
	begin = end;
	while (begin > 0 && path[begin - 1] != '/')
		begin--;
	if (end == begin)
		return len ? -EEXIST : -ENOENT;
	if (end - begin > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, path + begin, end - begin);
	name[end - begin] = '\0';
	if (begin == 0) {
		if (!S_ISDIR(start->mode))
			return -ENOTDIR;
		*dir = iget(start);
		return 0;
	}
	head = kmalloc(begin + 1, GFP_KERNEL);
	if (!head)
		return -ENOMEM;
	memcpy(head, path, begin);
	head[begin] = '\0';
	err = path_lookup(start, head, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, dir);
	kfree(head);
	return err;
}

/* The current task's working directory (the root when there is no task,
 * as in boot-time tests). Returns 0 with *out referenced, or the lookup
 * error if the directory went away. */
int cwd_inode(struct inode **out)
{
	if (!current || !current->cwd[0]) {
		*out = iget(vfs_root);
		return 0;
	}
	return walk(vfs_root, current->cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, 0, out);
}

/* Writes inode's absolute path, found by climbing the parent links.
 * Returns the length, or -ENAMETOOLONG if it does not fit in size. */
int inode_path(struct inode *inode, char *buf, size_t size)
{
	size_t pos = size - 1, len;

	if (size < 2)
		return -ENAMETOOLONG;
	buf[pos] = '\0';
	for (; inode != vfs_root && inode->parent; inode = inode->parent) {
		len = strlen(inode->name);
		if (pos < len + 1)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(buf + pos, inode->name, len);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	len = size - 1 - pos;
	memmove(buf, buf + pos, len + 1);
	return (int)len;
}

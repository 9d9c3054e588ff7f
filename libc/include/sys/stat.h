/* sys/stat.h: file status, laid out as Linux's struct stat on x86-64. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>
#include <time.h>

#define S_IFMT	   0170000
#define S_IFDIR	   0040000
#define S_IFCHR	   0020000
#define S_IFBLK	   0060000
#define S_IFREG	   0100000
#define S_IFIFO	   0010000
#define S_IFLNK	   0120000
#define S_IFSOCK   0140000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m)&S_IFMT) == S_IFBLK)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	mode_t st_mode;
	uid_t st_uid;
	gid_t st_gid;
	unsigned int __pad0;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	long __unused[3];
};

int stat(const char *path, struct stat *st);
int mkdir(const char *path, mode_t mode);
int fstat(int fd, struct stat *st);
int lstat(const char *path, struct stat *st);

#endif

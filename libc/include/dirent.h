/* dirent.h: reading directories through getdents64(2) (libc/dirent.c). */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_DIR	   4
#define DT_REG	   8

/* One record as getdents64 returns it. */
struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

typedef struct __dir DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
ssize_t getdents64(int fd, void *buf, size_t count);

#endif

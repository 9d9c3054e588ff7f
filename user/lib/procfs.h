/*
 * procfs.h: helpers the tools share for reading Linux-format /proc files.
 * Setting MEMOS_PROC=/some/dir makes them read /some/dir/meminfo etc.
 * instead, so tests can feed fixed, known contents.
 */
#ifndef USER_PROCFS_H
#define USER_PROCFS_H

#include <stdbool.h>
#include <sys/types.h>

/* The directory procfs files are read from: $MEMOS_PROC, or "/proc". */
const char *proc_root(void);

/* Read the whole file path into buf, NUL-terminated; returns its length or -1. */
ssize_t read_file(const char *path, char *buf, size_t size);

/* Write text to the file path in one write() (a sysctl, drop_caches...);
 * 0, or -1 with errno set if it cannot be opened or not all was taken. */
int write_file(const char *path, const char *text);

/* Read the file name (relative to proc_root) into buf, NUL-terminated; returns length or -1. */
ssize_t proc_read(const char *name, char *buf, size_t size);

/*
 * Find the line starting with key followed by ':' or ' ' in text (meminfo,
 * vmstat and stat style) and parse the number after it into *value.
 * Returns false if the key is absent.
 */
bool proc_field(const char *text, const char *key, unsigned long *value);

/* The clock tick rate for /proc times (AT_CLKTCK from the kernel, 100 by default). */
unsigned long proc_hertz(void);

/*
 * Touches (reads) every page of this process's file-backed mappings, as
 * listed in /proc/self/maps: program text, read-only data, initialised
 * data. Programs that count their own page faults or resident pages call
 * it first, so that a first use of some code page (a fault on the page
 * cache, when the program runs from a disk) does not land in what they
 * measure. Returns the pages touched, or -1 if maps cannot be read.
 */
long prefault_file_maps(void);

#endif

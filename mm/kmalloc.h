/* The kernel heap: kmalloc/kfree for objects smaller than a page, served
 * from size classes (power-of-two caches, each a list of one-page slabs);
 * larger requests get whole pages from the buddy allocator. */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include "mm/gfp.h"

/* With KMALLOC_DEBUG (on by default: this is a teaching kernel) every object
 * carries a trailer with a state word and its caller: kfree catches double
 * frees, frees of non-heap pointers and overruns of the object's end, and
 * kmalloc_leak_report() lists live objects with their callers. */
#ifndef KMALLOC_DEBUG
#define KMALLOC_DEBUG 1
#endif

void kmalloc_init(void);
/* Returns size bytes aligned to 16 (or to the page for large sizes), or
 * NULL when memory is exhausted or size is 0. */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

/* Frames the kernel heap holds (its slabs and page-sized blocks): the
 * Slab and SUnreclaim lines of /proc/meminfo. */
unsigned long kmalloc_pages(void);
/* Objects allocated and not yet freed. */
unsigned long kmalloc_live_objects(void);
/* Errors kfree detected (double free, bad pointer, overrun); debug only. */
extern unsigned long kmalloc_debug_errors;
/* Prints every live slab object with its caller; returns the count. */
unsigned long kmalloc_leak_report(void);

#endif

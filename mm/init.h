#ifndef MM_INIT_H
#define MM_INIT_H

/* Brings up physical memory management (see mm/init.c). */
void mm_init(void);

#endif

/* sys/wait.h: waiting for children and decoding Linux's wait status word. */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

struct rusage;

#define WNOHANG	   1
#define WUNTRACED  2
#define WCONTINUED 8
#define __WALL	   0x40000000

/* Status layout: exit code in bits 8-15, terminating signal in bits 0-6, core flag bit 7. */
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WTERMSIG(s)	((s)&0x7f)
#define WSTOPSIG(s)	WEXITSTATUS(s)
#define WCOREDUMP(s)	((s)&0x80)
#define WIFEXITED(s)	(WTERMSIG(s) == 0)
#define WIFSTOPPED(s)	(((s)&0xff) == 0x7f)
#define WIFSIGNALED(s)	(((s)&0x7f) != 0 && ((s)&0x7f) != 0x7f)
#define WIFCONTINUED(s) ((s) == 0xffff)

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);

#endif

/* Per-tick statistics behind /proc/stat, /proc/uptime and /proc/loadavg:
 * where each tick went (user, system, idle), as Linux's
 * account_process_tick does, and the load averages, as calc_global_load
 * does: every 5 s, an exponentially decaying average of the runnable
 * tasks over 1, 5 and 15 minutes, in FSHIFT-bit fixed point. */
#include "kernel/fs/procfs.h"
#include "kernel/sched.h"
#include "kernel/time.h"

#define LOAD_FREQ (5 * HZ + 1) /* 5 s intervals, as Linux */
#define EXP_1	  1884	       /* 1/exp(5s/1min) in fixed point */
#define EXP_5	  2014	       /* 1/exp(5s/5min) */
#define EXP_15	  2037	       /* 1/exp(5s/15min) */

u64 cpustat[NR_CPUTIME];
unsigned long avenrun[3];
static u64 next_load_update = LOAD_FREQ;

/* Linux's calc_load(): load * exp + active * (1 - exp), rounded up while
 * the load is rising. */
static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* Called by the scheduler on every timer tick with the interrupted
 * registers: charges the tick, and every LOAD_FREQ samples the run queue. */
void proc_account_tick(const struct pt_regs *regs)
{
	unsigned long active;

	if (regs && user_mode(regs))
		cpustat[CPUTIME_USER]++;
	else if (!current || current->pid == 0)
		cpustat[CPUTIME_IDLE]++;
	else
		cpustat[CPUTIME_SYSTEM]++;
	if (jiffies < next_load_update)
		return;
	next_load_update = jiffies + LOAD_FREQ;
	active = (unsigned long)nr_running() * FIXED_1;
	avenrun[0] = calc_load(avenrun[0], EXP_1, active);
	avenrun[1] = calc_load(avenrun[1], EXP_5, active);
	avenrun[2] = calc_load(avenrun[2], EXP_15, active);
}

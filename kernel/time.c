/* The PIT (8253/8254) drives the periodic tick on IRQ 0; its channel 2
 * also serves as the reference to measure the TSC frequency, the way
 * Linux's pit_calibrate_tsc() does: gate channel 2 for a known count and
 * count TSC cycles until its output goes high. */
#include "kernel/time.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define PIT_TICK_RATE	   1193182UL /* Hz of the PIT input clock */
#define PIT_CH0		   0x40
#define PIT_CH2		   0x42
#define PIT_CMD		   0x43
#define PIT_MODE_RATE	   0x34 /* channel 0, lobyte/hibyte, mode 2 */
#define PIT_MODE_ONESHOT   0xb0 /* channel 2, lobyte/hibyte, mode 0 */
#define PORT_B		   0x61 /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define CALIBRATE_MS	   10
#define CALIBRATE_TRIES	   5	/* trusted tries kept (median) */
#define CALIBRATE_ATTEMPTS 50	/* at most 0.5 s of tries on a very busy host */
#define CALIBRATE_SLOP	   1000 /* trusted: brackets under 0.1 % of the time */
#define NS_SHIFT	   32

volatile u64 jiffies;
u64 tsc_khz;
static u64 tsc_at_boot;
static u64 ns_per_cycle_mult; /* ns = cycles * mult >> NS_SHIFT */

static void timer_interrupt(struct pt_regs *regs)
{
	jiffies++;
	scheduler_tick(regs);
}

/* One calibration try: gate channel 2 for CALIBRATE_MS and count TSC
 * cycles until its output goes high. Each end is bracketed: the count
 * starts between the TSC reads around the outb that loads it, and ends
 * between the last poll that saw the output low and the first that saw it
 * high. *slop gets the width of both brackets: small when the vCPU ran
 * straight through, large when the host descheduled it at either end (the
 * try then says little). Returns cycles per millisecond (midpoint), or 0
 * if the PIT did not answer. */
static u64 pit_calibrate_tsc(u64 *slop)
{
	u32 latch = PIT_TICK_RATE * CALIBRATE_MS / 1000;
	u64 start_lo, start_hi, end_lo, end_hi, spins = 0;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, PIT_MODE_ONESHOT);
	outb(PIT_CH2, latch & 0xff);
	start_lo = rdtsc();
	outb(PIT_CH2, latch >> 8); /* the count starts */
	start_hi = rdtsc();
	end_lo = start_hi;
	for (;;) {
		u64 t = rdtsc();

		if (inb(PORT_B) & 0x20) {
			end_hi = rdtsc();
			break;
		}
		end_lo = t;
		if (++spins > 100000000UL)
			return 0;
	}
	*slop = (start_hi - start_lo) + (end_hi - end_lo);
	return ((end_lo + end_hi) / 2 - (start_lo + start_hi) / 2) / CALIBRATE_MS;
}

/* One calibration is at the mercy of the host: if QEMU's vCPU is
 * descheduled for a while between the PIT's expiry and our look at it,
 * the count of TSC cycles grows and the clock then runs slow (under a
 * loaded host, clock_gettime was seen running too slow: a 20 ms nanosleep
 * measured as 8 ms). Linux's quick_pit_calibrate() brackets each
 * PIT read between two TSC reads and trusts a result only when the
 * brackets are tight; so do we: a try counts when its brackets add up to
 * under 1/CALIBRATE_SLOP of the measured time, and the median of the
 * first CALIBRATE_TRIES such tries is kept. If the host never lets a try
 * through cleanly, the try with the tightest brackets is used. */
static u64 pit_calibrate_tsc_median(void)
{
	u64 tries[CALIBRATE_TRIES] = {0}, best = 0, best_slop = ~0UL, slop;
	int n = 0;

	for (int attempt = 0; attempt < CALIBRATE_ATTEMPTS && n < CALIBRATE_TRIES; attempt++) {
		u64 khz = pit_calibrate_tsc(&slop);
		int j;

		if (!khz)
			return 0;
		if (slop < best_slop) {
			best_slop = slop;
			best = khz;
		}
		if (slop * CALIBRATE_SLOP > khz * CALIBRATE_MS)
			continue; /* descheduled at an end: not trusted */
		for (j = n++; j > 0 && tries[j - 1] > khz; j--) /* insertion sort */
			tries[j] = tries[j - 1];
		tries[j] = khz;
	}
	if (!n)
		pr_warn("tsc: no PIT calibration try ran undisturbed (busy host): using the "
			"tightest\n");
	return n ? tries[n / 2] : best;
}

/* Remembers the TSC at kernel entry: uptime counts from here. */
void time_early_init(void)
{
	tsc_at_boot = rdtsc();
}

void time_init(void)
{
	u32 divisor = (PIT_TICK_RATE + HZ / 2) / HZ;

	tsc_khz = pit_calibrate_tsc_median();
	if (!tsc_khz) {
		pr_warn("tsc: PIT calibration failed, assuming 1000 MHz\n");
		tsc_khz = 1000000;
	}
	ns_per_cycle_mult = (NSEC_PER_MSEC << NS_SHIFT) / tsc_khz;
	pr_info("tsc: Detected %lu.%03lu MHz processor\n", tsc_khz / 1000, tsc_khz % 1000);

	outb(PIT_CMD, PIT_MODE_RATE);
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	register_irq_handler(0, timer_interrupt);
	pr_info("clocksource: PIT timer at %d Hz on IRQ 0\n", HZ);
}

u64 ktime_get_ns(void)
{
	if (!ns_per_cycle_mult)
		return 0;
	return (u64)(((unsigned __int128)(rdtsc() - tsc_at_boot) * ns_per_cycle_mult) >> NS_SHIFT);
}

void ndelay(u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		cpu_relax();
}

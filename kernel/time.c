/* The PIT (8253/8254) drives the periodic tick on IRQ 0; its channel 2
 * also serves as the reference to measure the TSC frequency, the way
 * Linux's pit_calibrate_tsc() does: gate channel 2 for a known count and
 * count TSC cycles until its output goes high. */
#include "kernel/time.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define PIT_TICK_RATE	 1193182UL /* Hz of the PIT input clock */
#define PIT_CH0		 0x40
#define PIT_CH2		 0x42
#define PIT_CMD		 0x43
#define PIT_MODE_RATE	 0x34 /* channel 0, lobyte/hibyte, mode 2 */
#define PIT_MODE_ONESHOT 0xb0 /* channel 2, lobyte/hibyte, mode 0 */
#define PORT_B		 0x61 /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define CALIBRATE_MS	 10
#define CALIBRATE_TRIES	 5
#define NS_SHIFT	 32

volatile u64 jiffies;
u64 tsc_khz;
static u64 tsc_at_boot;
static u64 ns_per_cycle_mult; /* ns = cycles * mult >> NS_SHIFT */

static void timer_interrupt(struct pt_regs *regs)
{
	jiffies++;
	scheduler_tick(regs);
}

/* Returns TSC cycles per millisecond measured over CALIBRATE_MS, or 0 if
 * the PIT did not answer. */
static u64 pit_calibrate_tsc(void)
{
	u32 latch = PIT_TICK_RATE * CALIBRATE_MS / 1000;
	u64 start, end, spins = 0;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, PIT_MODE_ONESHOT);
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	start = rdtsc();
	while (!(inb(PORT_B) & 0x20))
		if (++spins > 100000000UL)
			return 0;
	end = rdtsc();
	return (end - start) / CALIBRATE_MS;
}

/* One calibration is at the mercy of the host: if QEMU's vCPU is
 * descheduled for a while, between the PIT's expiry and our look at it,
 * the count of TSC cycles grows and the clock then runs slow (under a
 * loaded host, printk times and clock_gettime were seen running several
 * times too slow, and a 20 ms nanosleep measured as 8 ms). So we calibrate
 * CALIBRATE_TRIES times and keep the median, as Linux's
 * pit_calibrate_tsc() repeats its loop and keeps the best. A disturbance
 * can lengthen or shorten one try; it has to hit most of them to matter. */
static u64 pit_calibrate_tsc_median(void)
{
	u64 tries[CALIBRATE_TRIES] = {0};
	int n = 0;

	for (int i = 0; i < CALIBRATE_TRIES; i++) {
		u64 khz = pit_calibrate_tsc();

		if (!khz)
			return 0;
		/* insertion sort: five values */
		int j = n++;
		for (; j > 0 && tries[j - 1] > khz; j--)
			tries[j] = tries[j - 1];
		tries[j] = khz;
	}
	return tries[n / 2];
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

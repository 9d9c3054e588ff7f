/* In-kernel tests of the core: boot facts, the clock, the exception
 * report (oops), the symbol table. */
#include "kernel/ksyms.h"
#include "kernel/ktest.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/gfp.h"

void kmain(u32 magic, u32 mbi_phys);

KTEST(boot)
{
	u64 cr0 = read_cr0(), efer = rdmsr(0xc0000080);
	unsigned long offset = 0;

	KTEST_EXPECT(boot_info.nr_e820 > 0, "memory map has %d entries", boot_info.nr_e820);
	KTEST_EXPECT(totalram_pages() > 0 && nr_free_pages() <= totalram_pages(),
		     "%lu pages managed, %lu free", totalram_pages(), nr_free_pages());
	KTEST_EXPECT(cr0 & (1UL << 16), "CR0.WP is set");
	KTEST_EXPECT(efer & (1UL << 11), "EFER.NXE is set");
	KTEST_EXPECT((unsigned long)kmain >= 0xffffffff80000000UL,
		     "kernel runs in the higher half");
	KTEST_EXPECT(ksym_lookup((unsigned long)kmain + 3, &offset) &&
			     !strcmp(ksym_lookup((unsigned long)kmain + 3, &offset), "kmain") &&
			     offset == 3,
		     "symbol table names kmain+0x3");
	KTEST_EXPECT(log_buf_len() > 0, "kernel log holds %lu bytes", log_buf_len());
}

KTEST(timer)
{
	u64 j0 = jiffies, t0 = ktime_get_ns();

	while (jiffies < j0 + 5)
		halt();
	u64 elapsed = ktime_get_ns() - t0;
	KTEST_EXPECT(tsc_khz > 100000, "TSC calibrated at %lu kHz", tsc_khz);
	KTEST_EXPECT(elapsed >= 30 * NSEC_PER_MSEC && elapsed <= 500 * NSEC_PER_MSEC,
		     "5 ticks at %d Hz took %lu ms by the TSC", HZ, elapsed / NSEC_PER_MSEC);
}

/* Deliberately crashes: tests/qemu/scenarios.py checks the oops report. */
KTEST(oops)
{
	pr_info("ktest: writing to an unmapped address on purpose\n");
	*(volatile int *)0xffffffffc0001000UL = 1;
}

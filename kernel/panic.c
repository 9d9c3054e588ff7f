/* panic: the kernel cannot go on. Print the reason (Linux's wording) and a
 * backtrace, then stop: under a test, QEMU exits with a failure status. */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

void panic(const char *fmt, ...)
{
	static bool in_panic;
	char reason[256];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (!in_panic) {
		in_panic = true;
		printk(KERN_EMERG "Kernel panic - not syncing: %s\n", reason);
		unsigned long *frame = __builtin_frame_address(0);

		dump_backtrace(frame[1], frame[0]);
		printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", reason);
	}
	qemu_exit(QEMU_EXIT_PANIC);
	for (;;)
		halt();
}

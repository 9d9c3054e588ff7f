/* The in-kernel test runner (see kernel/ktest.h). */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4

extern const struct ktest __start_ktests[], __stop_ktests[];

static int checks_run, checks_failed;
static bool active;

void qemu_exit(u32 code)
{
	outl(QEMU_DEBUG_EXIT_PORT, code);
}

bool ktest_active(void)
{
	return active;
}

bool ktest_check(bool cond, const char *fmt, ...)
{
	char desc[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	checks_run++;
	if (!cond)
		checks_failed++;
	printk(KERN_ALERT "%sok %d - %s\n", cond ? "" : "not ", checks_run, desc);
	return cond;
}

static void run_one(const struct ktest *t)
{
	int before = checks_failed;

	printk(KERN_ALERT "# ktest %s\n", t->name);
	t->run();
	printk(KERN_ALERT "# ktest %s: %s\n", t->name, checks_failed == before ? "PASS" : "FAIL");
}

void ktest_run(const char *name)
{
	bool all = !strcmp(name, "all");
	bool found = false;

	active = true;
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (all || !strcmp(t->name, name)) {
			run_one(t);
			found = true;
		}
	}
	if (!found)
		ktest_check(false, "ktest '%s' exists", name);
	printk(KERN_ALERT "1..%d\n", checks_run);
	printk(KERN_ALERT "# ktest: %d passed, %d failed\n", checks_run - checks_failed,
	       checks_failed);
	qemu_exit(checks_failed || !checks_run ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
	for (;;)
		halt();
}

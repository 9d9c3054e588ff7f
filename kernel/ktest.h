/* In-kernel scenario tests. "ktest=NAME" on the command line runs the test
 * NAME (or "all") after boot; results go to the serial port as TAP lines
 * and QEMU exits through its isa-debug-exit device: status 33 means every
 * check passed (tests/qemu/run.py reads both). Tests live in tests/ktest/. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kernel/types.h"

/* Entries sit in a linker section walked as an array: the alignment
 * fixes their stride (gcc would pick 16 for them anyway). */
struct ktest {
	const char *name;
	void (*run)(void);
} __aligned(16);

#define KTEST(fn)                                                       \
	static void ktest_##fn(void);                                   \
	static const struct ktest ktest_entry_##fn __section(".ktests") \
		__used = {#fn, ktest_##fn};                             \
	static void ktest_##fn(void)

/* Records one TAP check; returns cond so tests can bail out early. */
bool ktest_check(bool cond, const char *fmt, ...) __printf(2, 3);
#define KTEST_EXPECT(cond, ...) ktest_check((cond), __VA_ARGS__)

/* Runs the test(s) named on the command line, then exits QEMU. */
void ktest_run(const char *name) __noreturn;
bool ktest_active(void);

/* QEMU's isa-debug-exit device (iobase 0xf4): QEMU exits with status
 * (code << 1) | 1. Without the device the write is ignored. */
#define QEMU_EXIT_SUCCESS 16 /* status 33 */
#define QEMU_EXIT_FAILURE 1  /* status 3 */
#define QEMU_EXIT_PANIC	  2  /* status 5 */
void qemu_exit(u32 code);

#endif

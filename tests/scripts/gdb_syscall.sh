#!/bin/sh
# TAP suite: the syscall recipe of docs/syscalls.md works. Boots to the
# shell under GDB, breaks in do_syscall on the first wait4 (61), reads the
# number, the caller and an argument, then the return value in the saved
# registers.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
trap 'kill $QPID 2>/dev/null; rm -f "$LOG"' EXIT

MEM=64M GDB_PORT=$PORT SERIAL=null tools/qemu.sh </dev/null >/dev/null 2>&1 &
QPID=$!
gdb_batch 60 \
	-ex 'break do_syscall if regs->error_code == 61' \
	-ex 'continue' \
	-ex 'print regs->error_code' \
	-ex 'print current->comm' \
	-ex 'print (int)regs->rdi' \
	-ex 'finish' \
	-ex 'print (long)((struct pt_regs *)$rsp)->rax' \
	-ex 'kill'

echo "1..5"
expect "conditional breakpoint in do_syscall is hit" 'Breakpoint 2, do_syscall \(regs='
expect "the syscall number is wait4's" '^\$1 = 61'
expect "the caller (init or sh) is named" '^\$2 = "(init|sh)'
expect "it waits for any child (pid -1)" '^\$3 = -1$'
expect "after the call, the saved rax holds the result (a pid or -errno)" '^\$4 = -?[0-9]+$'
exit $failed

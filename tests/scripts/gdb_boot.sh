#!/bin/sh
# TAP suite: the documented GDB recipe (docs/debugging.md) works. Starts
# QEMU halted with its GDB stub, runs tools/gdb/memos.gdb in batch mode and
# checks that GDB stopped in kmain and can read kernel variables.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
trap 'kill $QPID 2>/dev/null; rm -f "$LOG"' EXIT

MEM=64M GDB_PORT=$PORT SERIAL=null tools/qemu.sh </dev/null >/dev/null 2>&1 &
QPID=$!
gdb_batch 60 \
	-ex 'print $pc == kmain' \
	-ex 'next' -ex 'next' \
	-ex 'print/x tsc_at_boot != 0' \
	-ex 'kill'

echo "1..3"
expect "hardware breakpoint in kmain is hit" 'Breakpoint 1, kmain \(magic=920085129, mbi_phys=[0-9]+\) at kernel/main.c'
expect "GDB sees the program counter at kmain" '^\$1 = 1'
expect "GDB reads a kernel variable after stepping" '^\$2 = 0x1'
exit $failed

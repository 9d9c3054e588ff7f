#!/bin/sh
# TAP suite: the disk recipe of docs/block.md works. Boots ktest=block_swap_header
# halted under GDB, breaks in ata_read on the first sector of sda2, and after
# `finish` reads the swap header out of the sector buffer.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
trap 'kill $QPID 2>/dev/null; rm -f "$LOG"' EXIT
MEM=64M ARGS="ktest=block_swap_header" GDB_PORT=$PORT SERIAL=null tools/qemu.sh >/dev/null 2>&1 &
QPID=$!
gdb_batch 90 \
	-ex 'break ata_read if sector == 262144' -ex 'continue' \
	-ex 'print bdev->name' -ex 'set $buf = (unsigned char *)buf' -ex 'finish' \
	-ex 'print *(char (*)[10])($buf + 4086)' -ex 'x/2wx $buf + 1024' -ex 'kill'

echo "1..5"
expect "the breakpoint in ata_read is hit for sda2's first sector" \
	'Breakpoint 2, ata_read \(bdev=0x[0-9a-f]+, sector=262144, buf=0x[0-9a-f]+, count=8\)'
expect "the request is on the disk sda" '^\$1 = "sda"'
expect "ata_read returns 0" 'Value returned is \$[0-9]+ = 0'
expect "the buffer holds SWAPSPACE2 at 4086" '^\$[0-9]+ = "SWAPSPACE2"$'
expect "version 1, last_page 32767" '0x00000001[[:space:]]+0x00007fff'
exit $failed

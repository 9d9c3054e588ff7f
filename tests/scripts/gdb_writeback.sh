#!/bin/sh
# TAP suite: the write-back recipe of docs/pagecache.md works. Boots
# ktest=ext2_writeback halted under GDB (it writes page 5 of /mnt/data/big,
# then fsyncs it), breaks in write_one_page and ext2_writepage, and reads
# the page's flags and the dirty/writeback/written counters on the way.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
trap 'kill $QPID 2>/dev/null; rm -f "$LOG"' EXIT
MEM=64M ARGS="ktest=ext2_writeback" GDB_PORT=$PORT SERIAL=null tools/qemu.sh >/dev/null 2>&1 &
QPID=$!
sleep 1 # let QEMU open its GDB port
timeout 90 gdb -batch -nx -ex "set \$memos_port=$PORT" -x tools/gdb/memos.gdb \
	-ex 'break write_one_page' -ex 'continue' \
	-ex 'print page->index' -ex 'print (page->flags >> PG_dirty) & 1' \
	-ex 'print vm_stat[NR_FILE_DIRTY]' -ex 'set $written = vm_stat[NR_WRITTEN]' \
	-ex 'break ext2_writepage' -ex 'continue' \
	-ex 'print (page->flags >> PG_writeback) & 1' -ex 'print vm_stat[NR_WRITEBACK]' \
	-ex 'finish' -ex 'finish' -ex 'print vm_stat[NR_WRITTEN] - $written' -ex 'kill' >"$LOG" 2>&1

echo "1..8"
expect "write_one_page is called by fsync" 'Breakpoint 2, write_one_page \(page=0x[0-9a-f]+\)'
expect "for file page 5" '^\$1 = 5$'
expect "the page is PG_dirty" '^\$2 = 1$'
expect "ext2_writepage writes it" 'Breakpoint 3, ext2_writepage \('
expect "with PG_writeback set" '^\$4 = 1$'
expect "nr_writeback is 1 during the write" '^\$5 = 1$'
expect "ext2_writepage returns 0" 'Value returned is \$6 = 0'
expect "nr_written counts the page" '^\$8 = 1$'
exit $failed

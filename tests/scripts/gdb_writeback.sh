#!/bin/sh
# TAP suite: the write-back recipe of docs/pagecache.md works. Boots
# ktest=ext2_writeback halted under GDB (it writes page 5 of /mnt/data/big,
# then fsyncs it), breaks in ext2_writepage and reads the page's flags and
# the write-back counter while the page is being written.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
trap 'kill $QPID 2>/dev/null; rm -f "$LOG"' EXIT
MEM=64M ARGS="ktest=ext2_writeback" GDB_PORT=$PORT SERIAL=null tools/qemu.sh >/dev/null 2>&1 &
QPID=$!
gdb_batch 90 \
	-ex 'break ext2_writepage' -ex 'continue' -ex 'bt 3' \
	-ex 'print page->index' -ex 'print (page->flags >> PG_dirty) & 1' \
	-ex 'print (page->flags >> PG_writeback) & 1' -ex 'print vm_stat[NR_WRITEBACK]' \
	-ex 'print mapping->host->size' -ex 'finish' -ex 'kill'

echo "1..7"
expect "ext2_writepage is called" 'Breakpoint 2, ext2_writepage \(mapping=0x[0-9a-f]+, page=0x[0-9a-f]+\)'
expect "by fsync" '^#[0-9] .* in (vfs_fsync|filemap_fdatawrite|filemap_write_and_wait_range|writeback_range) '
expect "for file page 5" '^\$1 = 5$'
expect "PG_dirty is clear: the page moved to write-back" '^\$2 = 0$'
expect "PG_writeback is set" '^\$3 = 1$'
expect "nr_writeback (Writeback:) is 1 during the write" '^\$4 = 1$'
expect "ext2_writepage returns 0" 'Value returned is \$6 = 0'
exit $failed

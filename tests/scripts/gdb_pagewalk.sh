#!/bin/sh
# TAP suite: the page-fault recipe of docs/vm.md works (concept C4). Boots
# to the shell under GDB, types `faults 1 4` on the serial console, breaks
# in handle_mm_fault on the demo's first write fault in its mmap region,
# reads the address and error code, walks the page tables with `pagewalk`
# (tools/gdb/pagewalk.py) before the fault is served and after `finish`,
# and reads the new frame through the direct map: all zeros.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
typed_session "faults 1 4" MEM=64M
gdb_batch 90 \
	-x tools/gdb/pagewalk.py \
	-ex 'break handle_mm_fault if $_streq(current->comm, "faults") && error_code == 6 && addr >= 0x7fff00000000 && addr < 0x7ffff8000000' \
	-ex 'continue' \
	-ex 'print/x addr' \
	-ex 'print error_code' \
	-ex 'set $a = addr' \
	-ex 'pagewalk $a' \
	-ex 'finish' \
	-ex 'pagewalk $a' \
	-ex 'x/4gx $pagewalk_phys + 0xffff800000000000' \
	-ex 'pagewalk $a 1' \
	-ex 'kill'

echo "1..8"
expect "conditional breakpoint in handle_mm_fault is hit for faults" \
	'Breakpoint 2, handle_mm_fault \(mm=0x[0-9a-f]+, addr=(addr@entry=)?[0-9]+, error_code=6'
expect "the faulting address is in the mmap area" '^\$1 = 0x7fff[0-9a-f]{8}$'
expect "the error code is 6: user-mode write to a page not present" '^\$2 = 6$'
expect "before the fault is served the walk stops at a missing entry" \
	'not present at the (pud|pmd|pte) level'
expect "handle_mm_fault returns 0" 'Value returned is \$[0-9]+ = 0'
expect "after it, the pte is present, writable, user and NX" \
	'pte\[ *[0-9]+\] @ 0x[0-9a-f]+ = 0x[0-9a-f]+  P W U .*NX$'
expect "the walk ends at a physical address" '=> physical 0x[0-9a-f]+ \(frame'
expect "the new frame reads as zeros through the direct map" \
	'0xffff8000[0-9a-f]+:\s+0x0000000000000000\s+0x0000000000000000'
exit $failed

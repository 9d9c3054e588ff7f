#!/bin/sh
# TAP suite: the swap recipe of docs/reclaim.md works (concept C13). Boots
# with 32 MiB and swap under GDB, types `swap-stress 40 1`, breaks in
# swapin_pte (mm/fault.c) when a swapped-out page is touched again, prints
# the PTE holding the swap entry (present bit clear, bit 1 set, the slot
# in the frame-number bits), lets the swap-in finish and prints the PTE
# again: present, with a frame.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
typed_session "swap-stress 40 1" MEM=32M
gdb_batch 120 \
	-ex 'break swapin_pte if $_streq(current->comm, "swap-stress")' \
	-ex 'continue' \
	-ex 'set $p = pte' \
	-ex 'print/x *$p' \
	-ex 'print (*$p & 1)' \
	-ex 'print/x (*$p & 0x000ffffffffff000) >> 12' \
	-ex 'finish' \
	-ex 'print/x *$p' \
	-ex 'print (*$p & 1)' \
	-ex 'kill'

echo "1..5"
expect "breakpoint in swapin_pte is hit for swap-stress" 'Breakpoint 2, swapin_pte \('
expect "the PTE holds a swap entry: bit 1 set, present bit clear" '^\$1 = 0x[0-9a-f]*[2367abef]$'
expect "  its present bit is 0" '^\$2 = 0$'
expect "after swap-in the call returns 0" 'Value returned is \$[0-9]+ = 0'
expect "  and the PTE is present again, with a frame" '^\$6 = 1$'
exit $failed

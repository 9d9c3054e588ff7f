#!/bin/sh
# TAP suite: the refault-detection recipe of docs/reclaim.md works. Boots
# with 32 MiB and swap under GDB, types `swap-stress 24 2`, breaks in
# workingset_refault (mm/workingset.c) when a swapped-out page comes back
# and its swap slot still holds the shadow entry its eviction left, prints
# the refault distance (the node's nonresident age now minus the age in
# the shadow) and the workingset it competes with (active anon + file
# pages), lets the call finish and checks the decision: the page was
# activated exactly when the distance is no more than the workingset.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
typed_session "swap-stress 24 2" MEM=32M
gdb_batch 180 \
	-ex 'break workingset_refault' \
	-ex 'continue' \
	-ex 'set $pg = page' \
	-ex 'print (node_data[0].nonresident_age - ((unsigned long)shadow >> 5)) & (~0UL >> 5)' \
	-ex 'print node_data[0].nr_lru[LRU_ACTIVE_ANON] + node_data[0].nr_lru[LRU_INACTIVE_FILE] + node_data[0].nr_lru[LRU_ACTIVE_FILE]' \
	-ex 'finish' \
	-ex 'print ($pg->flags >> PG_active) & 1' \
	-ex 'print $3 == ($1 <= $2)' \
	-ex 'kill'

echo "1..4"
expect "breakpoint in workingset_refault is hit" 'Breakpoint 2, workingset_refault \('
expect "the refault distance and the workingset print as numbers" '^\$2 = [0-9]+$'
expect "the page's PG_active bit after the call" '^\$3 = [01]$'
expect "  activated exactly when distance <= workingset" '^\$4 = 1$'
exit $failed

#!/bin/sh
# TAP suite: the victim-selection recipe of docs/oom.md works (concepts C7,
# C8). Boots 64 MiB without swap under GDB, types `oom-adj`, breaks in
# out_of_memory, then stops in every oom_badness call of that OOM and
# prints the task and, after `finish`, its points; a breakpoint in
# oom_kill_process shows the victim. Checks: init and kswapd0 read LONG_MIN
# (never chosen), the +1000 hog scores above 10000 pages, and the victim
# is the task with the most points.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/expect.sh
PORT=$(free_port)
LOG=$(mktemp)
CMDS=$(mktemp)
SERIAL_LOG=$(mktemp)
trap 'kill $QPID $FPID 2>/dev/null; rm -f "$LOG" "$CMDS" "$SERIAL_LOG" "$FIFO"' EXIT

cat >"$CMDS" <<'GDB'
break out_of_memory
continue
delete
break oom_kill_process
break oom_badness
set $tasks = 0
while $tasks < 64
	continue
	python gdb.set_convenience_variable("in_kill", gdb.selected_frame().name() == "oom_kill_process")
	if $in_kill
		printf "victim: pid %d %s\n", victim->pid, victim->comm
		loop_break
	end
	printf "points: pid %d %s adj %d\n", t->pid, t->comm, t->oom_score_adj
	finish
	printf "points = %ld\n", $
	set $tasks = $tasks + 1
end
kill
GDB

boot_and_type "$SERIAL_LOG" oom-adj MEM=64M DISK_IMG=none GDB_PORT=$PORT
gdb_batch 150 -x "$CMDS"

# "points: pid P NAME adj A" followed by "points = N": one line per task.
TABLE=$(awk '/^points: pid/ { pid = $3; name = $4; adj = $6 }
	/^points = / { print pid, name, adj, $3 }' "$LOG")
BEST=$(echo "$TABLE" | sort -k4,4n | tail -1 | cut -d' ' -f1)
echo "# tasks and points (pid name adj points):" $(echo "$TABLE" | tr "\n" ";")

echo "1..6"
expect "breakpoint in out_of_memory is hit when oom-adj's trigger runs out" \
	'Breakpoint 2, out_of_memory \('
expect "oom_badness stops once per task and prints it" '^points: pid [0-9]+ '
has_row() { printf '%s\n' "$TABLE" | grep -qE "$1"; }
okif "init (pid 1) is never chosen: LONG_MIN" has_row '^1 init -?[0-9]+ -9223372036854775808$'
okif "kswapd0 is never chosen: LONG_MIN" has_row '^[0-9]+ kswapd0 -?[0-9]+ -9223372036854775808$'
okif "the +1000 hog scores more than 10000 pages" has_row '^[0-9]+ [^ ]+ 1000 [0-9]{5,}$'
expect "the victim in oom_kill_process is the task with the most points (pid $BEST)" \
	"^victim: pid ${BEST:-none} "
exit $failed

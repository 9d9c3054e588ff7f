# Sourced by the GDB test scripts (tests/scripts/gdb_*.sh): one TAP line
# per check of GDB's batch log.
#   expect DESCRIPTION REGEX   "ok N" if REGEX (grep -E) matches a line of
#                              $LOG, else "not ok N" and the log's tail;
# $failed ends up 1 if any check failed.
n=0
failed=0
expect() {
	n=$((n + 1))
	if grep -qE "$2" "$LOG"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/#   /' "$LOG" | tail -40
		failed=1
	fi
}

# A TCP port nobody listens on now, for QEMU's GDB stub (pid-based ports
# collide when several GDB suites run at once).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

#   okif DESCRIPTION COMMAND...   "ok N" if COMMAND succeeds (a check on
#                                 what the script extracted from $LOG)
okif() {
	n=$((n + 1))
	desc=$1
	shift
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/#   /' "$LOG" | tail -40
		failed=1
	fi
}

#   boot_and_type OUT COMMAND [VAR=VALUE ...]
# Starts tools/qemu.sh with the VAR=VALUE settings (MEM, GDB_PORT, ...) and
# its serial console on stdio: input from the FIFO $FIFO (made here; fd 3
# keeps it open so QEMU never sees the end of its input), output to OUT.
# COMMAND is typed once the shell's prompt is on the console (a fixed delay
# lost the line when a loaded machine booted slowly; GDB lets the guest run
# freely until then). Sets QPID and FPID; the caller's trap removes $FIFO.
boot_and_type() {
	out=$1
	cmd=$2
	shift 2
	FIFO=$(mktemp -u)
	mkfifo "$FIFO" || exit 1
	env "$@" SERIAL=stdio tools/qemu.sh <"$FIFO" >"$out" 2>&1 &
	QPID=$!
	exec 3>"$FIFO"
	(for _ in $(seq 600); do grep -q '^\$ ' "$out" 2>/dev/null && break; sleep 0.2; done
		echo "$cmd") >&3 2>/dev/null &
	FPID=$!
}

#   typed_session COMMAND [VAR=VALUE ...]
# The start of a suite that types COMMAND into the shell of a guest
# waiting for GDB: sets PORT (a free one), LOG (GDB's output), OUT (the
# serial console's), the trap that stops QEMU and removes them, and boots
# through boot_and_type with GDB_PORT=$PORT and the settings given.
typed_session() {
	cmd=$1
	shift
	PORT=$(free_port)
	LOG=$(mktemp)
	OUT=$(mktemp)
	trap 'kill $QPID $FPID 2>/dev/null; rm -f "$LOG" "$OUT" "$FIFO"' EXIT
	boot_and_type "$OUT" "$cmd" "$@" GDB_PORT="$PORT"
}

#   gdb_batch SECONDS GDB-ARGS...
# Runs GDB in batch mode (at most SECONDS) against the guest's stub on
# $PORT, with tools/gdb/memos.gdb loaded, its output into $LOG; gives QEMU
# a second to open the port first.
gdb_batch() {
	secs=$1
	shift
	sleep 1
	timeout "$secs" gdb -batch -nx -ex "set \$memos_port=$PORT" -x tools/gdb/memos.gdb "$@" \
		>"$LOG" 2>&1
}

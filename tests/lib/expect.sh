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

#!/bin/sh
# libc_host.sh: TAP suite for our libc and user programs, run on the HOST's
# Linux (they are static Linux binaries). Run from the repo root after
# `make user`. Prints "ok N - ..." lines and a final "1..N"; exits 0 iff all
# pass. Covers:
#   - build/user/libc-test (printf, strto*, strings, errno/EFAULT, wait status,
#     atexit, stdio buffering, memory calls), one TAP line per check;
#   - the shell driven through a pipe;
#   - free, vmstat, uptime, ps, cat, echo, kill, sleep, dmesg against the
#     host's procps/coreutils. Where the host allows a private mount namespace
#     (unshare -m), fixed fake /proc files are bind-mounted so both tools see
#     the same numbers and the output must match byte for byte.
set -u
cd "$(dirname "$0")/../.." || exit 1

B=$PWD/build/user
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

# not_ok DESC [DETAILS]: a failed check; DETAILS are shown as TAP comments.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
	return 0
}

# same DESC GOT WANT: pass if the two strings are equal, else show a diff.
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		printf '%s\n' "$3" >"$T/want"
		printf '%s\n' "$2" >"$T/got"
		not_ok "$1" "$(diff -u "$T/want" "$T/got" | tail -n +3)"
	fi
}

# check DESC COMMAND...: pass if the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# Run shell input $1 through our sh with only our programs on PATH; stderr too.
sh_run() {
	printf '%s\n' "$1" | env PATH="$B" HOME=/ "$B/sh" 2>&1
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

for prog in libc-test sh init cat echo ps free vmstat kill sleep uptime dmesg; do
	if [ ! -x "$B/$prog" ]; then
		echo "Bail out! $B/$prog is missing: run make user first"
		exit 1
	fi
done

# --- libc-test: renumber its TAP lines into ours ---------------------------
"$B/libc-test" >"$T/libc.out" 2>&1
status=$?
while IFS= read -r line; do
	case $line in
	"ok "*) ok "libc: ${line#* - }" ;;
	"not ok "*) not_ok "libc: ${line#* - }" ;;
	esac
done <"$T/libc.out"
planned=$(sed -n 's/^1\.\.//p' "$T/libc.out")
check "libc-test exits 0 and prints its plan (1..$planned)" \
	test "$status" -eq 0 -a -n "$planned"

# stdout's buffering depends on what it is: `script` gives the program a pty.
same "stdout on a pipe is fully buffered" "$("$B/libc-test" --stdout-order | cat)" "write
printf"
if command -v script >/dev/null; then
	same "stdout on a terminal is line-buffered" \
		"$(script -qc "$B/libc-test --stdout-order" /dev/null </dev/null | tr -d '\r')" "printf
write"
	out=$(printf 'nosuch\nexit\n' | script -qc "env PATH=$B $B/sh" /dev/null 2>&1 | tr -d '\r')
	case $out in
	*"$ "*"command not found"*"[127] \$ "*) ok "sh on a terminal is interactive: prompts" ;;
	*) not_ok "sh on a terminal is interactive: prompts" "$out" ;;
	esac
fi
for tool in free vmstat uptime ps; do
	MEMOS_PROC=/nonexistent "$B/$tool" >/dev/null 2>"$T/err"
	status=$?
	check "$tool without /proc: an error message and status 1" \
		test $status -eq 1 -a -s "$T/err"
done

# --- the shell -------------------------------------------------------------
same "sh: run a command with arguments" "$(sh_run 'echo hello   world')" "hello world"
same "sh: quotes, \$? and comments" "$(sh_run "echo \"a  b\" 'c \$x' \$? # not this")" \
	'a  b c $x 0'
same "sh: unknown command is 127 with a message" "$(sh_run 'nosuchcmd arg
echo $?')" "sh: nosuchcmd: command not found
127"
same "sh: > redirection (echo 0 > swappiness)" \
	"$(sh_run "echo 0 > $T/swappiness; cat $T/swappiness")" "0"
same "sh: >> appends, < reads" "$(sh_run "echo 1 > $T/f; echo 2 >> $T/f; cat < $T/f")" "1
2"
same "sh: 2> redirects stderr" "$(sh_run "cat /nonexistent 2> $T/err; cat $T/err")" \
	"cat: /nonexistent: No such file or directory"
same "sh: redirection to a missing directory fails cleanly" \
	"$(sh_run "echo x > /nonexistent/f; echo \$?")" "sh: /nonexistent/f: No such file or directory
1"
same "sh: pipeline" "$(sh_run 'echo abc | cat | cat')" "abc"
same "sh: background job, then wait" "$(sh_run 'sleep 0.3 & echo started; wait; echo done')" \
	"started
done"
start=$(now_ms)
out=$(sh_run "sleep 2 > $T/bg 2> $T/bg2 &
echo not blocked")
elapsed=$(($(now_ms) - start))
if [ "$out" = "not blocked" ] && [ $elapsed -lt 1500 ]; then
	ok "sh: & does not wait for the job (${elapsed} ms)"
else
	not_ok "sh: & does not wait for the job" "output '$out' after ${elapsed} ms"
fi
same "sh: \$! is the last background job" "$(sh_run 'sleep 5 & kill -KILL $!; wait; echo $?')" "0"
same "sh: background job writes its redirect" "$(sh_run "echo bg > $T/bgout & wait; cat $T/bgout")" "bg"
same "sh: cd and pwd" "$(sh_run "cd $T; pwd; cd /nonexistent")" "$(cd "$T" && pwd -P)
sh: cd: /nonexistent: No such file or directory"
same "sh: \$HOME expansion" "$(sh_run 'echo $HOME')" "/"
same "sh: export and unset" "$(sh_run 'export GREETING=hi; sh -c "echo \$GREETING"; unset GREETING; echo "[$GREETING]"')" "hi
[]"
same "sh: a child killed by SIGKILL reports Killed, status 137" \
	"$(sh_run "sh -c 'kill -KILL \$\$'; echo \$?")" "Killed
137"
same "sh: a child killed by SIGSEGV reports it, status 139" \
	"$(sh_run "sh -c 'kill -SEGV \$\$'; echo \$?" | sed 's/ (core dumped)//')" \
	"Segmentation fault
139"
printf 'exit 3\necho not reached\n' | "$B/sh" >/dev/null 2>&1
same "sh: exit N" "$?" "3"
"$B/sh" -c 'echo one; exit 5' >"$T/c.out" 2>&1
same "sh: -c CMD and its exit status" "$(cat "$T/c.out") $?" "one 5"
printf 'nosuch\n' | env PATH="$B" "$B/sh" >/dev/null 2>&1
same "sh: end of input exits with the last status" "$?" "127"
out=$(printf 'nosuch\necho hi\n' | env PATH="$B" "$B/sh" -i 2>&1)
case $out in
*"[127] \$ "*) ok "sh: the prompt shows a non-zero status" ;;
*) not_ok "sh: the prompt shows a non-zero status" "$out" ;;
esac
out=$(printf 'echo abX\177c\r\n' | env PATH="$B" SH_RAW=1 "$B/sh" 2>&1 | tr -d '\r')
case $out in
*"echo abX"*"abc"*) ok "sh: raw console: echo, backspace (0x7f) and \\r" ;;
*) not_ok "sh: raw console: echo, backspace (0x7f) and \\r" "$out" ;;
esac
out=$(printf 'echo x\010y\r' | env PATH="$B" SH_RAW=1 "$B/sh" 2>&1 | tr -d '\r' | grep -x 'y')
same "sh: raw console: backspace (0x08)" "$out" "y"

# init is PID 1 in the guest; here it runs a program once, then keeps the
# shell (the host's /bin/sh, fed /dev/null) running: it must restart it.
out=$(timeout 2.5 "$B/init" "$B/echo" first </dev/null 2>&1)
case $out in
first*"init: /bin/sh exited with status 0, restarting"*) ok "init: runs /PROG once, then restarts the shell" ;;
*) not_ok "init: runs /PROG once, then restarts the shell" "$out" ;;
esac

# --- cat, echo, sleep, kill, dmesg ------------------------------------------
same "cat /proc/version matches coreutils" "$("$B/cat" /proc/version)" "$(cat /proc/version)"
printf 'in\n' >"$T/stdin"
printf 'a\n' >"$T/a"
same "cat FILE - FILE" "$("$B/cat" "$T/a" - "$T/a" <"$T/stdin")" "a
in
a"
same "cat: missing file: coreutils' message, status 1" \
	"$("$B/cat" "$T/missing" 2>&1; echo $?)" "$(cat "$T/missing" 2>&1; echo $?)"
same "echo matches coreutils" "$("$B/echo" a "b  c" -x)" "$(/bin/echo a "b  c" -x)"
same "echo -n" "$("$B/echo" -n a b; echo '|')" "a b|"
start=$(now_ms)
"$B/sleep" 0.3
elapsed=$(($(now_ms) - start))
check "sleep 0.3 takes 0.3 s (${elapsed} ms)" test $elapsed -ge 300 -a $elapsed -lt 2000
"$B/sleep" abc 2>/dev/null
same "sleep: invalid interval is status 1" "$?" "1"
sleep 5 &
victim=$!
"$B/kill" -TERM $victim
{ wait $victim; } 2>/dev/null
same "kill -TERM ends a process with SIGTERM (status 143)" "$?" "143"
sleep 5 &
victim=$!
"$B/kill" -s KILL $victim
{ wait $victim; } 2>/dev/null
same "kill -s KILL (status 137)" "$?" "137"
"$B/kill" 4000000 2>/dev/null
same "kill of a missing pid is status 1" "$?" "1"
if /bin/kill -V 2>&1 | grep -q procps; then
	same "kill -l: same list as procps" "$("$B/kill" -l)" "$(/bin/kill -l)"
fi
same "kill -l 9 and kill -l KILL" "$("$B/kill" -l 9; "$B/kill" -l KILL)" "KILL
9"
# -S: util-linux reads /dev/kmsg by default; -S makes it use syslog(2) as we do.
# Ours reads first: a busy host log can lose its oldest records between the
# two reads, so util-linux's first three records must be three consecutive
# lines of ours, byte for byte (the first three when nothing was lost).
ours=$("$B/dmesg" 2>&1)
if host=$(dmesg -S 2>/dev/null | head -3) && [ -n "$host" ]; then
	at=$(printf '%s\n' "$ours" | grep -n -F -x -- "$(printf '%s\n' "$host" | head -1)" |
		head -1 | cut -d: -f1)
	same "dmesg: first records match util-linux dmesg" \
		"$(printf '%s\n' "$ours" | sed -n "${at:-1},$((${at:-1} + 2))p")" "$host"
else
	case $ours in
	"dmesg: read kernel buffer failed: "*) ok "dmesg: clear error when the log is closed" ;;
	*) not_ok "dmesg: clear error when the log is closed" ;;
	esac
fi

# --- free, vmstat, uptime, ps against procps --------------------------------
if ! command -v free >/dev/null || ! command -v vmstat >/dev/null; then
	echo "# procps missing: installing it"
	tools/install-deps.sh procps >/dev/null 2>&1
fi

# Header and row labels of free must match; Mem total must be equal.
for opts in "" -m -h -w; do
	ours=$("$B/free" $opts)
	theirs=$(free $opts)
	same "free $opts: same header and labels as procps" \
		"$(printf '%s\n' "$ours" | awk '{print (NR == 1) ? $0 : $1 " " NF}')" \
		"$(printf '%s\n' "$theirs" | awk '{print (NR == 1) ? $0 : $1 " " NF}')"
done
same "free: same Mem total as procps" "$("$B/free" | awk '/^Mem:/ {print $2}')" \
	"$(free | awk '/^Mem:/ {print $2}')"
used_ours=$("$B/free" | awk '/^Mem:/ {print $3}')
used_host=$(free | awk '/^Mem:/ {print $3}')
total=$(free | awk '/^Mem:/ {print $2}')
diff=$((used_ours - used_host))
check "free: used within 2% of procps (ours $used_ours, procps $used_host)" \
	test ${diff#-} -le $((total / 50))

ours=$("$B/vmstat")
theirs=$(vmstat)
same "vmstat: same header lines as procps" "$(printf '%s\n' "$ours" | head -2)" \
	"$(printf '%s\n' "$theirs" | head -2)"
same "vmstat: same number of columns" "$(printf '%s\n' "$ours" | awk 'NR == 3 {print NF}')" \
	"$(printf '%s\n' "$theirs" | awk 'NR == 3 {print NF}')"
same "vmstat -a: same header lines as procps" "$("$B/vmstat" -a | head -2)" "$(vmstat -a | head -2)"
lines=$("$B/vmstat" 1 2 | wc -l)
same "vmstat 1 2: two headers and two samples" "$lines" "4"
cpu=$("$B/vmstat" | awk 'NR == 3 {print $13 + $14 + $15 + $16 + $17}')
check "vmstat: CPU shares add up to about 100 ($cpu)" test "$cpu" -ge 98 -a "$cpu" -le 102

same "uptime: same layout as procps" \
	"$("$B/uptime" | sed -E 's/[0-9]+/N/g')" "$(uptime | sed -E 's/[0-9]+/N/g')"
same "uptime -p: same as procps" "$("$B/uptime" -p)" "$(uptime -p)"

same "ps: same header as procps" "$("$B/ps" | head -1)" "$(ps | head -1)"
same "ps aux: same header as procps" "$("$B/ps" aux | head -1)" "$(ps aux | head -1)"
"$B/ps" -e >"$T/ps.ours"
ps -e >"$T/ps.host"
# Compare the processes both saw (some come and go between the two runs).
awk 'NR > 1 {print $1}' "$T/ps.ours" | sort >"$T/pids.ours"
awk 'NR > 1 {print $1}' "$T/ps.host" | sort >"$T/pids.host"
common=$(comm -12 "$T/pids.ours" "$T/pids.host" | wc -l)
total=$(wc -l <"$T/pids.host")
check "ps -e: lists the processes procps lists ($common of $total)" \
	test "$common" -ge $((total * 8 / 10))
same "ps -e: line of PID 1 identical to procps" "$(awk '$1 == 1' "$T/ps.ours")" \
	"$(awk '$1 == 1' "$T/ps.host")"
same "ps aux: line of PID 2 identical to procps" "$("$B/ps" aux | awk '$2 == 2')" \
	"$(ps aux | awk '$2 == 2')"

# Fixed fake /proc files: known numbers give known output.
mkdir -p "$T/fake"
cat >"$T/fake/meminfo" <<'EOF'
MemTotal:        2048000 kB
MemFree:         1000000 kB
MemAvailable:    1500000 kB
Buffers:           10000 kB
Cached:           400000 kB
SwapCached:            0 kB
Active:           300000 kB
Inactive:         200000 kB
Shmem:              5000 kB
SReclaimable:      20000 kB
SwapTotal:       1048576 kB
SwapFree:        1000000 kB
EOF
cp /proc/vmstat /proc/stat "$T/fake/"
printf '200000.50 400000.00\n' >"$T/fake/uptime"
printf '1.25 0.50 0.05 1/100 1234\n' >"$T/fake/loadavg"
same "free with MEMOS_PROC=fake: the numbers procps would compute" \
	"$(MEMOS_PROC=$T/fake "$B/free")" \
	"               total        used        free      shared  buff/cache   available
Mem:         2048000      548000     1000000        5000      430000     1500000
Swap:        1048576       48576     1000000"
same "free -h with MEMOS_PROC=fake" "$(MEMOS_PROC=$T/fake "$B/free" -h)" \
	"               total        used        free      shared  buff/cache   available
Mem:           2.0Gi       535Mi       976Mi       4.9Mi       419Mi       1.4Gi
Swap:          1.0Gi        47Mi       976Mi"

# Where the host allows a private mount namespace, bind-mount the fake files
# over /proc so procps and our tools read the same numbers: outputs must match
# byte for byte, for every option.
cat >"$T/compare.sh" <<EOF
for f in meminfo vmstat stat uptime loadavg; do
	mount --bind "$T/fake/\$f" /proc/\$f || exit 1
done
for opts in "" -k -m -g -b -h -w "-h -w" -t "-c 2 -s 0.1"; do
	echo "== free \$opts"
	\$1 free \$opts
done
echo "== vmstat"; \$1 vmstat
echo "== vmstat -a"; \$1 vmstat -a
echo "== vmstat 1 2"; \$1 vmstat 1 2
echo "== uptime"; \$1 uptime | cut -c10-
echo "== uptime -p"; \$1 uptime -p
# procps's -p rules at their edges: a unit counts only when more than one
# of it is left, minutes show when under a minute is left over.
echo "== uptime -p edges"
for v in 0.00 59.99 60.00 61.00 3600.00 3600.01 10800.00 10830.00 10860.00 86400.00 \
	90000.00 700000.00 40000000.25 400000000.00; do
	printf '%s 1.00\n' "\$v" >"$T/fake/uptime"
	\$1 uptime -p
done
printf '200000.50 400000.00\n' >"$T/fake/uptime"
EOF
if unshare -m true 2>/dev/null && unshare -m sh "$T/compare.sh" "" >"$T/fixed.host" 2>&1 &&
	unshare -m sh "$T/compare.sh" "env PATH=$B" >"$T/fixed.ours" 2>&1; then
	for section in "free " "free -k" "free -m" "free -g" "free -b" "free -h" "free -w" \
		"free -h -w" "free -t" "free -c 2 -s 0.1" "vmstat" "vmstat -a" "vmstat 1 2" "uptime" "uptime -p" \
		"uptime -p edges"; do
		want=$(awk -v s="== $section" '/^== /{on = ($0 == s); next} on' "$T/fixed.host")
		got=$(awk -v s="== $section" '/^== /{on = ($0 == s); next} on' "$T/fixed.ours")
		same "fixed /proc: $section identical to procps" "$got" "$want"
	done
else
	echo "# no private mount namespace here: byte-for-byte comparisons skipped"
fi

echo "1..$n"
[ $failed -eq 0 ]

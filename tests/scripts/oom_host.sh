#!/bin/sh
# oom_host.sh: TAP suite for the OOM programs on the HOST's Linux, the
# reference memos is measured against (docs/oom.md, concepts C7, C8). Only
# non-destructive checks: the host's OOM killer is never triggered. Runs
# `oom-adj --check` (oom_score_adj range, EINVAL/ERANGE, inheritance across
# fork, writes through /proc/PID, oom_score against Linux's formula; its
# cases become ours, renumbered), then the demos in --dry-run mode (hogs
# started and scored, no trigger) and the hog tool.
set -u
cd "$(dirname "$0")/../.." || exit 1

B=$PWD/build/user
n=0
failed=0

# check DESC OUTPUT EXTENDED-REGEX: ok if OUTPUT matches, else not ok + output.
check() {
	n=$((n + 1))
	if printf '%s\n' "$2" | grep -qE "$3"; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		printf '%s\n' "$2" | tail -20 | sed 's/^/#   /'
	fi
}

for prog in oom-adj oom-demo oom-protect hog; do
	if [ ! -x "$B/$prog" ]; then
		echo "1..1"
		echo "not ok 1 - $B/$prog is built (run make user)"
		exit 1
	fi
done

# oom-adj --check's own TAP lines, renumbered into this suite.
out=$("$B/oom-adj" --check 2>&1)
status=$?
tmp=$(mktemp)
printf '%s\n' "$out" | grep -E '^(not )?ok ' >"$tmp"
while IFS= read -r line; do
	n=$((n + 1))
	case $line in
	"not ok"*) failed=$((failed + 1)) ;;
	esac
	printf '%s\n' "$line" | sed -E "s/^(not )?ok [0-9]+/\\1ok $n/"
done <"$tmp"
rm -f "$tmp"
printf '%s\n' "$out" | grep '^#' || true
check "oom-adj --check exits 0" "status=$status" '^status=0$'

# The demos without the trigger: hogs sized from 64 MiB, scores compared.
out=$("$B/oom-demo" --dry-run --mem 64 2>&1)
check "oom-demo --dry-run: three hogs, oom_score agrees with Linux's formula" "$out" \
	"round 1: oom_score agrees with Linux's formula"
check "oom-demo --dry-run: hogs of 6, 16 and 22 MiB reach that RSS" "$out" \
	'hog C +[0-9]+ +22 +0 +2[2-3][0-9]{3} '
out=$("$B/oom-adj" --dry-run --mem 64 2>&1)
check "oom-adj --dry-run: the +1000 hog scores above 1300, as Linux says" "$out" \
	'hog A +[0-9]+ +12 +1000 +[0-9]+ +13[0-9]{2} +13[0-9]{2}$'
check "oom-adj --dry-run: oom_score agrees with Linux's formula" "$out" \
	"round 1: oom_score agrees with Linux's formula"
out=$("$B/oom-protect" --dry-run --mem 64 2>&1)
if printf '%s\n' "$out" | grep -q CAP_SYS_RESOURCE; then
	n=$((n + 1))
	echo "ok $n - # SKIP oom-protect --dry-run: -1000 needs CAP_SYS_RESOURCE here"
else
	check "oom-protect --dry-run: the -1000 hog's oom_score reads 0" "$out" \
		'hog C +[0-9]+ +22 +-1000 +[0-9]+ +0 +0$'
fi

# hog: allocates, sets its adj, reports, sleeps until killed.
tmp=$(mktemp)
"$B/hog" -a 500 4 >"$tmp" 2>&1 &
hog_pid=$!
i=0
while [ "$i" -lt 50 ] && ! grep -q touched "$tmp"; do
	sleep 0.1
	i=$((i + 1))
done
out=$(cat "$tmp")
adj=$(cat "/proc/$hog_pid/oom_score_adj" 2>/dev/null)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$hog_pid/status" 2>/dev/null)
kill -9 "$hog_pid" 2>/dev/null
wait "$hog_pid" 2>/dev/null
rm -f "$tmp"
check "hog -a 500 4: reports its pid, adj 500 and oom_score" "$out" \
	"^hog: pid $hog_pid: 4 MiB touched, oom_score_adj 500, oom_score [0-9]+$"
check "hog's /proc/PID/oom_score_adj reads 500 and VmRSS >= 4096 kB" "adj=$adj rss=${rss:-0}" \
	'^adj=500 rss=(4[0-9]{3}|[5-9][0-9]{3})$'
"$B/hog" -s 4 >/dev/null 2>&1 &
hog_pid=$!
i=0
pte=0
while [ "$i" -lt 50 ] && [ "${pte:-0}" -lt 4096 ]; do
	sleep 0.1
	pte=$(awk '/^VmPTE/ {print $2}' "/proc/$hog_pid/status" 2>/dev/null)
	i=$((i + 1))
done
kill -9 "$hog_pid" 2>/dev/null
wait "$hog_pid" 2>/dev/null
check "hog -s 4: 1024 pages 2 MiB apart cost >= 4096 kB of page tables (VmPTE)" \
	"pte=${pte:-0}" '^pte=(4[0-9]{3}|[5-9][0-9]{3})$'
out=$("$B/hog" -a 1001 1 2>&1)
check "hog -a 1001: refused with EINVAL" "$out" 'oom_score_adj 1001: Invalid argument'

echo "1..$n"
[ "$failed" -eq 0 ]

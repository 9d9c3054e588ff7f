#!/bin/sh
# vm_host.sh: TAP suite for the virtual-memory programs on the HOST's Linux,
# the reference memos is measured against (docs/vm.md). Runs
# build/user/vm-test (its cases become ours, renumbered), then the demos
# lazy, faults and cow, checking the figures they measure: lazy's fault and
# RSS deltas equal the pages touched, faults finds every new page zeroed
# and reports a cycle count, cow shows both sides isolated.
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

for prog in vm-test lazy faults cow; do
	if [ ! -x "$B/$prog" ]; then
		echo "1..1"
		echo "not ok 1 - $B/$prog is built (run make user)"
		exit 1
	fi
done

# vm-test's own TAP lines, renumbered into this suite.
out=$("$B/vm-test" 2>&1)
status=$?
printf '%s\n' "$out" | {
	i=$n
	while IFS= read -r line; do
		case $line in
		"ok "*) i=$((i + 1)); echo "ok $i - ${line#* - }" ;;
		"not ok "*) i=$((i + 1)); echo "not ok $i - ${line#* - }" ;;
		"1.."*) ;;
		*) echo "$line" ;;
		esac
	done
}
cases=$(printf '%s\n' "$out" | grep -cE '^(not )?ok ')
bad=$(printf '%s\n' "$out" | grep -cE '^not ok ')
n=$((n + cases))
failed=$((failed + bad))
check "vm-test exits 0 iff every case passed (status $status)" \
	"$status $bad" '^(0 0|[1-9][0-9]* [1-9][0-9]*)$'

out=$("$B/lazy" 500 2>&1)
# Linux may take a fault or two of its own in between (seen: 501); the
# guest suite (qemu_vm.sh) checks memos' counts exactly.
check "lazy: 1 GiB mmap reserved, 500 pages touched = 500(+2) minor faults, VmRSS +500 pages" \
	"$out" '^lazy: mmap touched=500 minflt_delta=50[0-2] rss_delta_pages=500$'
check "lazy: the same through malloc(1 GiB)" \
	"$out" '^lazy: malloc touched=500 minflt_delta=50[0-2] rss_delta_pages=500$'

out=$("$B/faults" 50 2>&1)
check "faults: every new page reads as zeros, one minor fault per page, cycles measured" \
	"$out" '^faults: median_cycles_per_fault=[1-9][0-9]* min_cycles_per_fault=[0-9]+ .*zero_pages=([0-9]+)/\1 minflt_per_page=([0-9]+)/\2$'

out=$("$B/cow" 2>&1)
check "cow: the child sees the parent's data and its own write, with one write fault" \
	"$out" '^cow: child sees_parent_data=yes own_write=yes read_faults=0 write_faults=1$'
check "cow: the parent's data is unchanged by the child's write" \
	"$out" '^cow: parent data_unchanged=yes$'

echo "1..$n"
[ "$failed" -eq 0 ]

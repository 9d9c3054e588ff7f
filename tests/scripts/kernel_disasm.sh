#!/bin/sh
# TAP suite: the kernel must not contain SSE/MMX/x87 instructions (the kernel
# does not save those registers: user values would be corrupted) nor
# stack-protector code (there is no canary set up in %gs/%fs). Disassembles
# build/kernel.elf and looks for them.
cd "$(dirname "$0")/../.." || exit 1
ELF=build/kernel.elf
[ -f "$ELF" ] || { echo "1..1"; echo "not ok 1 - $ELF exists (run make)"; exit 1; }

dis=$(objdump -d --no-show-raw-insn "$ELF")
n=0 failed=0
check() { # description, pattern that must NOT match
	n=$((n + 1))
	hits=$(printf '%s\n' "$dis" | grep -E "$2" | head -5)
	if [ -z "$hits" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$hits" | sed 's/^/#   /'
		failed=1
	fi
}
echo "1..5"
check "no SSE/AVX register use" '%[xyz]mm[0-9]'
check "no MMX register use" '%mm[0-7]'
check "no x87 instructions" '[[:space:]](f(ld|st|stp|ild|istp|add|sub|mul|div|xch|ninit|nstcw|ldcw|xsave|xrstor|wait|comi|ucomi)[a-z]*)[[:space:]]'
check "no stack-protector calls" '__stack_chk_fail'
check "no canary loads from %fs:0x28 or %gs:0x28" '%[fg]s:0x28'
exit $failed

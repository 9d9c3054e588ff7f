#!/bin/sh
# TAP suite: the kernel must not compute with SSE/MMX/x87 (those registers
# belong to the user program and are only saved at task switches) nor
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
echo "1..6"
check "no SSE/AVX register use" '%[xyz]mm[0-9]'
check "no MMX register use" '%mm[0-7]'
check "no x87 instructions" '[[:space:]](f(ld|st|stp|ild|istp|add|sub|mul|div|xch|nstcw|ldcw|wait|comi|ucomi)[a-z]*)[[:space:]]'
# Saving and restoring the user's FPU/SSE registers is the one legitimate
# use, and only in the task-switch and exec helpers.
n=$((n + 1))
stray=$(printf '%s\n' "$dis" | awk '
	/^[0-9a-f]+ <.*>:$/ { fn = $2; next }
	/[[:space:]](fxsave|fxrstor|fninit)[[:space:]]/ &&
	    fn !~ /^<(sched_init|fpu_init|fpu_save|schedule|do_execve)>:$/ { print fn, $0 }' | head -5)
if [ -z "$stray" ]; then
	echo "ok $n - fxsave/fxrstor/fninit only in the FPU switch helpers"
else
	echo "not ok $n - fxsave/fxrstor/fninit only in the FPU switch helpers"
	printf '%s\n' "$stray" | sed 's/^/#   /'
	failed=1
fi
check "no stack-protector calls" '__stack_chk_fail'
check "no canary loads from %fs:0x28 or %gs:0x28" '%[fg]s:0x28'
exit $failed

#!/bin/sh
# Real programs on the memos malloc (issue 8, claims C1, C2, C14): each runs
# once on glibc's malloc and once with LD_PRELOAD=build/host/libmemos-malloc.so
# (some with the checking mode on), and the outputs must be identical.
# Prints TAP; exits 0 iff every check passed. Run from the repo root after
# `make build/host/libmemos-malloc.so`.
SO="$(pwd)/build/host/libmemos-malloc.so"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

# check DESCRIPTION COMMAND...: one TAP line for the command's exit status.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$TMP/log" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/# /' "$TMP/log" | head -20
		failed=$((failed + 1))
	fi
}

# same_output NAME CHECKLEVEL COMMAND...: glibc's output == memos's output.
same_output() {
	name=$1
	level=$2
	shift 2
	"$@" >"$TMP/$name.glibc" 2>&1 || return 1
	env LD_PRELOAD="$SO" MEMOS_MALLOC_CHECK="$level" "$@" >"$TMP/$name.memos" 2>&1 || return 1
	cmp "$TMP/$name.glibc" "$TMP/$name.memos"
}

# A program that asks the dynamic linker who defines malloc and mallinfo2.
cat >"$TMP/who.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	Dl_info info;
	void *p = malloc(200 * 1024);
	struct mallinfo2 mi = mallinfo2();

	dladdr((void *)malloc, &info);
	printf("malloc from %s\n", info.dli_fname);
	dladdr((void *)mallinfo2, &info);
	printf("mallinfo2 from %s mmapped blocks %zu\n", info.dli_fname, mi.hblks);
	malloc_stats();
	free(p);
	return 0;
}
C
cat >"$TMP/double.c" <<'C'
#include <stdlib.h>
int main(void)
{
	char *volatile p = malloc(100);

	free(p);
	free(p);
	return 0;
}
C
cat >"$TMP/threads.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Four threads churn through malloc/realloc/free; each checks its blocks. */
static void *churn(void *arg)
{
	unsigned seed = (unsigned)(long)arg;
	char *slot[64] = {0};

	for (int i = 0; i < 200000; i++) {
		int k = rand_r(&seed) % 64;
		size_t n = 1 + rand_r(&seed) % (rand_r(&seed) % 50 ? 300 : 200000);

		if (slot[k] && slot[k][0] != (char)k)
			return (void *)1;
		free(slot[k]);
		slot[k] = rand_r(&seed) % 2 ? malloc(n) : realloc(malloc(1), n);
		memset(slot[k], k, n);
	}
	for (int k = 0; k < 64; k++)
		free(slot[k]);
	return NULL;
}
int main(void)
{
	pthread_t t[4];
	void *bad = NULL, *r;

	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		bad = bad ? bad : r;
	}
	puts(bad ? "corrupted" : "threads ok");
	return bad != NULL;
}
C
cat >"$TMP/fork.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
/* Threads keep malloc busy while the main thread forks; children malloc too. */
static volatile int stop;
static void *busy(void *arg)
{
	(void)arg;
	size_t i_local = 0;
	while (!stop)
		free(malloc((size_t)(i_local++ % 5000)));
	return NULL;
}
int main(void)
{
	pthread_t t[3];

	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, busy, NULL);
	for (int i = 0; i < 1000; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			free(malloc(100));
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	puts("fork ok");
	return 0;
}
C
cat >"$TMP/alloc.py" <<'PY'
import hashlib, random
random.seed(8)
live = {}
h = hashlib.sha256()
for i in range(200000):
    k = random.randrange(5000)
    if random.random() < 0.02:
        live[k] = bytearray(random.randrange(100000, 400000))
    else:
        live[k] = [str(j) * random.randrange(1, 20) for j in range(random.randrange(1, 30))]
    if i % 1000 == 0:
        h.update(repr(sorted(live)[:50]).encode())
        h.update(repr(live[k][:3]).encode())
print(len(live), h.hexdigest())
PY
python3 -c "
import random
random.seed(1)
w = ['alpha', 'beta', 'gamma', 'delta', 'kernel', 'page', 'brk', 'mmap']
for i in range(300000):
    print(' '.join(random.choice(w) + str(random.randrange(10**6)) for _ in range(4)))
" >"$TMP/big.txt"

check "libmemos-malloc.so is built" test -f "$SO"
check "test programs build" gcc -o "$TMP/who" "$TMP/who.c" -ldl
gcc -o "$TMP/double" "$TMP/double.c" 2>/dev/null
gcc -O2 -pthread -o "$TMP/threads" "$TMP/threads.c" 2>/dev/null
gcc -O2 -pthread -o "$TMP/fork" "$TMP/fork.c" 2>/dev/null
LD_PRELOAD="$SO" "$TMP/who" >"$TMP/who.out" 2>&1
check "malloc is interposed by libmemos-malloc.so" \
	grep -q "malloc from $SO" "$TMP/who.out"
check "mallinfo2 is ours and counts the 200 KiB mmap" \
	grep -q "mallinfo2 from $SO mmapped blocks 1" "$TMP/who.out"
check "malloc_stats prints glibc's format" grep -q "^max mmap regions = " "$TMP/who.out"
check "sort of 300000 lines matches glibc" same_output sort 0 sort "$TMP/big.txt"
check "sort -u with checking mode matches glibc" \
	same_output sortu 1 sort -u -k2 "$TMP/big.txt"
check "4 threads churning agree with glibc" same_output threads 0 "$TMP/threads"
check "4 threads churning in checking mode" same_output threadschk 1 "$TMP/threads"
check "fork while three threads malloc (checking mode)" same_output fork 1 "$TMP/fork"
check "python3 allocating heavily matches glibc" \
	same_output py 0 env PYTHONMALLOC=malloc python3 "$TMP/alloc.py"
check "python3 with checking mode matches glibc" \
	same_output pycheck 1 env PYTHONMALLOC=malloc python3 "$TMP/alloc.py"
check "gcc -c gives the same object file" \
	same_output gcc 0 sh -c "gcc -O2 -c -iquote libc/include libc/malloc.c -o $TMP/o.o && objdump -d $TMP/o.o | tail -n +3"
check "gcc -c with checking mode gives the same object file" \
	same_output gccchk 1 sh -c "gcc -O2 -c -iquote libc/include libc/malloc.c -o $TMP/o.o && objdump -d $TMP/o.o | tail -n +3"

# The checking mode must turn a double free into SIGABRT with a one-line message.
LD_PRELOAD="$SO" MEMOS_MALLOC_CHECK=1 "$TMP/double" 2>"$TMP/double.err"
status=$?
check "double free aborts (SIGABRT, status $status)" test "$status" -eq 134
check "double free message names the pointer" \
	grep -q "^memos-malloc: free: double free of 0x" "$TMP/double.err"

# The GDB recipe of docs/malloc.md: the 16 bytes in front of a freed pointer.
cat >"$TMP/gdb.cmd" <<GDB
set pagination off
set startup-with-shell off
set breakpoint pending on
set environment LD_PRELOAD $SO
break libc/malloc.c:free if p != 0
run
x/2gx (char *)p - 16
p/d ((unsigned long *)p)[-1] & 15
p/d (((unsigned long *)p)[-1] & ~15) - 8
kill
GDB
timeout 30 gdb -q -batch -x "$TMP/gdb.cmd" --args sort /etc/passwd >"$TMP/gdb.out" 2>&1
check "gdb recipe stops in our free" grep -q "at libc/malloc.c:" "$TMP/gdb.out"
flags=$(sed -n 's/^\$1 = //p' "$TMP/gdb.out")
usable=$(sed -n 's/^\$2 = //p' "$TMP/gdb.out")
check "gdb recipe reads flags 1 (in use) from the header" test "$flags" = 1
check "gdb recipe reads a usable size of 16k+8 ($usable)" test $((${usable:-0} % 16)) -eq 8

echo "1..$n"
[ "$failed" -eq 0 ]

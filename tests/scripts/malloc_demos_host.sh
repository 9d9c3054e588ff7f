#!/bin/sh
# TAP suite: the malloc demos (trace, malloc-threshold, malloc-header,
# free-return, mmap-vs-brk, fragmentation; docs/malloc-demos.md) on the
# HOST's Linux, with the same checks as in memos (tests/qemu/malloc_guest.py
# --host). Outputs are kept in build/malloc-host/.
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/malloc_guest.py --host

#!/bin/sh
# TAP suite: the malloc demos in QEMU (tests/qemu/malloc_guest.py): trace,
# malloc-threshold, malloc-header, free-return, mmap-vs-brk and
# fragmentation run in memos' shell; their summary lines are compared with
# the same binaries on the host.
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/malloc_guest.py

#!/bin/sh
# TAP suite: file pages in QEMU (tests/qemu/filecache_guest.py): writes
# through the page cache, write-back, file mappings, program text from
# the page cache and the filecache demo, on the disk's ext2.
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/filecache_guest.py

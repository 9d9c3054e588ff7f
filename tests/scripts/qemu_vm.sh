#!/bin/sh
# TAP suite: virtual memory in QEMU (tests/qemu/vm_guest.py): vm-test and
# the demos lazy, faults and cow run in memos' shell on a 64 MiB machine.
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/vm_guest.py

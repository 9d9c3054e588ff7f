#!/bin/sh
# TAP suite: the shell and the user programs in QEMU (tests/qemu/userspace.py).
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/userspace.py

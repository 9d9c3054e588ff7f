#!/bin/sh
# TAP suite: the OOM killer in QEMU (tests/qemu/oom_guest.py).
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/oom_guest.py

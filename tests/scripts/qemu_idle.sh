#!/bin/sh
# TAP suite: idle-page reclaim in QEMU (tests/qemu/idle_guest.py).
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/idle_guest.py

#!/bin/sh
# TAP suite: swap and reclaim in QEMU (tests/qemu/swap_guest.py).
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/swap_guest.py

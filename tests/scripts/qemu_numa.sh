#!/bin/sh
# TAP suite: NUMA topology, policies, zone_reclaim_mode and counters in QEMU
# (tests/qemu/numa_guest.py).
cd "$(dirname "$0")/../.." && exec python3 tests/qemu/numa_guest.py

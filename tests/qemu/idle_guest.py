#!/usr/bin/env python3
"""TAP suite: idle-page reclaim, kidled (concept C13, "memory sits idle").

Boots memos with 64 MiB of RAM (no memory pressure for a 4 MiB working
set) and the swap partition of build/disk.img. idle-swap fills 4 MiB with
checksummed data, keeps a quarter hot (touched every 100 ms) and leaves
the rest idle, printing every second how many of its idle and hot pages
are resident (mincore) and the system's pswpout.

- reclaimer off (the default): nothing moves, kidled's counters stay still;
- bad sysctl values give EINVAL;
- reclaimer on with a 500 ms period and a 2 s age: every idle page is in
  swap within 10 s (20 periods), every hot page stays resident the whole
  time, touching the idle part brings it back with one major fault per
  page, checksums intact, and pgscan_idle / pgsteal_idle / kidled_scans /
  pswpout / pswpin move;
- no leak: after swapoff + swapon + drop_caches, SwapFree == SwapTotal and
  MemFree + Cached + Slab is back to its baseline (taken after kidled's
  one-time start; guest.free_kb).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, check, field, free_kb, tap_report  # noqa: E402

ROW = re.compile(r"^\s*(\d+)s\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/(\d+)\s+(\d+)/(\d+)\s*$", re.M)
BACK = re.compile(r"touched everything again in [\d.]+ s: (\d+) major faults, swap_ra_hit \+(\d+), "
                  r"pswpin \+(\d+)")


def counters(g):
    out = g.run("cat /proc/vmstat")[0]
    return {k: field(out, k) for k in ("pgscan_idle", "pgsteal_idle", "kidled_scans", "pswpout",
                                       "pswpin", "pgmajfault", "kidled_skip_kswapd", "swap_ra_hit",
                                       "pgsteal_anon", "pgsteal_file")}


def delta(a, b):
    return {k: b[k] - a[k] for k in a}


def scenario():
    with Guest(mem="64M", timeout=30) as g:
        try:
            g.expect(r"Adding \d+k swap on /dev/sda2", 20)
            g.expect(r"(?<![^\n])\$ ", 20)
        except Timeout as e:
            check(False, "boots with swap", str(e))
            return
        out, st = g.run("cat /proc/sys/vm/idle_reclaim_secs /proc/sys/vm/idle_reclaim_scan_ms")
        check(st == 0 and out.split() == ["0", "1000"],
              "idle_reclaim_secs is 0 (off) by default, idle_reclaim_scan_ms 1000", out)
        for path, bad in (("idle_reclaim_secs", "x"), ("idle_reclaim_secs", "-1"),
                          ("idle_reclaim_secs", "86401"), ("idle_reclaim_secs", "2s"),
                          ("idle_reclaim_scan_ms", "9"), ("idle_reclaim_scan_ms", "60001")):
            out, st = g.run(f"echo {bad} > /proc/sys/vm/{path}")
            check(st == 1 and "Invalid argument" in out, f"{path} = '{bad}' gives EINVAL", out)
        out, _ = g.run("cat /proc/sys/vm/idle_reclaim_secs /proc/sys/vm/idle_reclaim_scan_ms")
        check(out.split() == ["0", "1000"], "the bad writes changed nothing", out)
        out, st = g.run("cat /proc/sys/vm/page-cluster")
        out2, st2 = g.run("echo 32 > /proc/sys/vm/page-cluster")
        out3, _ = g.run("cat /proc/sys/vm/page-cluster")
        check(out.strip() == "3" and st2 == 1 and "Invalid argument" in out2 and out3.strip() == "3",
              "page-cluster is 3 (Linux's default), 32 gives EINVAL", out + out2 + out3)

        # Off: nothing moves, kidled does not even run.
        c0 = counters(g)
        out, st = g.run("idle-swap 4 25 4 0", timeout=120)
        rows = ROW.findall(out)
        c1 = counters(g)
        d = delta(c0, c1)
        check(st == 0 and "reclaimer is off" in out and len(rows) == 5
              and all(int(r[3]) == 0 and r[4] == r[5] and r[6] == r[7] for r in rows),
              "reclaimer off: idle pages stay resident, pswpout does not move", out)
        check(d["pgscan_idle"] == d["pgsteal_idle"] == d["kidled_scans"] == 0 and d["pswpout"] == 0,
              "reclaimer off: no scan at all (pgscan_idle, kidled_scans unchanged)", str(d))

        # Start kidled once with an age nothing reaches, then stop it: its
        # side table and thread are allocated once, before the baseline.
        g.run("echo 86400 > /proc/sys/vm/idle_reclaim_secs")
        g.run("echo 0 > /proc/sys/vm/idle_reclaim_secs")
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        mem0, _ = g.run("cat /proc/meminfo")
        free0, swaptotal = free_kb(mem0), field(mem0, "SwapTotal")
        check(swaptotal and field(mem0, "SwapFree") == swaptotal, "baseline: all swap free", mem0)

        # On: 500 ms period, pages idle for 2 s go to swap.
        out, st = g.run("echo 500 > /proc/sys/vm/idle_reclaim_scan_ms")
        out2, st2 = g.run("echo 2 > /proc/sys/vm/idle_reclaim_secs")
        check(st == st2 == 0, "idle_reclaim_scan_ms = 500 and idle_reclaim_secs = 2 accepted",
              out + out2)
        c0 = counters(g)
        out, st = g.run("idle-swap 4 25 10 0", timeout=240)
        g.run("echo 0 > /proc/sys/vm/idle_reclaim_secs")
        c1 = counters(g)
        d = delta(c0, c1)
        rows = [tuple(map(int, r)) for r in ROW.findall(out)]
        idle = rows[0][5] if rows else 0
        gone = [r[0] for r in rows if r[4] == 0]
        check(len(rows) == 11 and rows[0][4] == idle == 768,
              "idle-swap: 768 idle pages, all resident at the start", out)
        check(gone and rows[-1][4] == 0 and rows[-1][2] >= idle * 4,
              f"reclaimer on: every idle page is in swap within 10 s (20 periods; all out at "
              f"{gone[0] if gone else '-'} s), VmSwap >= {idle * 4} kB", out)
        check(rows and all(r[6] == r[7] == 256 for r in rows),
              "hot pages (touched every 100 ms) stay resident the whole time", out)
        check(rows and rows[-1][3] >= idle, "pswpout, as idle-swap saw it, counts them", out)
        m = BACK.search(out)
        check(m and int(m.group(1)) + int(m.group(2)) >= idle and int(m.group(3)) >= idle
              and int(m.group(1)) >= idle >> 3,
              "touching the idle part reads every page back (pswpin): a major fault each, or a "
              "readahead hit (page-cluster 3: at least one major fault per 8 pages)", out)
        check(st == 0 and re.search(r"1024 pages checked, 0 mismatched words", out),
              "checksums intact after the round trip", out)
        # Idle anonymous pages go to swap; idle file pages (the text of
        # programs on the disk root) are dropped: pgsteal_idle counts both.
        check(d["pgsteal_idle"] >= idle and d["pgscan_idle"] >= d["pgsteal_idle"]
              and d["kidled_scans"] >= 4 and d["pswpout"] >= idle
              and d["pgsteal_anon"] + d["pgsteal_file"] >= d["pgsteal_idle"]
              and d["pswpout"] + d["pgsteal_file"] >= d["pgsteal_idle"]
              and d["pswpin"] >= idle and d["pgmajfault"] + d["swap_ra_hit"] >= idle,
              "counters move: pgscan_idle >= pgsteal_idle >= idle pages, kidled_scans, pswpout "
              "(+ pgsteal_file for idle text) >= pgsteal_idle, pswpin, pgmajfault + swap_ra_hit",
              str(d))
        check(d["kidled_skip_kswapd"] == 0, "no memory pressure: kidled never yielded to kswapd",
              str(d))

        # Other processes' idle pages (the shell's) went to swap too; swapoff
        # brings everything back, then nothing may be missing.
        out, st = g.run("swapoff /dev/sda2", timeout=120)
        out2, st2 = g.run("swapon /dev/sda2")
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        mem1, _ = g.run("cat /proc/meminfo")
        check(st == st2 == 0 and field(mem1, "SwapFree") == field(mem1, "SwapTotal") == swaptotal,
              "no slot leaked: after swapoff and swapon SwapFree == SwapTotal", out + out2 + mem1)
        check(free_kb(mem1) == free0,
              f"no frame leaked: MemFree + Cached + Slab back to {free0} kB ({free_kb(mem1)})",
              mem1)
        g.send("poweroff\n")
        g.wait_exit(10)


def main():
    scenario()
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())

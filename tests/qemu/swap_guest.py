#!/usr/bin/env python3
"""TAP suite: swap and reclaim as a user sees them (concepts C6, C13).

Boots memos with 32 MiB of RAM and the 128 MiB swap partition of
build/disk.img, runs swap-stress with a working set larger than RAM, and
checks the data survived, the kernel's counters moved (refault detection's
and the adaptive readahead window's among them), swapoff brings
everything back (MemFree + Cached + Slab and SwapFree to their baselines), and that a
missing or unformatted swap partition gives a clear message and a system
that runs without swap.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, ROOT, check, field, free_kb, tap_report  # noqa: E402

SWAP_SECTOR = None  # first sector of sda2, read from the image's table


def vmstat(g):
    return g.run("cat /proc/vmstat")[0]


def main_scenario():
    with Guest(mem="32M", timeout=30) as g:
        try:
            g.expect(r"Adding \d+k swap on /dev/sda2\.  Priority:-2 extents:1 across:\d+k", 15)
            g.expect(r"(?<![^\n])\$ ", 15)
            check(True, "swap partition enabled at boot with Linux's message")
        except Timeout as e:
            check(False, "swap partition enabled at boot with Linux's message", str(e))
            return
        # Read the disk's files once so ext2's inodes (kept in memory, like
        # Linux's inode cache) exist before the baseline is taken.
        g.run("swappiness 1 /mnt/bin 60", timeout=60)
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        mem0, _ = g.run("cat /proc/meminfo")
        free0, swaptotal, swapfree0 = (free_kb(mem0), field(mem0, "SwapTotal"),
                                       field(mem0, "SwapFree"))
        check(swaptotal and swapfree0 == swaptotal, f"SwapTotal {swaptotal} kB, all free")
        out, _ = g.run("cat /proc/swaps")
        check(re.match(r"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                       r"/dev/sda2 +partition\t\d+\t\t0\t\t-2\n$", out),
              "/proc/swaps in Linux's layout", out)
        v0 = vmstat(g)
        out, st = g.run("swap-stress 40 1", timeout=240)
        m = {k: field(out, k) for k in ("mismatches", "pswpout", "pswpin", "pgmajfault")}
        check(st == 0 and m["mismatches"] == 0,
              "a 40 MiB working set on 32 MiB of RAM comes back intact (0 mismatches)", out)
        v1 = vmstat(g)
        delta = {k: field(v1, k) - field(v0, k) for k in (
            "pswpout", "pswpin", "pgmajfault", "pgscan_kswapd", "pgsteal_kswapd", "pgscan_anon",
            "pgsteal_anon", "pageoutrun", "pgactivate", "pgscan_direct", "allocstall", "swap_ra",
            "swap_ra_hit", "pgpgin")}
        # pgmajfault counts file major faults too (program text dropped under
        # this pressure and read back from the disk root), so pgmajfault +
        # swap_ra - pswpin is the file part: never negative, and never more
        # than the pages read from the disk that were not swap (pgpgin).
        file_major = delta["pgmajfault"] + delta["swap_ra"] - delta["pswpin"]
        check(m["pswpout"] and m["pswpin"] and m["pgmajfault"] > 0
              and 0 <= file_major <= delta["pgpgin"] // 4 - delta["pswpin"]
              and delta["swap_ra_hit"] <= delta["swap_ra"],
              f"pages went out ({m['pswpout']}) and came back in ({m['pswpin']}): every read is a "
              f"major fault's or swap readahead's (pswpin = pgmajfault - file major faults + "
              f"swap_ra, file major faults {file_major} <= file pages read: {delta})", out)
        check(delta["pswpout"] >= m["pswpout"] and delta["pswpin"] >= m["pswpin"],
              "/proc/vmstat's pswpout and pswpin count them", str(delta))
        check(delta["pgscan_kswapd"] > 0 and delta["pgsteal_kswapd"] > 0 and delta["pageoutrun"] > 0,
              "kswapd ran in the background (pgscan_kswapd, pgsteal_kswapd, pageoutrun)", str(delta))
        check(delta["pgscan_anon"] >= delta["pgsteal_anon"] > 0,
              "anon pages scanned and stolen (pgscan_anon >= pgsteal_anon > 0)", str(delta))
        check(delta["pgactivate"] > 0, "referenced pages got a second chance (pgactivate)",
              str(delta))
        workingset_scenario(g)
        # Shared anonymous memory is swapped too (Linux's shmem): a child
        # reads, through the object, what its parent wrote before the
        # pages went out; nothing of it stays resident once it is unmapped.
        v2 = vmstat(g)
        out, st = g.run("swap-stress -s 12 1 /dev/sda2", timeout=240)
        v3 = vmstat(g)
        mem, _ = g.run("cat /proc/meminfo")
        check(st == 0 and field(out, "mismatches") == 0
              and re.search(r"^swapoff /dev/sda2: 0$", out, re.M)
              and field(v3, "pswpout") - field(v2, "pswpout") >= 12 * 256 // 2
              and (field(out, "resident before swapoff") or 0) < 12 * 256 // 2
              and field(v3, "pswpin") > field(v2, "pswpin") and field(mem, "Shmem") == 0,
              "shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) goes to swap and comes back "
              "intact to a forked child, and through swapoff; Shmem back to 0 after munmap",
              out + mem)
        out, st = g.run("reclaim 40", timeout=240)
        stalls = [int(x) for x in re.findall(r"allocstall +(\d+)", out)]
        kswapd_steal = [int(x) for x in re.findall(r"pgsteal_kswapd +(\d+)", out)]
        direct_steal = [int(x) for x in re.findall(r"pgsteal_direct +(\d+)", out)]
        check(len(stalls) == 3 and kswapd_steal[0] > direct_steal[0] and stalls[0] < stalls[1],
              "C6: a slow allocator is served mostly by kswapd, a fast one stalls in direct "
              f"reclaim (allocstall {stalls[:2]})", out)
        check(len(stalls) == 3 and stalls[2] < stalls[1],
              f"C11: a higher min_free_kbytes cuts the stalls (allocstall {stalls[1:]})", out)
        out, st = g.run("swappiness 28 /mnt/bin 0 200", timeout=240)
        rows = {int(v): (int(o), int(f)) for v, o, f in re.findall(
            r"swappiness +(\d+):.*pswpout +(\d+) .*pgsteal_file +(\d+)", out)}
        check(0 in rows and 200 in rows and rows[0][1] > rows[200][1] and rows[200][0] > rows[0][0],
              "C10: swappiness 0 drops file pages first, 200 swaps anon instead "
              f"(pswpout, pgsteal_file: {rows})", out)
        check(0 in rows and rows[0][1] > 0 and "pgsteal_file" in out,
              "C9: clean file pages are dropped without I/O (pgsteal_file)", out)
        out, st = g.run("free")
        check(re.search(rf"^Swap:\s+{swaptotal}\s+\d+\s+\d+$", out, re.M), "free shows the swap",
              out)
        out, st = g.run("swapoff /dev/sda2", timeout=120)
        out2, _ = g.run("cat /proc/swaps")
        mem1, _ = g.run("cat /proc/meminfo")
        check(st == 0 and out2.count("\n") == 1 and field(mem1, "SwapTotal") == 0,
              "swapoff brings every page back and removes the area", out + out2)
        out, st = g.run("swapon /dev/sda2")
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        mem2, _ = g.run("cat /proc/meminfo")
        # What drop_caches cannot drop is the text of running programs: init,
        # sh and cat are mapped (Mapped), and the echo that wrote to
        # drop_caches was mapped while it ran (its few pages, under 64 kB).
        check(field(mem2, "Cached") <= field(mem2, "Mapped") + 64 and field(mem2, "Dirty") == 0,
              "drop_caches empties the page cache but for the text of running programs", mem2)
        check(free_kb(mem2) == free0,
              f"no frame leaked: after swapoff, swapon and drop_caches MemFree + Cached + Slab is "
              f"back to {free0} kB ({free_kb(mem2)})")
        check(st == 0 and field(mem2, "SwapFree") == field(mem2, "SwapTotal") == swaptotal,
              "swapon again: every slot free (no slot leaked)", mem2)
        out, st = g.run("swapon /dev/sda2")
        check(st == 1 and "Device or resource busy" in out, "a second swapon is refused (EBUSY)", out)
        out, st = g.run("swapoff /dev/sdz9")
        check(st == 1 and "Invalid argument" in out, "swapoff of a non-swap device: EINVAL", out)
        g.send("poweroff\n")
        g.wait_exit(10)


WORKINGSET = ("workingset_refault_anon", "workingset_activate_anon", "workingset_restore_anon",
              "pswpin", "pgmajfault", "swap_ra")


def workingset_scenario(g):
    """Refault detection and the adaptive readahead window, from their
    counters: two passes over 24 MiB refault pages that were active, and
    random faults (page-trace hotcold) shrink the window to nothing."""
    v0 = vmstat(g)
    out, st = g.run("swap-stress 24 2", timeout=240)
    v1 = vmstat(g)
    d = {k: field(v1, k) - field(v0, k) for k in WORKINGSET}
    check(st == 0 and field(out, "mismatches") == 0
          and 0 < d["workingset_restore_anon"] <= d["workingset_activate_anon"]
          <= d["workingset_refault_anon"] <= d["pswpin"],
          "refaults found their shadow entries (workingset_refault_anon), the near ones were "
          "activated (workingset_activate_anon), among them pages active before eviction "
          f"(workingset_restore_anon): {d}", out)
    out, st = g.run("page-trace hotcold 8000 40000 2700 1", timeout=240)
    v2 = vmstat(g)
    d = {k: field(v2, k) - field(v1, k) for k in WORKINGSET}
    check(st == 0 and d["pgmajfault"] > 100 and d["swap_ra"] * 8 < d["pgmajfault"],
          f"random swap faults shrink the readahead window to nothing (swap_ra {d['swap_ra']} "
          f"for {d['pgmajfault']} major faults)", out)


LABELS = {"none": "no disk", "wiped": "unformatted swap",
          "corrupt": "corrupt swap header (last_page past the end)"}


def broken_swap_scenario(kind):
    """Boots with no disk, with the swap signature wiped, or with a corrupt
    header (a last_page beyond the partition, as after a partition was
    shrunk under its swap area)."""
    tmp = None
    if kind == "none":
        disk, want = "none", r"ata1\.00: no device"
    else:
        tmp = tempfile.NamedTemporaryFile(suffix=".img", delete=False)
        tmp.close()
        subprocess.run(["cp", "--sparse=always", os.path.join(ROOT, "build", "disk.img"), tmp.name],
                       check=True)
        with open(tmp.name, "r+b") as f:
            if kind == "wiped":
                f.seek(SWAP_SECTOR * 512 + 4086)
                f.write(b"\0" * 10)
                msg = r"Unable to find swap-space signature"
            else:  # union swap_header: version at byte 1024, last_page at 1028
                f.seek(SWAP_SECTOR * 512 + 1028)
                f.write((0x7fffffff).to_bytes(4, "little"))
                msg = r"Swap area shorter than signature indicates"
        disk, want = tmp.name, msg + r"\n.*swap: /dev/sda2 not enabled; running without it"
    try:
        with Guest(mem="32M", disk=disk) as g:
            try:
                g.expect(want, 15)
                g.expect(r"(?<![^\n])\$ ", 15)
                out, st = g.run("cat /proc/swaps")
                mem, _ = g.run("cat /proc/meminfo")
                check(out.count("\n") == 1 and field(mem, "SwapTotal") == 0,
                      f"{LABELS[kind]}: a clear message, "
                      "and the system runs without swap", out)
                g.send("poweroff\n")
                g.wait_exit(10)
            except Timeout as e:
                check(False, f"{kind}: clear message and boot without swap", str(e))
    finally:
        if tmp:
            shutil.os.unlink(tmp.name)


def main():
    global SWAP_SECTOR
    table = subprocess.run(["sfdisk", "-d", os.path.join(ROOT, "build", "disk.img")],
                           capture_output=True, text=True).stdout
    m = re.search(r"img2 : start=\s*(\d+)", table)
    SWAP_SECTOR = int(m.group(1)) if m else 262144
    main_scenario()
    broken_swap_scenario("none")
    broken_swap_scenario("wiped")
    broken_swap_scenario("corrupt")
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())

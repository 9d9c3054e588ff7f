#!/usr/bin/env python3
"""TAP suite: NUMA as a user sees it (concept C12, docs/numa.md).

Boots memos with 1, 2 and 4 QEMU NUMA nodes of uneven sizes and custom
SLIT distances (tools/qemu.sh NUMA=, NUMA_SIZES=, NUMA_DIST=), and with a
SLIT that breaks Linux's rules (injected with -acpitable), and checks:
the topology the kernel parsed (boot log, numactl -H, /sys files)
matches QEMU's arguments; fallback lists follow distance; every policy
puts each page where it should (asked page by page through
get_mempolicy MPOL_F_NODE|MPOL_F_ADDR by user/numa-test); the errno
cases; zone_reclaim_mode changes where pages land (user/numa-demo); the
counters add up; no frame is leaked on any node.
"""
import os
import re
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, check, tap_report  # noqa: E402

PROMPT = r"(?<![^\n])\$ "


def boot(nodes, sizes="", dist="", qemu_args=(), mem="128M"):
    env = dict(NUMA=str(nodes) if nodes else "", NUMA_SIZES=sizes, NUMA_DIST=dist)
    return Guest(mem=mem, timeout=30, env=env, qemu_args=qemu_args)


def fallback_order(matrix, local):
    """Nodes sorted by distance from local, ties by id (Linux's build_zonelists)."""
    return sorted(range(len(matrix)), key=lambda n: (matrix[local][n], n))


def numactl_h(out):
    sizes = {int(n): int(v) for n, v in re.findall(r"^node (\d+) size: (\d+) MB$", out, re.M)}
    rows = re.findall(r"^\s*(\d+):((?:\s+\d+)+)\s*$", out, re.M)
    matrix = [[int(x) for x in r[1].split()] for r in rows]
    return sizes, matrix


def node_field(g, nid, key):
    out, _ = g.run(f"cat /sys/devices/system/node/node{nid}/meminfo")
    m = re.search(rf"^Node {nid} {re.escape(key)}:\s+(\d+) kB$", out, re.M)
    return int(m.group(1)) if m else None


def vmstat(g):
    out, _ = g.run("cat /proc/vmstat")
    return {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)$", out, re.M)}


def place(g, target, mode, nodes, pages):
    out, st = g.run(f"numa-test place {target} {mode} {nodes} {pages}", timeout=60)
    placed = {int(n): int(c) for n, c in re.findall(r"node(\d+)=(\d+)", out.split("\n")[0])}
    seq = re.search(r"^sequence: (\d*)$", out, re.M)
    return placed, (seq.group(1) if seq else ""), out, st


def topology_checks(g, log, nodes, sizes_mb, matrix, name):
    """What the kernel printed and exports against what QEMU was told."""
    if nodes > 1:
        srat_nodes = set(int(n) for n in re.findall(r"ACPI: SRAT: Node (\d+) PXM \1 ", log))
        check(srat_nodes == set(range(nodes)), f"{name}: SRAT gives nodes 0-{nodes - 1}",
              str(srat_nodes))
    for nid in range(nodes):
        want = " ".join(str(n) for n in fallback_order(matrix, nid))
        check(re.search(rf"^\[[ .\d]+\] Fallback order for Node {nid}: {want}$", log, re.M),
              f"{name}: fallback order for node {nid} is {want} (by distance, ties by id)")
    out, _ = g.run("numactl -H")
    check(re.search(rf"^available: {nodes} nodes \(0" + (f"-{nodes - 1}" if nodes > 1 else "")
                    + r"\)$", out, re.M), f"{name}: numactl -H: available: {nodes} nodes", out)
    got_sizes, got_matrix = numactl_h(out)
    check(got_matrix == matrix, f"{name}: numactl -H distance matrix is QEMU's", out)
    # Node 0 holds the kernel, mem_map and initramfs; the last node loses
    # the 128 KiB the firmware keeps at the top of RAM (so one MB less).
    ok = all(sizes_mb[n] - 1 <= got_sizes.get(n, -1) <= sizes_mb[n] for n in range(1, nodes))
    ok &= 0 < got_sizes.get(0, 0) <= sizes_mb[0]
    check(ok, f"{name}: node sizes match NUMA_SIZES {sizes_mb} MB", str(got_sizes))
    check(re.search(r"^node 0 cpus: 0$", out, re.M)
          and all(re.search(rf"^node {n} cpus:$", out, re.M) for n in range(1, nodes)),
          f"{name}: the CPU is on node 0, other nodes are memory-only", out)
    online, _ = g.run("cat /sys/devices/system/node/online")
    check(online.strip() == ("0" if nodes == 1 else f"0-{nodes - 1}"),
          f"{name}: /sys/devices/system/node/online", online)
    rows = [g.run(f"cat /sys/devices/system/node/node{n}/distance")[0].strip()
            for n in range(nodes)]
    check(rows == [" ".join(map(str, r)) for r in matrix],
          f"{name}: /sys/devices/system/node/nodeN/distance rows", str(rows))


def two_nodes():
    sizes, matrix = [48, 48], [[10, 30], [30, 10]]
    with boot(2, "48M,48M", "0-1=30") as g:
        try:
            g.expect(PROMPT, 30)
        except Timeout as e:
            check(False, "2 nodes: boots to the shell", str(e))
            return
        log = g.log
        check(re.search(r"ACPI: SRAT: Node 1 PXM 1 \[mem 0x03000000-0x05ffffff\]", log),
              "2 nodes: node 1 at [mem 0x03000000-0x05ffffff] as Linux logs it")
        check(re.search(r"NUMA: Initialized distance table, cnt=2", log), "2 nodes: SLIT read")
        topology_checks(g, log, 2, sizes, matrix, "2 nodes")

        # Warm ext2's inodes (numa-demo reads all of /mnt/bin), drop the
        # cache: the per-node baseline.
        g.run("numa-test read /mnt/bin", timeout=60)
        g.run("echo 1 > /proc/sys/vm/drop_caches")
        base = [node_field(g, n, "MemFree") for n in range(2)]

        out, st = g.run("numa-test errno")
        fails = re.findall(r"^FAIL .*$", out, re.M)
        check(st == 0 and not fails and len(re.findall(r"^PASS ", out, re.M)) >= 25,
              "policy syscalls: Linux's errno for bad modes, masks, flags, pointers, holes",
              out)
        for target in ("task", "vma"):
            placed, seq, out, st = place(g, target, "bind", "1", 32)
            check(st == 0 and placed == {0: 0, 1: 32}, f"{target} MPOL_BIND 1: 32/32 pages on node 1", out)
            if target == "task":
                d = re.search(r"delta node1: numa_hit=(\d+)", out)
                check(d and int(d.group(1)) >= 32, "bind 1: node 1's numa_hit rose by >= 32", out)
            placed, seq, out, st = place(g, target, "preferred", "1", 32)
            check(st == 0 and placed == {0: 0, 1: 32}, f"{target} MPOL_PREFERRED 1: on node 1", out)
            placed, seq, out, st = place(g, target, "interleave", "0,1", 32)
            alternates = len(seq) == 32 and all(seq[i] != seq[i + 1] for i in range(31))
            check(st == 0 and placed == {0: 16, 1: 16} and alternates,
                  f"{target} MPOL_INTERLEAVE 0,1: 16/16, alternating page by page", out)
            placed, seq, out, st = place(g, target, "local", "-", 32)
            check(st == 0 and placed == {0: 32, 1: 0}, f"{target} MPOL_LOCAL: on the CPU's node 0", out)
        placed, seq, out, st = place(g, "task", "default", "-", 32)
        check(st == 0 and placed == {0: 32, 1: 0}, "MPOL_DEFAULT: on node 0", out)
        out, st = g.run("numa-test inherit")
        check(st == 0 and "inherit: PASS" in out, "the task policy is inherited across fork", out)
        out, st = g.run("numa-test merge")
        check(st == 0, "mbind splits a VMA in 3, MPOL_DEFAULT merges it back", out)
        out, st = g.run("numa-test move 1 64")
        check(st == 0 and "before: node0=64 node1=0" in out and "after: node0=0 node1=64" in out
              and "data intact: yes" in out,
              "mbind MPOL_MF_MOVE migrates 64 pages from node 0 to node 1, data intact", out)
        check("shared with a child, MOVE|STRICT: Input/output error" in out,
              "MOVE leaves pages shared copy-on-write; with STRICT that is EIO", out)
        out, _ = g.run("numactl --interleave=0,1 numactl --show")
        check(re.search(r"^policy: interleave$", out, re.M)
              and re.search(r"^interleavemask: 0 1 $", out, re.M),
              "numactl --interleave runs the command under the policy (kept by execve)", out)
        out, _ = g.run("numactl --membind=1 numa-test place vma default - 16")
        check(re.search(r"^placed: node0=0 node1=16$", out, re.M),
              "numactl --membind=1: a default-policy program's pages land on node 1", out)

        v0 = vmstat(g)
        g.run("numa-test place task interleave 0,1 64")
        v1 = vmstat(g)
        alloc = v1["pgalloc_normal"] - v0["pgalloc_normal"]
        counted = (v1["numa_hit"] + v1["numa_miss"]) - (v0["numa_hit"] + v0["numa_miss"])
        check(alloc > 64 and counted == alloc,
              f"numa_hit + numa_miss rose by exactly the pages allocated ({counted} = {alloc})")
        check(v1["numa_miss"] == v1["numa_foreign"],
              f"every numa_miss on one node is a numa_foreign on another ({v1['numa_miss']})")
        check(v1["interleave_hit"] - v0["interleave_hit"] >= 64, "interleave_hit counts the run")
        out, _ = g.run("numastat")
        rows = {m[0]: [int(x) for x in m[1].split()]
                for m in re.findall(r"^(\w+)((?:\s+\d+){2})$", out, re.M)}
        ok = len(rows) == 6 and re.search(r"^\s+node0\s+node1$", out, re.M)
        ok = ok and all(rows["numa_hit"][n] + rows["numa_miss"][n]
                        == rows["local_node"][n] + rows["other_node"][n] for n in range(2))
        ok = ok and rows["other_node"][0] == 0 and rows["local_node"][1] == 0
        check(ok, "numastat: per node, hit + miss = local + other; the CPU is on node 0", out)

        out, st = g.run("numa-demo 12", timeout=120)
        res = re.findall(r"^result: (\d+) of (\d+) pages on node 0, (\d+) on other nodes; "
                         r"node 0 page cache (\d+) -> (\d+) kB$", out, re.M)
        il = re.search(r"^result: node 0: (\d+) pages node 1: (\d+) pages \(of 2048\)$", out, re.M)
        if st != 0 or len(res) != 2 or not il:
            check(False, "numa-demo runs its three parts", out)
        else:
            (on0_m0, tot0, off0, c0a, c0b), (on0_m1, tot1, off1, c1a, c1b) = \
                [[int(x) for x in r] for r in res]
            check(off0 > 0 and c0b >= c0a * 9 // 10,
                  f"zone_reclaim_mode=0: {off0} pages spill to node 1, node 0's page cache "
                  f"stays ({c0a} -> {c0b} kB)", out)
            check(c1b < c1a // 4 and on0_m1 > on0_m0 + (c1a - c1b) // 4 // 2,
                  f"zone_reclaim_mode=1: node 0 drops its page cache ({c1a} -> {c1b} kB) and "
                  f"keeps {on0_m1 - on0_m0} more pages local ({on0_m0} -> {on0_m1})", out)
            m = re.findall(r"^\s+1\s.*\+(\d+)\s+\+(\d+)\s+\+(\d+)\s+\+(\d+)$", out, re.M)
            check(m and int(m[0][1]) >= off0,
                  "zone_reclaim_mode=0: node 1's numa_miss rose by at least the spilled pages",
                  out)
            n0, n1 = int(il.group(1)), int(il.group(2))
            check(abs(n0 - n1) <= 8, f"interleave spreads 2048 pages evenly ({n0}/{n1})", out)
        out, _ = g.run("cat /proc/sys/vm/zone_reclaim_mode")
        check(out.strip() == "0", "numa-demo leaves zone_reclaim_mode at 0")
        out, st = g.run("echo 8 > /proc/sys/vm/zone_reclaim_mode")
        check(st != 0, "zone_reclaim_mode rejects 8 (bits 1, 2, 4 only)", out)

        g.run("echo 1 > /proc/sys/vm/drop_caches")
        after = [node_field(g, n, "MemFree") for n in range(2)]
        check(after == base, f"no frames leaked on any node: MemFree {base} -> {after} kB")

        reclaim_bits(g)

        # A bound task that outgrows its node, without swap: the OOM killer
        # is constrained to tasks bound there (Linux's CONSTRAINT_MEMORY_POLICY),
        # so it kills the offender, not the shell on node 0.
        g.run("swapoff /dev/sda2", timeout=60)
        out, st = g.run("numactl --membind=1 numa-test place vma default - 20000", timeout=120)
        check(re.search(r"Out of memory: Killed process \d+ \(numa-test\)", out) and st != 0,
              "bound to node 1 and out of it: the OOM killer kills that task", out[-1500:])
        out, st = g.run("echo alive")
        check(st == 0 and "alive" in out, "the shell on node 0 survives")


def reclaim_bits(g):
    """zone_reclaim_mode 1, 3 and 5 on node 0 holding dirty page cache
    (4 MB written to /mnt/data/big, no fsync), clean page cache (/mnt/bin)
    and 8 MiB of another process's anonymous memory, each time a process
    preferring node 0 allocating node 0's free memory + 4 MB: 1 drops only
    clean cache, 3 also writes the dirty pages back, 5 also swaps."""
    # The flusher must not write the dirty pages behind the test's back.
    flusher, _ = g.run("cat /proc/sys/vm/dirty_writeback_centisecs")
    g.run("echo 0 > /proc/sys/vm/dirty_writeback_centisecs")
    out, _ = g.run("hog 8 & sleep 2", timeout=60)
    hog = re.search(r"hog: pid (\d+)", out)
    g.run("echo 1 > /proc/sys/vm/drop_caches")
    g.run("numa-test dirty /mnt/data/big 4096", timeout=60)
    res = {}
    for mode in (1, 3, 5):
        g.run("numa-test read /mnt/bin", timeout=60)
        g.run(f"echo {mode} > /proc/sys/vm/zone_reclaim_mode")
        free0, dirty0, file0 = (node_field(g, 0, k) for k in ("MemFree", "Dirty", "FilePages"))
        v0 = vmstat(g)
        out, st = g.run(f"numactl --preferred=0 numa-test place vma default - "
                        f"{free0 // 4 + 1024}", timeout=120)
        v1 = vmstat(g)
        dirty1, file1 = node_field(g, 0, "Dirty"), node_field(g, 0, "FilePages")
        res[mode] = dict(written=v1["nr_written"] - v0["nr_written"],
                         swapped=v1["pswpout"] - v0["pswpout"], dirty=(dirty0, dirty1),
                         file=(file0, file1), st=st)
    g.run("echo 0 > /proc/sys/vm/zone_reclaim_mode")
    if hog:
        g.run(f"kill -9 {hog.group(1)}")
    g.run("wait", timeout=60)
    g.run("numa-test sync", timeout=60)
    g.run(f"echo {flusher.strip()} > /proc/sys/vm/dirty_writeback_centisecs")
    r1, r3, r5 = res[1], res[3], res[5]
    check(r1["st"] == 0 and r1["written"] == 0 and r1["swapped"] == 0
          and r1["dirty"][1] == r1["dirty"][0] == 4096 and r1["file"][1] < r1["file"][0],
          "zone_reclaim_mode=1: clean page cache dropped; dirty pages and anon memory kept",
          str(r1))
    check(r3["st"] == 0 and r3["written"] >= 256 and r3["dirty"][1] < r3["dirty"][0]
          and r3["swapped"] == 0,
          f"zone_reclaim_mode=3 (RECLAIM_WRITE): dirty pages written back "
          f"({r3['written']} pages, node 0 Dirty {r3['dirty'][0]} -> {r3['dirty'][1]} kB), "
          "nothing swapped", str(r3))
    check(r5["st"] == 0 and r5["swapped"] > 0,
          f"zone_reclaim_mode=5 (RECLAIM_UNMAP): node 0's anonymous pages swapped out "
          f"({r5['swapped']} pages)", str(r5))


def four_nodes():
    sizes = [40, 24, 32, 32]
    matrix = [[10, 20, 40, 20], [20, 10, 25, 35], [40, 25, 10, 15], [20, 35, 15, 10]]
    dist = "0-1=20,0-2=40,0-3=20,1-2=25,1-3=35,2-3=15"
    with boot(4, "40M,24M,32M,32M", dist) as g:
        try:
            g.expect(PROMPT, 30)
        except Timeout as e:
            check(False, "4 nodes: boots to the shell", str(e))
            return
        topology_checks(g, g.log, 4, sizes, matrix, "4 nodes")
        placed, _, out, st = place(g, "vma", "bind", "3", 16)
        check(st == 0 and placed.get(3) == 16, "4 nodes: MPOL_BIND 3 on node 3", out)
        placed, seq, out, st = place(g, "vma", "interleave", "1-3", 30)
        check(st == 0 and placed == {0: 0, 1: 10, 2: 10, 3: 10},
              "4 nodes: interleave 1-3 gives 10 pages each", out)
        placed, _, out, st = place(g, "task", "bind", "1,2", 16)
        check(st == 0 and placed.get(1) == 16,
              "4 nodes: bind 1,2 from node 0 takes the nearer node 1 (distance 20 < 40)", out)


def one_node_and_bad_slit():
    with boot(0) as g:
        try:
            g.expect(PROMPT, 30)
        except Timeout as e:
            check(False, "1 node: boots", str(e))
            return
        check("No NUMA configuration found" in g.log and "ACPI: SRAT not present" in g.log,
              "no SRAT: one node, as Linux says it")
        topology_checks(g, g.log, 1, [128], [[10]], "1 node")
        placed, _, out, st = place(g, "task", "interleave", "0", 8)
        check(st == 0 and placed == {0: 8}, "1 node: interleave over node 0 works", out)
    # Without NUMA_DIST QEMU writes no SLIT; add one whose remote distance
    # is 10, which Linux rejects (remote must be > LOCAL_DISTANCE).
    with tempfile.NamedTemporaryFile(suffix=".slit") as f:
        f.write(struct.pack("<Q", 2) + bytes([10, 10, 10, 10]))
        f.flush()
        with boot(2, "32M,32M", qemu_args=["-acpitable", f"sig=SLIT,data={f.name}"]) as g:
            try:
                g.expect(PROMPT, 30)
            except Timeout as e:
                check(False, "bad SLIT: boots", str(e))
                return
            check(re.search(r"ACPI: SLIT table looks invalid\. Not used\.", g.log),
                  "an invalid SLIT is logged and not used")
            out, _ = g.run("cat /sys/devices/system/node/node0/distance")
            check(out.strip() == "10 20", "invalid SLIT: distances fall back to 10/20", out)


def main():
    for part in (two_nodes, four_nodes, one_node_and_bad_slit):
        try:
            part()
        except Timeout as e:
            check(False, f"{part.__name__}: a command timed out", str(e))
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""make bench-belady: how close memos's page replacement comes to Belady's
MIN (the optimal offline policy) on three access traces (issue 5's target:
kernel major faults <= 1.3x MIN's misses).

One boot of memos (32 MiB, TCG by default; BENCH_ACCEL=kvm to use KVM).
The frames a process can get are estimated from MemFree to size the
traces; then page-trace (user/page-trace.c) replays each trace over an
anonymous mapping and reports its major faults (getrusage) and the frames
it actually held: the mean of mincore() counts of its resident pages,
sampled every 64 accesses once memory was full. This script regenerates
the identical trace (same splitmix64 generator and seed; the distinct page
count is cross-checked) and simulates, with that many frames:
  - MIN: on a miss with all frames used, evict the page whose next use is
    farthest in the future;
  - LRU, for reference.
A first touch is a miss for MIN and LRU (compulsory) but a demand-zero
minor fault for the kernel, so two ratios are given:
  strict = kernel major faults / MIN's non-compulsory misses
  total  = (kernel major faults + first touches) / MIN's misses
The kernel's count also includes faults on the program's own text, stack
and heap pages, which the trace does not contain (a handful).

Linux side by side: the same page-trace, built for Linux, replays the same
traces on Debian's own kernel (tools/bench/linux_guest.py: fetched once with
apt-get download, booted under QEMU, swap on a virtio disk), in a memory
cgroup whose memory.max gives the process the frames memos's process held;
once with Linux's active/inactive lists and once with its multi-generational
LRU. Each kernel's ratios are against MIN with its own measured frames.

For hot/cold, an independent-reference trace, the table also gives A0: the
policy that keeps the most probable pages (every hot page and a fixed set of
cold ones), which is the best any online policy can do there when the
probabilities are known (Aho, Denning & Ullman, 1971).

Writes build/bench/belady.md and prints it. A benchmark, not a test.
Knobs: BELADY_MEM (32M), BENCH_ACCEL (tcg), BELADY_SEED (1), BELADY_LINUX
(1; 0 skips the Linux runs).
"""
import collections
import datetime
import heapq
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "qemu"))
from guest import Guest, Timeout, ROOT  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_guest  # noqa: E402

MEM = os.environ.get("BELADY_MEM", "32M")
ACCEL = os.environ.get("BENCH_ACCEL", "tcg")
SEED = int(os.environ.get("BELADY_SEED", "1"))
LINUX = os.environ.get("BELADY_LINUX", "1") != "0"
M64 = (1 << 64) - 1
LINE = re.compile(r"page-trace: (\w+) pages (\d+) accesses (\d+) distinct (\d+) majflt (\d+) "
                  r"minflt (\d+) frames_mean (\d+) frames_max (\d+) frames_min (\d+) "
                  r"samples (\d+) ms (\d+)")


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + 0x9e3779b97f4a7c15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
        z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
        return z ^ (z >> 31)


def trace(kind, pages, accesses, hot, seed):
    """The page numbers page-trace touches, in order (user/page-trace.c)."""
    rng, t = SplitMix64(seed), []
    if kind == "loop":
        t = [i % pages for i in range(accesses)]
    elif kind == "hotcold":
        for _ in range(accesses):
            r = rng.next()
            t.append((r >> 8) % hot if r % 100 < 80 else hot + (r >> 8) % (pages - hot))
    else:
        t = [(rng.next() >> 8) % hot for _ in range(2 * hot)]
        for s in range(hot, pages):
            t.append((rng.next() >> 8) % hot)
            t.append(s)
        t += [(rng.next() >> 8) % hot for _ in range(2 * hot)]
    return t


def min_misses(t, frames):
    """Belady's MIN: misses with `frames` frames, compulsory ones included."""
    n, never = len(t), len(t) + 1
    nxt, last = [0] * n, {}
    for i in range(n - 1, -1, -1):
        nxt[i] = last.get(t[i], never)
        last[t[i]] = i
    resident, heap, misses = {}, [], 0
    for i, p in enumerate(t):
        if p not in resident:
            misses += 1
            if len(resident) >= frames:
                while True:  # lazy deletion: skip stale heap entries
                    neg, q = heapq.heappop(heap)
                    if resident.get(q) == -neg:
                        del resident[q]
                        break
        resident[p] = nxt[i]
        heapq.heappush(heap, (-nxt[i], p))
    return misses


def lru_misses(t, frames):
    lru, misses = collections.OrderedDict(), 0
    for p in t:
        if p in lru:
            lru.move_to_end(p)
            continue
        misses += 1
        if len(lru) >= frames:
            lru.popitem(last=False)
        lru[p] = True
    return misses


def a0_misses(t, frames, hot):
    """A0 on the hot/cold trace: pages 0..hot-1 are the probable ones. Every
    hot page is kept; cold pages fill the other frames in the order they are
    first touched and then stay, while one frame takes each other cold miss."""
    resident, spare, misses = set(), None, 0
    for p in t:
        if p in resident or p == spare:
            continue
        misses += 1
        if len(resident) < frames - 1:
            resident.add(p)
        elif p < hot:
            resident.remove(next(q for q in resident if q >= hot))
            resident.add(p)
        else:
            spare = p
    return misses


def field(text, name):
    m = re.search(rf"^{re.escape(name)}:\s*(\d+)", text, re.M)
    return int(m.group(1)) if m else None


def run_guest():
    runs = []
    with Guest(mem=MEM, timeout=120, accel=ACCEL) as g:
        g.expect(r"(?<![^\n])\$ ", 120)
        free = field(g.run("cat /proc/meminfo")[0], "MemFree")
        f = free // 4  # the pages free at the shell: the traces' yardstick
        plans = [("loop", int(1.25 * f), 5 * f, 0),
                 ("hotcold", int(1.5 * f), 10 * f, f // 2),
                 ("scan", 3 * f, 0, f // 2)]
        pc = g.run("cat /proc/sys/vm/page-cluster")[0].strip() or "absent"
        for kind, pages, accesses, hot in plans:
            v0 = vmstat(g)
            out, st = g.run(f"page-trace {kind} {pages} {accesses} {hot} {SEED}", timeout=1800)
            v1 = vmstat(g)
            m = LINE.search(out)
            if st != 0 or not m:
                raise SystemExit(f"bench-belady: page-trace {kind} failed:\n{out}")
            runs.append((kind, pages, accesses, hot, m, {k: v1[k] - v0[k] for k in v0}))
        g.send("poweroff\n")
        g.wait_exit(10)
    return free, plans, runs, pc


def vmstat(g):
    out = g.run("cat /proc/vmstat")[0]
    return {k: int(v) for k, v in re.findall(
        r"^(pswpin|pswpout|swap_ra|swap_ra_hit|workingset_refault_anon|workingset_activate_anon)"
        r" (\d+)$", out, re.M)}


def linux_runs(plans, runs):
    """The same traces on Linux, or a line saying why not."""
    if not LINUX:
        return [], "Linux runs skipped (BELADY_LINUX=0)."
    frames = max(int(m.group(7)) for *_, m, _ in runs)
    limit = (frames + 64) * 4096  # + the process's own page tables, stack, data
    try:
        release, res = linux_guest.run_traces([p + (SEED,) for p in plans], limit)
    except linux_guest.Unavailable as e:
        return [], f"Linux runs not made: {e}"
    out = []
    for mode, line, d in res:
        m = LINE.search(line)
        kind, pages, accesses, hot = next(p for p in plans if p[0] == m.group(1))
        out.append((f"Linux {release.split('-')[0]} {mode}", kind, pages, accesses, hot, m, d))
    return out, (f"Linux: Debian's kernel {release} under TCG, 256 MiB, the traces in a "
                 f"memory cgroup with memory.max = {limit // 1024} kB, swap on a virtio disk, "
                 "transparent_hugepage=never; classic = active/inactive lists "
                 "(lru_gen/enabled n, Debian's default), mglru = lru_gen/enabled y.")


def main():
    try:
        free, plans, runs, pc = run_guest()
    except Timeout as e:
        raise SystemExit(f"bench-belady: guest timed out: {e}")
    lruns, linux_line = linux_runs(plans, runs)
    rows = ["| kernel | trace | pages | accesses | first touches | frames held (mean, min-max) | "
            "major faults | MIN misses (non-compulsory) | strict ratio | "
            "total ratio | LRU sim (non-compulsory) | pages read from swap (pswpin) | "
            "reads / MIN | readahead reads / hits | refaults / activated |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    verdicts, a0_line, traces = [], "", {}
    for label, kind, pages, accesses, hot, m, d in [("memos", *r) for r in runs] + lruns:
        if kind not in traces:
            traces[kind] = trace(kind, pages, accesses, hot, SEED)
        t = traces[kind]
        distinct = len(set(t))
        if distinct != int(m.group(4)) or len(t) != int(m.group(3)):
            raise SystemExit(f"bench-belady: {label} {kind}: trace mismatch (host {len(t)} "
                             f"accesses, {distinct} pages; guest {m.group(3)}, {m.group(4)})")
        frames, fmin, fmax = int(m.group(7)), int(m.group(9)), int(m.group(8))
        majflt = int(m.group(5))
        opt = min_misses(t, frames)
        lru = lru_misses(t, frames)
        opt_nc = opt - distinct
        strict = f"{majflt / opt_nc:.2f}x" if opt_nc else "n/a (MIN 0)"
        total = (majflt + distinct) / opt
        reads_ratio = f"{d['pswpin'] / opt_nc:.2f}x" if opt_nc and "pswpin" in d else "n/a"
        rows.append(f"| {label} | {kind} | {pages} | {len(t)} | {distinct} | "
                    f"{frames} ({fmin}-{fmax}) | {majflt} | {opt} ({opt_nc}) | {strict} | "
                    f"{total:.2f}x | {lru} ({lru - distinct}) | {d.get('pswpin', '-')} | "
                    f"{reads_ratio} | {d.get('swap_ra', '-')} / {d.get('swap_ra_hit', '-')} | "
                    f"{d.get('workingset_refault_anon', '-')} / "
                    f"{d.get('workingset_activate_anon', '-')} |")
        verdicts.append(f"{label} {kind}: strict {strict}, total {total:.2f}x"
                        + (f", disk reads / MIN {d['pswpin'] / opt_nc:.2f}x" if opt_nc else ""))
        if label == "memos" and kind == "hotcold":
            a0 = a0_misses(t, frames, hot)
            a0_line = (f"A0 on hot/cold with {frames} frames: {a0} misses, "
                       f"{a0 / opt:.2f}x MIN (LRU: {lru / opt:.2f}x).")
        print(f"bench-belady: {label}: {m.group(0)}")
    desc = {"loop": "cyclic over 1.25x the free pages, 4 passes",
            "hotcold": "80 % of accesses to a hot half of the free pages, 20 % over as many "
                       "cold pages as are free, 10x the free pages in all",
            "scan": "a hot set of half the free pages, interleaved with one sequential pass "
                    "over 2.5x the free pages"}
    text = "\n".join([
        "# Page replacement vs Belady's MIN",
        "",
        f"memos under {ACCEL.upper()}, {MEM} RAM ({free} kB free at the shell), swap on "
        f"/dev/sda2, seed {SEED}, {datetime.date.today()}. {linux_line}",
        "Traces (user/page-trace.c, regenerated here): "
        + "; ".join(f"**{k}**: {v}" for k, v in desc.items()) + ".",
        "Frames: the mean count of the trace's resident pages (mincore every 64 accesses, "
        "once memory was full); MIN and the LRU simulation are run with that many frames, "
        "per kernel.",
        "strict = major faults / MIN's non-compulsory misses; total = (major faults + first "
        "touches) / MIN's misses (a first touch is a demand-zero fault, not a major one). "
        "Target: <= 1.3x.",
        "",
        *rows,
        "",
        a0_line + " A0 keeps every hot page and a fixed set of cold ones: with the pages' "
        "probabilities known, no online policy does better on an independent-reference "
        "trace (Aho, Denning & Ullman, 1971).",
        "",
        f"vm.page-cluster = {pc} on memos (3 on Linux): swap readahead of up to "
        "2^page-cluster pages on a major fault, its window growing with readahead hits and "
        "shrinking to none without them. A readahead hit is a minor fault, but its page was "
        "still read from disk: the pswpin column counts every page read, faulted or read "
        "ahead, and reads / MIN compares it with MIN's non-compulsory misses. Frames held "
        "include the trace's pages in the swap cache (read ahead, not yet mapped): mincore "
        "reports them resident. Refaults: swap-ins that found their eviction's shadow entry "
        "(workingset_refault_anon); activated: of those, put straight on the active list by "
        "their refault distance (workingset_activate_anon).",
        "",
        "Result: " + "; ".join(verdicts) + ".",
        "",
    ])
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "belady.md"), "w") as f:
        f.write(text)
    print(text)
    print("written to build/bench/belady.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark the memos malloc against glibc, jemalloc, mimalloc and tcmalloc.

Every workload runs under every allocator (slid in with LD_PRELOAD) several
times, interleaved; wall time, CPU time and peak RSS come from wait4's rusage. Writes
OUT/malloc.md (a table of ratios to glibc and to mimalloc) and OUT/malloc.svg
(the same as bars), and prints the table. Used by `make bench-malloc`.

Peak RSS includes file pages: the preloaded library itself (memos: 36 KiB)
and the pages of libc.so that the kernel's fault-around maps (64 KiB around
each page fault). Which ones depends on where each library lands, and that
moves with the size of the preloaded library and with address-space
randomisation: +-130 KiB between two builds of the same allocator, the whole
difference on a 2 MiB workload. So every run has randomisation off
(personality ADDR_NO_RANDOMIZE, as `setarch -R`), and the RSS ratios compare
memory the allocator is responsible for: for our own workloads, the peak of
anonymous memory, which each prints on stderr as VmHWM - RssFile at its end
(file pages are never given back, so at the end RssFile is at its largest);
for the real programs (no such line; there file pages are a small part),
peak RSS less the allocator's footprint, the peak RSS of the `idle` workload
(no allocation) under that allocator minus glibc's. The table keeps the
gross peak RSS too.

usage: bench.py --so LIB --workloads BIN --out DIR [--reps N] [--only NAME,...]
                [--also NAME=LIB ...] [--allocators NAME,...]
"""
import argparse
import ctypes
import os
import random
import statistics
import subprocess
import sys
import time

ADDR_NO_RANDOMIZE = 0x0040000  # include/uapi/linux/personality.h
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Debian package and library file of each allocator we compare with.
OTHERS = [
    ("jemalloc", "libjemalloc2", "libjemalloc.so.2"),
    ("mimalloc", "libmimalloc2.0", "libmimalloc.so.2"),
    ("tcmalloc", "libgoogle-perftools4", "libtcmalloc.so.4"),
]

PY_WORKLOAD = """
import random
random.seed(8)
live = {}
total = 0
for i in range(400000):
    k = random.randrange(20000)
    if random.random() < 0.01:
        live[k] = bytearray(random.randrange(1000, 300000))
    else:
        live[k] = [str(j) * random.randrange(1, 20) for j in range(random.randrange(1, 30))]
    total += len(live[k])
print(len(live), total)
"""


def find_library(package, name):
    """Path of library file `name` installed by Debian package `package`, or None."""
    try:
        files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
    except OSError:
        return None
    for path in files.split():
        if os.path.basename(path) == name and os.path.exists(path):
            return path
    return None


def make_inputs(out):
    """Create the input files of the real-program workloads; returns their paths."""
    big = os.path.join(out, "sort-input.txt")
    if not os.path.exists(big):
        rnd = random.Random(1)
        words = ["alpha", "beta", "gamma", "delta", "kernel", "page", "brk", "mmap"]
        with open(big, "w") as f:
            for _ in range(1000000):
                f.write(" ".join(rnd.choice(words) + str(rnd.randrange(10**6))
                                 for _ in range(4)) + "\n")
    script = os.path.join(out, "alloc.py")
    with open(script, "w") as f:
        f.write(PY_WORKLOAD)
    return big, script


def workloads(bin_path, out):
    """(name, argv, extra environment) of every workload."""
    big, script = make_inputs(out)
    obj = os.path.join(out, "bench.o")
    return [
        ("churn", [bin_path, "churn", "20"], {}),
        ("fifo-lifo", [bin_path, "fifo-lifo", "20"], {}),
        ("inverse-square", [bin_path, "inverse-square", "10"], {}),
        ("large", [bin_path, "large", "1"], {}),
        ("fragmentation", [bin_path, "fragmentation", "3"], {}),
        ("sort", ["sort", big], {"LC_ALL": "C"}),
        ("python3", ["python3", script], {"PYTHONMALLOC": "malloc"}),
        ("gcc -c", ["gcc", "-O2", "-c", "-iquote", "libc/include", "libc/malloc.c",
                    "-o", obj], {}),
    ]


def no_randomize():
    """In the child before exec: same address-space layout on every run."""
    ctypes.CDLL(None, use_errno=True).personality(ADDR_NO_RANDOMIZE)


def run_once(argv, lib, env, rss_file):
    """Run argv with lib preloaded (None: glibc); returns (wall s, peak RSS KiB, stdout,
    peak anonymous KiB or None, CPU s = user + system).

    GNU time does the fork: a child forked from this (big) Python process
    would inherit its peak RSS, since Linux keeps the high-water mark across
    exec. A small sh sets LD_PRELOAD for the program only, not for time."""
    start = time.perf_counter()
    launch = ["/bin/sh", "-c", 'LD_PRELOAD="$0" exec "$@"', lib or ""]
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file] + launch + argv,
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          preexec_fn=no_randomize)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError("%s failed with status %d" % (" ".join(argv), proc.returncode))
    with open(rss_file) as f:
        rss, user, system = f.read().split()[-3:]
    rss, cpu = int(rss), float(user) + float(system)
    anon = None
    for line in proc.stderr.decode(errors="replace").splitlines():
        words = line.split()
        if words[:1] == ["workloads:"] and len(words) == 5:
            anon = int(words[2]) - int(words[4])  # VmHWM - RssFile
    return wall, rss, proc.stdout, anon, cpu


def measure(allocators, loads, reps, rss_file):
    """results[(workload, allocator)] = (wall times, peak RSS, peak anonymous, CPU times);
    checks that the outputs agree."""
    results = {}
    outputs = {}
    for rep in range(reps):
        for name, argv, extra in loads:
            for alloc, lib in allocators:
                env = dict(os.environ, **extra)
                env.pop("LD_PRELOAD", None)
                wall, rss, out, anon, cpu = run_once(argv, lib, env, rss_file)
                times, rsss, anons, cpus = results.setdefault((name, alloc), ([], [], [], []))
                times.append(wall)
                cpus.append(cpu)
                rsss.append(rss)
                if anon is not None:
                    anons.append(anon)
                if name != "sort":
                    outputs.setdefault(name, {})[alloc] = out
        print("bench-malloc: round %d/%d done" % (rep + 1, reps), file=sys.stderr)
    for name, by_alloc in outputs.items():
        if len(set(by_alloc.values())) != 1:
            print("bench-malloc: WARNING: %s output differs between allocators" % name,
                  file=sys.stderr)
    return results


def footprints(allocators, bin_path, runs, rss_file):
    """KiB of peak RSS each allocator adds to a process that allocates nothing."""
    idle = {}
    for _ in range(runs):
        for alloc, lib in allocators:
            env = dict(os.environ)
            env.pop("LD_PRELOAD", None)
            out = run_once([bin_path, "idle"], lib, env, rss_file)[2]
            idle.setdefault(alloc, []).append(int(out.split()[-1]))
    base = statistics.median(idle["glibc"])
    return {alloc: max(0.0, statistics.median(kib) - base) for alloc, kib in idle.items()}


def net_rss(results, foot, name, alloc):
    """Median peak RSS (KiB) of a workload without the file pages: the peak of
    anonymous memory where the workload reports it (our workloads do), else
    the peak RSS less the allocator's idle footprint (the real programs)."""
    _, rss, anon, _ = results[(name, alloc)]
    if anon:
        return statistics.median(anon)
    return statistics.median(rss) - foot[alloc]


def table(allocators, loads, results, foot):
    """The markdown report, one row per workload and allocator."""
    lines = [
        "| workload | allocator | time median (s) | time best (s) | time ×glibc | "
        "time ×mimalloc | CPU ×glibc | CPU ×mimalloc | peak RSS (MiB) | RSS ×glibc | "
        "RSS ×mimalloc |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _, _ in loads:
        base_t = statistics.median(results[(name, "glibc")][0])
        base_c = statistics.median(results[(name, "glibc")][3])
        base_r = net_rss(results, foot, name, "glibc")
        mi = (name, "mimalloc") in results
        mi_t = statistics.median(results[(name, "mimalloc")][0]) if mi else None
        mi_c = statistics.median(results[(name, "mimalloc")][3]) if mi else None
        mi_r = net_rss(results, foot, name, "mimalloc") if mi else None
        for alloc, _ in allocators:
            times, rss, _, cpus = results[(name, alloc)]
            t, r = statistics.median(times), net_rss(results, foot, name, alloc)
            c = statistics.median(cpus)
            lines.append("| %s | %s | %.3f | %.3f | %.2f | %s | %.2f | %s | %.1f | %.2f | %s |" % (
                name, "**memos**" if alloc == "memos" else alloc, t,
                min(times), t / base_t,
                "%.2f" % (t / mi_t) if mi else "-", c / base_c,
                "%.2f" % (c / mi_c) if mi else "-", statistics.median(rss) / 1024.0,
                r / base_r, "%.2f" % (r / mi_r) if mi else "-"))
    return "\n".join(lines) + "\n"


def svg(allocators, loads, results, foot):
    """Grouped bars: time and peak RSS of each allocator relative to glibc."""
    colors = ["#d62728", "#7f7f7f", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]
    names = [n for n, _, _ in loads]
    width, panel_h, left, top = 1000, 260, 60, 40
    group_w = (width - left - 20) / len(names)
    bar_w = group_w * 0.8 / len(allocators)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, 2 * panel_h + 2 * top + 70)]
    for panel, (label, index) in enumerate([("wall time", 0), ("peak RSS", 1)]):
        y0 = top + panel * (panel_h + top + 30)
        ratios = {}
        for n in names:
            base = statistics.median(results[(n, "glibc")][0]) if index == 0 else \
                net_rss(results, foot, n, "glibc")
            for a, _ in allocators:
                v = statistics.median(results[(n, a)][0]) if index == 0 else \
                    net_rss(results, foot, n, a)
                ratios[(n, a)] = v / base
        top_ratio = max(2.0, max(ratios.values()))
        scale = panel_h / top_ratio
        parts.append('<text x="%d" y="%d" font-size="14">%s relative to glibc (1.0 = glibc; '
                     'lower is better)</text>' % (left, y0 - 10, label))
        for tick in range(int(top_ratio) + 1):
            y = y0 + panel_h - tick * scale
            parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>' % (
                left, width - 20, y, y, "#000" if tick == 1 else "#ddd"))
            parts.append('<text x="%d" y="%.1f" text-anchor="end">%d×</text>' % (
                left - 5, y + 4, tick))
        for i, n in enumerate(names):
            x = left + i * group_w + group_w * 0.1
            for j, (a, _) in enumerate(allocators):
                h = min(ratios[(n, a)], top_ratio) * scale
                parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">'
                             '<title>%s %s %.2f×</title></rect>' % (
                                 x + j * bar_w, y0 + panel_h - h, bar_w - 1, h,
                                 colors[j % len(colors)], n, a, ratios[(n, a)]))
            parts.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (
                x + group_w * 0.4, y0 + panel_h + 14, n))
    for j, (a, _) in enumerate(allocators):
        x = left + j * 120
        y = 2 * panel_h + 2 * top + 55
        parts.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                     '<text x="%d" y="%d">%s</text>' % (x, y, colors[j % len(colors)], x + 16, y + 10, a))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--so", required=True)
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--also", action="append", default=[],
                    help="NAME=LIB: one more allocator, e.g. an earlier build of ours")
    ap.add_argument("--allocators", default="",
                    help="comma-separated subset of the allocators (glibc and mimalloc "
                    "are always kept: the ratios need them)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    allocators = [("memos", os.path.abspath(args.so)), ("glibc", None)]
    for name, package, lib in OTHERS:
        path = find_library(package, lib)
        if path:
            allocators.append((name, path))
        else:
            print("bench-malloc: %s not installed, skipped" % name, file=sys.stderr)
    for extra in args.also:
        name, _, lib = extra.partition("=")
        allocators.append((name, os.path.abspath(lib)))
    if args.allocators:
        keep = set(args.allocators.split(",")) | {"glibc", "mimalloc"}
        allocators = [a for a in allocators if a[0] in keep]
    loads = workloads(os.path.abspath(args.workloads), os.path.abspath(args.out))
    if args.only:
        loads = [w for w in loads if w[0] in args.only.split(",")]
    rss_file = os.path.join(args.out, "rss.txt")
    foot = footprints(allocators, os.path.abspath(args.workloads), max(args.reps, 7), rss_file)
    results = measure(allocators, loads, args.reps, rss_file)
    report = ("Median wall time, CPU time (user + system) and peak RSS of %d runs each, on "
              "%d CPUs; ratios are of medians. CPU time moves less than wall time when other "
              "programs share the CPUs (it misses only their cache pollution). RSS ratios: of the peak anonymous memory (VmHWM - RssFile) for "
              "the synthetic workloads, of the peak RSS net of each allocator's footprint "
              "(median peak RSS of `idle` minus glibc's, KiB: %s) for the real programs; "
              "the peak RSS column is gross.\n\n"
              % (args.reps, os.cpu_count(),
                 ", ".join("%s %.0f" % (a, foot[a]) for a, _ in allocators))
              + table(allocators, loads, results, foot))
    with open(os.path.join(args.out, "malloc.md"), "w") as f:
        f.write(report)
    with open(os.path.join(args.out, "malloc.svg"), "w") as f:
        f.write(svg(allocators, loads, results, foot))
    print(report)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""TAP suite: the malloc demos of claims C1, C2, C14-C17 (docs/malloc-demos.md).

    malloc_guest.py           boot memos (128 MiB, TCG), run each demo in its
                              shell, check what it measured, compare the shape
                              of its summary lines with the same binary on the
                              host, then poweroff
    malloc_guest.py --host    run the same demos and checks on the host's Linux
                              (tests/scripts/malloc_demos_host.sh)

The checks read the demos' own summary lines ("demo: key=value ...") and
require the behaviour, never fixed numbers:
  - trace (C1): `trace echo hi` shows write(1, "hi\\n", 3) = 3 and the exit;
    `trace malloc-threshold` shows brk and mmap calls and no "malloc" call;
  - malloc-threshold (C2): 100 and 127 KiB from brk, 128 and 200 KiB mmapped,
    the dynamic threshold, mallopt(64 KiB) moving the line;
  - malloc-header (C14): decoded size = documented size, usable = size - 8
    (heap) or size - 16 (mapped); free reads the header;
  - free-return (C15): heap free keeps RSS, maps and the address; mapped free
    drops RSS and the mapping; trim lowers the break; malloc_trim drops RSS;
  - mmap-vs-brk (C16): all-mmap makes two calls per pair, more faults, more
    cycles;
  - fragmentation (C17): the brk heap stays large with little live, the mmap
    variant keeps it small.
Outputs are kept in build/malloc-guest/ (or build/malloc-host/ with --host).
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, ROOT, check, tap_report, results  # noqa: E402

HOST_BIN = os.path.join(ROOT, "build", "user")
KLOG = re.compile(r"^\[ *\d+\.\d+\] .*\n", re.M)  # kernel lines on the console
MMAP_VS_BRK_OPS = 2000


def fields(out, prefix, **match):
    """The key=value dict of the first summary line "prefix: ..." whose
    fields include every given key=value, or {}."""
    for line in re.findall(rf"^{re.escape(prefix)}: (.*)$", out, re.M):
        d = dict(re.findall(r"(\w+)=(\S+)", line))
        if all(d.get(k) == str(v) for k, v in match.items()):
            return d
    return {}


def line_fields(out, head):
    """The key=value dict of the first line starting with head, or {}."""
    m = re.search(rf"^{re.escape(head)} (.*)$", out, re.M)
    return dict(re.findall(r"(\w+)=(\S+)", m.group(1))) if m else {}


def num(d, key):
    try:
        return int(d[key], 0)
    except (KeyError, ValueError):
        return None


def shape(out):
    """The summary lines with every number replaced by N: what must be the
    same on memos and on Linux."""
    lines = re.findall(r"^(?:malloc-threshold|malloc-header|free-return|mmap-vs-brk|"
                       r"fragmentation): .*=.*$", out, re.M)
    return [re.sub(r"-?(0x[0-9a-f]+|\d+)", "N", l) for l in lines]


def check_trace_echo(out, where):
    check(re.search(r'^write\(1, "hi\\n", 3\) = 3$', out, re.M),
          f"trace echo hi ({where}): shows write(1, \"hi\\n\", 3) = 3", out)
    check(re.search(r"^\+\+\+ exited with 0 \+\+\+$", out, re.M),
          f"trace echo hi ({where}): ends with +++ exited with 0 +++", out)
    check(not re.search(r"^(malloc|free)\(", out, re.M) and
          len(re.findall(r"^brk\(", out, re.M)) <= 2,
          f"trace echo hi ({where}): no malloc call, at most a brk probe", out)


def check_trace_threshold(out, where):
    check(re.search(r"^brk\(0x[0-9a-f]+\) = 0x[0-9a-f]+$", out, re.M),
          f"trace malloc-threshold ({where}): the heap grows with brk", out[-3000:])
    check(re.search(r"^mmap\(NULL, \d+, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, "
                    r"0\) = 0x[0-9a-f]+$", out, re.M),
          f"trace malloc-threshold ({where}): big blocks come from mmap "
          "(prot and flags decoded)", out[-3000:])
    check(re.search(r"^munmap\(0x[0-9a-f]+, \d+\) = 0$", out, re.M),
          f"trace malloc-threshold ({where}): free of a mapped block is munmap", out[-3000:])
    names = set(re.findall(r"^(\w+)\(", out, re.M))
    check(names and "malloc" not in names and "free" not in names,
          f"trace malloc-threshold ({where}): no malloc or free among the system calls "
          f"({', '.join(sorted(names))})", out[-3000:])
    check(re.search(r"^\+\+\+ exited with 0 \+\+\+$", out, re.M),
          f"trace malloc-threshold ({where}): exits 0", out[-1500:])


def check_trace_misc(err_out, crash_out, where):
    check(re.search(r'^open\("/nonexistent", O_RDONLY.*\) = -1 ENOENT \(No such file or '
                    r'directory\)$', err_out, re.M),
          f"trace cat /nonexistent ({where}): -1 ENOENT (No such file or directory)", err_out)
    check(re.search(r"^\+\+\+ killed by SIGSEGV \+\+\+$", crash_out, re.M),
          f"trace crash null ({where}): +++ killed by SIGSEGV +++", crash_out)


def check_threshold(out, where):
    for size, path, phase in ((102400, "brk", "default"), (130048, "brk", "default"),
                              (131072, "mmap", "default"), (204800, "mmap", "default"),
                              (204800, "brk", "dynamic"), (64512, "brk", "mallopt64k"),
                              (65536, "mmap", "mallopt64k"), (204800, "mmap", "mallopt64k")):
        d = fields(out, "malloc-threshold", phase=phase, size=size)
        mapping = "heap" if path == "brk" else "anon"
        check(d.get("path") == path and d.get("header") == path and d.get("mapping") == mapping,
              f"malloc-threshold ({where}): {phase} malloc({size // 1024} KiB) from {path} "
              f"(address, header flag and maps line agree)", out)
    d = fields(out, "malloc-threshold", phase="default", size=102400)
    check(num(d, "break_delta") and num(d, "break_delta") > 0 and d.get("maps_changed") == "yes",
          f"malloc-threshold ({where}): the first 100 KiB moves the break and the [heap] line",
          out)
    d = fields(out, "malloc-threshold", phase="default", size=204800)
    check(num(d, "break_delta") == 0 and d.get("maps_changed") == "yes",
          f"malloc-threshold ({where}): 200 KiB leaves the break and changes the maps", out)


def check_header(out, where):
    for n in (1, 24, 100, 1000, 200000):
        d = fields(out, "malloc-header", n=n)
        check(d.get("match") == "yes",
              f"malloc-header ({where}): malloc({n}) header size {d.get('size')} = "
              f"documented {d.get('expected_size')}, usable {d.get('usable')}", out)
    d = fields(out, "malloc-header", n=200000)
    check(num(d, "flags") is not None and num(d, "flags") & 4,
          f"malloc-header ({where}): the 200000-byte block is flagged MMAPPED", out)
    for n in (100, 24):
        d = line_fields(out, f"malloc-header: free n={n}")
        check(d.get("reused") == "yes" and d.get("head_before") != d.get("head_after"),
              f"malloc-header ({where}): free({n}-byte block) changes its header flags and "
              "the same size comes back at the same address", out)
    d = line_fields(out, "malloc-header: free n=200000")
    check(d.get("mmapped") == "yes" and d.get("mapped_before") == "yes" and
          d.get("mapped_after") == "no",
          f"malloc-header ({where}): free of the MMAPPED block unmaps it", out)
    check(re.search(r"^malloc-header: corrupted head caught=yes$", out, re.M),
          f"malloc-header ({where}): a corrupted head is caught by free (SIGABRT)", out)


def check_free_return(out, where):
    d = line_fields(out, "free-return: brk_free")
    check(num(d, "rss_delta_kb") is not None and abs(num(d, "rss_delta_kb")) <= 16 and
          num(d, "break_delta") == 0 and d.get("maps_changed") == "no",
          f"free-return ({where}): freeing 800 KiB of heap blocks keeps VmRSS, the break "
          "and the maps", out)
    check(d.get("reused") == "yes",
          f"free-return ({where}): the next malloc reuses the freed heap address", out)
    d = line_fields(out, "free-return: mmap_free")
    check(num(d, "rss_delta_kb") is not None and num(d, "rss_delta_kb") <= -1000 and
          d.get("mapped_before") == "yes" and d.get("mapped_after") == "no",
          f"free-return ({where}): freeing the 1 MiB mapped block drops VmRSS by >= 1000 kB "
          f"({d.get('rss_delta_kb')}) and its mapping", out)
    d = line_fields(out, "free-return: trim")
    check(num(d, "break_delta") is not None and num(d, "break_delta") < 0 and
          num(d, "rss_delta_kb") < 0,
          f"free-return ({where}): a free top over M_TRIM_THRESHOLD lowers the break "
          f"({d.get('break_delta')}) and VmRSS", out)
    d = line_fields(out, "free-return: malloc_trim")
    check(num(d, "rss_delta_kb") is not None and num(d, "rss_delta_kb") <= -400,
          f"free-return ({where}): malloc_trim(0) releases the frames of a hole "
          f"(VmRSS {d.get('rss_delta_kb')} kB)", out)


def check_mmap_vs_brk(out, where, ops):
    a = fields(out, "mmap-vs-brk", policy="default")
    b = fields(out, "mmap-vs-brk", policy="all-mmap")
    check(num(b, "mmap") == ops and num(b, "munmap") == ops,
          f"mmap-vs-brk ({where}): all-mmap makes one mmap and one munmap per pair "
          f"({b.get('mmap')}, {b.get('munmap')} for {ops})", out)
    check(a and b and num(a, "syscalls") * 20 < num(b, "syscalls") and num(a, "mmap") == 0,
          f"mmap-vs-brk ({where}): the brk pool needs far fewer system calls "
          f"({a.get('syscalls')} vs {b.get('syscalls')})", out)
    check(a and b and num(a, "minflt") * 2 < num(b, "minflt"),
          f"mmap-vs-brk ({where}): and fewer page faults ({a.get('minflt')} vs "
          f"{b.get('minflt')})", out)
    check(a and b and num(a, "cycles") < num(b, "cycles"),
          f"mmap-vs-brk ({where}): and fewer cycles ({a.get('cycles')} vs {b.get('cycles')})",
          out)


def check_fragmentation(out, where):
    a = fields(out, "fragmentation", policy="brk")
    b = fields(out, "fragmentation", policy="mmap")
    check(a and num(a, "heap_kb") > 20 * num(a, "live_kb") and
          num(a, "free_kb") > num(a, "heap_kb") // 2,
          f"fragmentation ({where}): brk: {a.get('live_kb')} KiB live in a "
          f"{a.get('heap_kb')} KiB heap, {a.get('free_kb')} KiB of it free", out)
    check(a and b and num(b, "heap_kb") * 8 < num(a, "heap_kb"),
          f"fragmentation ({where}): with the buffers mmapped the heap stays small "
          f"({b.get('heap_kb')} vs {a.get('heap_kb')} KiB)", out)


class HostRunner:
    """Runs the demos on the host's Linux: build/user binaries by path."""
    where = "Linux"

    def run(self, cmd, timeout=120):
        p = subprocess.run(["sh", "-c", cmd], cwd=HOST_BIN, capture_output=True, text=True,
                           timeout=timeout, env=dict(os.environ, PATH=HOST_BIN + ":/usr/bin:/bin"))
        return p.stdout + p.stderr, p.returncode

    def prog(self, name):
        return "./" + name


class GuestRunner:
    """Runs the demos in memos' shell (programs in /bin)."""
    where = "memos"

    def __init__(self, g):
        self.g = g

    def run(self, cmd, timeout=300):
        out, st = self.g.run(cmd, timeout=timeout)
        return KLOG.sub("", out), st

    def prog(self, name):
        return name


def run_all(r, save_dir):
    """Runs every demo through runner r, checks it; returns {name: output}."""
    os.makedirs(save_dir, exist_ok=True)
    outs = {}

    def run(name, cmd, timeout=300):
        out, st = r.run(cmd, timeout)
        outs[name] = out
        with open(os.path.join(save_dir, name + ".txt"), "w") as f:
            f.write(out)
        return out, st

    out, st = run("trace-echo", f"trace {r.prog('echo')} hi")
    check_trace_echo(out, r.where)
    r.run("trace -o trace-mt.txt %s > /dev/null" % r.prog("malloc-threshold"))
    out, _ = run("trace-malloc-threshold", "cat trace-mt.txt")
    check_trace_threshold(out, r.where)
    err, _ = run("trace-cat", f"trace {r.prog('cat')} /nonexistent")
    crash, _ = run("trace-crash", f"trace {r.prog('crash')} null")
    check_trace_misc(err, crash, r.where)
    r.run("rm -f trace-mt.txt" if r.where == "Linux" else "true")

    out, st = run("malloc-threshold", r.prog("malloc-threshold"))
    check_threshold(out, r.where)
    out, st = run("malloc-header", r.prog("malloc-header"))
    check_header(out, r.where)
    out, st = run("free-return", r.prog("free-return"))
    check_free_return(out, r.where)
    out, st = run("mmap-vs-brk", f"{r.prog('mmap-vs-brk')} {MMAP_VS_BRK_OPS}", 600)
    check_mmap_vs_brk(out, r.where, MMAP_VS_BRK_OPS)
    out, st = run("fragmentation", r.prog("fragmentation"))
    check_fragmentation(out, r.where)
    return outs


def compare_shapes(guest_outs, host_outs):
    for name in ("malloc-threshold", "malloc-header", "free-return", "mmap-vs-brk",
                 "fragmentation"):
        gs, hs = shape(guest_outs.get(name, "")), shape(host_outs.get(name, ""))
        diff = [f"memos: {a}\nLinux: {b}" for a, b in zip(gs, hs) if a != b]
        check(gs and gs == hs,
              f"{name}: memos and Linux print the same summary lines "
              f"(paths and verdicts equal, numbers aside)",
              "\n".join(diff[:5]) or f"{len(gs)} vs {len(hs)} lines")


def guest_scenario():
    with Guest(mem="128M", timeout=60) as g:
        try:
            g.expect(r"(?:^|\n)\$ ", 30)
            check(True, "boots to the shell prompt (128 MiB)")
        except Timeout as e:
            check(False, "boots to the shell prompt (128 MiB)", str(e))
            return
        g.run("cd /tmp")
        guest_outs = run_all(GuestRunner(g), os.path.join(ROOT, "build", "malloc-guest"))
        host_results = len(results)
        host_outs = run_all(HostRunner(), os.path.join(ROOT, "build", "malloc-host"))
        del results[host_results:]  # the host's own checks are malloc_demos_host.sh's
        compare_shapes(guest_outs, host_outs)
        g.send("poweroff\n")
        try:
            g.expect(r"reboot: Power down", 10)
            check(g.wait_exit(10) == 0, "poweroff ends QEMU cleanly")
        except Timeout as e:
            check(False, "poweroff ends QEMU cleanly", str(e))


def main():
    try:
        if "--host" in sys.argv:
            run_all(HostRunner(), os.path.join(ROOT, "build", "malloc-host"))
        else:
            guest_scenario()
    except Timeout as e:
        check(False, "the guest answered in time", str(e))
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())

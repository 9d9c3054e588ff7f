#!/usr/bin/env python3
"""make bench: the cost of one demand-zero write fault (concepts C4, C5),
memos against Linux, with the same static binary (build/user/faults).

The host's Linux runs `faults RUNS PAGES` REPEAT times; memos runs it the
same number of times in one boot under KVM (tools/qemu.sh with ACCEL=kvm:
-cpu host, guest RAM preallocated), driven through its serial console by
tests/qemu/guest.py. Each run prints the median cycles per fault over RUNS
mappings of PAGES pages; the figure kept per side is the median of those
medians (and the smallest minimum). The ratio memos / Linux is the target
of the virtual-memory issue: <= 1.0.

Writes build/bench/faults.md and prints the same table.
This is a benchmark, not a test: it never fails on a slow figure.
"""
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "qemu"))
from guest import Guest, Timeout, ROOT  # noqa: E402

RUNS = int(os.environ.get("FAULTS_RUNS", "200"))
PAGES = int(os.environ.get("FAULTS_PAGES", "256"))
REPEAT = int(os.environ.get("FAULTS_REPEAT", "5"))
GUEST_MEM = os.environ.get("BENCH_MEM", "256M")
LINE = re.compile(r"^faults: median_cycles_per_fault=(\d+) min_cycles_per_fault=(\d+) "
                  r"median_ns_per_fault=(\d+) zero_pages=(\d+)/(\d+)", re.M)


def parse(output, where):
    m = LINE.search(output)
    if not m:
        raise SystemExit(f"bench: no result line from faults on {where}:\n{output}")
    if m.group(4) != m.group(5):
        print(f"bench: warning: {where}: only {m.group(4)} of {m.group(5)} pages were zero")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def run_host():
    binary = os.path.join(ROOT, "build", "user", "faults")
    results = []
    for _ in range(REPEAT):
        p = subprocess.run([binary, str(RUNS), str(PAGES)], capture_output=True, text=True)
        results.append(parse(p.stdout, "Linux"))
    return results


class GuestFailed(Exception):
    pass


def run_guest():
    results = []
    # GRUB's real-mode start takes 10-17 s under this machine's nested KVM.
    with Guest(mem=GUEST_MEM, timeout=180, accel="kvm") as g:
        m = g.expect(r"(?:^|\n)\$ |init\[\d+\]: segfault.*|Kernel panic.*", 180)
        if not m.group(0).strip().endswith("$"):
            raise GuestFailed("init crashed under KVM:\n" + g.log[-1500:])
        for _ in range(REPEAT):
            # Under kvm_pvm the kernel's instructions are emulated: hundreds of
            # microseconds per fault (docs/vm.md, Benchmark), so allow 5 ms each.
            out, _ = g.run(f"faults {RUNS} {PAGES}", timeout=max(120, RUNS * PAGES // 200))
            results.append(parse(out, "memos"))
        g.send("poweroff\n")
        try:
            g.expect(r"reboot: Power down", 20)
        except Timeout:
            pass
    return results


def summary(results):
    medians = [r[0] for r in results]
    return {"median": int(statistics.median(medians)), "min": min(r[1] for r in results),
            "ns": int(statistics.median(r[2] for r in results)), "all": medians}


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            return m.group(1) if m else platform.processor()
    except OSError:
        return platform.processor()


def main():
    if not os.path.exists("/dev/kvm"):
        raise SystemExit("bench: /dev/kvm is missing: the guest must run under KVM")
    host = summary(run_host())
    try:
        guest = summary(run_guest())
    except (Timeout, GuestFailed) as e:
        write_report(host, None, f"memos did not reach its shell under KVM: {e}")
        return 1
    write_report(host, guest, "")
    return 0


def write_report(host, guest, problem):
    """Writes build/bench/faults.md and prints it; guest None = no figures."""
    if guest is None:
        guest = {"median": "-", "min": "-", "ns": "-", "all": []}
        verdict = "**memos: no figure.** " + problem.splitlines()[0]
        detail = ["", "```", *problem.splitlines()[1:][-12:], "```", ""]
    else:
        ratio = guest["median"] / host["median"]
        verdict = f"**memos / Linux = {ratio:.2f}x** (median cycles per fault; target <= 1.0x)."
        detail = [""]
    table = [
        "| | Linux (host) | memos (KVM guest) |",
        "|---|---:|---:|",
        f"| median cycles per fault | {host['median']} | {guest['median']} |",
        f"| min cycles per fault | {host['min']} | {guest['min']} |",
        f"| median ns per fault | {host['ns']} | {guest['ns']} |",
        f"| per-repeat medians | {' '.join(map(str, host['all']))} "
        f"| {' '.join(map(str, guest['all']))} |",
    ]
    text = "\n".join([
        "# Demand-zero write faults: memos vs Linux",
        "",
        f"`faults {RUNS} {PAGES}` (build/user/faults), {REPEAT} times on each side, "
        f"{datetime.date.today()}.",
        f"Host: Linux {platform.release()}, {cpu_name()}, {os.cpu_count()} CPUs. "
        f"Guest: memos under KVM, -cpu host, {GUEST_MEM} preallocated.",
        "",
        *table,
        "",
        verdict,
        *detail,
    ])
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "faults.md"), "w") as f:
        f.write(text)
    print(text)
    print("written to build/bench/faults.md")


if __name__ == "__main__":
    sys.exit(main())

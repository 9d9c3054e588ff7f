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

Where KVM is not hardware virtualization (this project's machines have
kvm_pvm, which emulates guest kernel mode), memos-under-KVM against
native Linux measures the hypervisor. So the same program also runs on
both kernels as guests of the same emulator: memos under TCG, and Debian's
Linux kernel under TCG (tools/bench/linux_guest.py; BENCH_LINUX=0 skips
it). TCG's cycles are not a CPU's, but both kernels pay the same for each
instruction, page-table walk and TLB flush they cause.

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
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_guest  # noqa: E402

RUNS = int(os.environ.get("FAULTS_RUNS", "200"))
PAGES = int(os.environ.get("FAULTS_PAGES", "256"))
REPEAT = int(os.environ.get("FAULTS_REPEAT", "5"))
GUEST_MEM = os.environ.get("BENCH_MEM", "256M")
LINUX_GUEST = os.environ.get("BENCH_LINUX", "1") != "0"
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


def run_guest(accel="kvm"):
    results = []
    # GRUB's real-mode start takes 10-17 s under this machine's nested KVM.
    with Guest(mem=GUEST_MEM, timeout=180, accel=accel) as g:
        m = g.expect(r"(?:^|\n)\$ |init\[\d+\]: segfault.*|Kernel panic.*", 180)
        if not m.group(0).strip().endswith("$"):
            raise GuestFailed(f"init crashed under {accel.upper()}:\n" + g.log[-1500:])
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


def run_linux_guest():
    """faults on Debian's Linux kernel under TCG; (results, release) or (None, why)."""
    try:
        release, out = linux_guest.boot([f"run faults {RUNS} {PAGES}"] * REPEAT,
                                        {"faults": os.path.join(ROOT, "build", "user", "faults")},
                                        "tcg", timeout=1800)
    except linux_guest.Unavailable as e:
        return None, str(e)
    results = [parse(m.group(0), "Linux guest") for m in LINE.finditer(out)]
    return (results, release) if results else (None, "no result line from faults")


def main():
    host = summary(run_host())
    kvm, problem = None, ""
    if not os.path.exists("/dev/kvm"):
        problem = "/dev/kvm is missing: no KVM run"
    else:
        try:
            kvm = summary(run_guest("kvm"))
        except (Timeout, GuestFailed) as e:
            problem = f"memos did not reach its shell under KVM: {e}"
    try:
        tcg = summary(run_guest("tcg"))
    except (Timeout, GuestFailed) as e:
        tcg, problem = None, problem + f"\nmemos did not reach its shell under TCG: {e}"
    linux, release = run_linux_guest() if LINUX_GUEST else (None, "skipped (BENCH_LINUX=0)")
    write_report(host, kvm, tcg, summary(linux) if linux else None, release, problem)
    return 0 if kvm and tcg else 1


def write_report(host, kvm, tcg, linux, release, problem):
    """Writes build/bench/faults.md and prints it; None = no figures."""
    none = {"median": "-", "min": "-", "ns": "-", "all": []}
    verdicts = []
    if kvm:
        verdicts.append(f"**memos under KVM / Linux on the host = "
                        f"{kvm['median'] / host['median']:.2f}x** (median cycles per fault; "
                        "target <= 1.0x).")
    if tcg and linux:
        verdicts.append(f"**memos / Linux, both under TCG = "
                        f"{tcg['median'] / linux['median']:.2f}x** (median cycles per fault).")
    elif not linux:
        verdicts.append(f"Linux under TCG: no figure ({release.splitlines()[0] if release else ''}).")
    detail = ["", "```", *problem.strip().splitlines()[-12:], "```", ""] if problem.strip() else [""]
    kvm, tcg, linux = kvm or none, tcg or none, linux or none
    cols = (host, kvm, tcg, linux)
    table = [
        f"| | Linux (host) | memos (KVM guest) | memos (TCG guest) | Linux "
        f"{release.split('-')[0] if linux is not none else ''} (TCG guest) |",
        "|---|---:|---:|---:|---:|",
        "| median cycles per fault | " + " | ".join(str(c["median"]) for c in cols) + " |",
        "| min cycles per fault | " + " | ".join(str(c["min"]) for c in cols) + " |",
        "| median ns per fault | " + " | ".join(str(c["ns"]) for c in cols) + " |",
        "| per-repeat medians | " + " | ".join(" ".join(map(str, c["all"])) for c in cols) + " |",
    ]
    text = "\n".join([
        "# Demand-zero write faults: memos vs Linux",
        "",
        f"`faults {RUNS} {PAGES}` (build/user/faults), {REPEAT} times on each side, "
        f"{datetime.date.today()}.",
        f"Host: Linux {platform.release()}, {cpu_name()}, {os.cpu_count()} CPUs. "
        f"Guests: memos under KVM (-cpu host, {GUEST_MEM} preallocated) and under TCG "
        f"({GUEST_MEM}); Debian's Linux kernel {release if linux is not none else ''} under "
        "TCG (256 MiB, the program in a memory cgroup without a limit, "
        "transparent_hugepage=never, mitigations=off).",
        "",
        *table,
        "",
        *verdicts,
        *detail,
    ])
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "bench", "faults.md"), "w") as f:
        f.write(text)
    print(text)
    print("written to build/bench/faults.md")


if __name__ == "__main__":
    sys.exit(main())
